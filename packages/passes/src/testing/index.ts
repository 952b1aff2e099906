// The pass-testing kit, a separate entry (`@rvsdg/passes/testing`) so that fast-check and the
// generators stay off the production import path of `@rvsdg/passes`.
export { checkPass, PassCheckError, type CheckPassOptions, type CheckPassReport } from './check-pass.js';
