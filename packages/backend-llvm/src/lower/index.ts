export { LoweringBug, LoweringError } from './errors.js';
export { LoweringContext, printfLiteral, errorKinds, stackLimitSymbol, type Slot } from './lowering-context.js';
export { LoweringRegistry, defaultLowerings, type Lowering } from './lowering-registry.js';
export {
  lowerModule,
  asLoweringBug,
  type LowerOptions,
  type LoweredModule,
  type WrapperSymbol,
} from './lower-module.js';
export { libmFunctions, exactMathOps } from './ops/math-lowerings.js';
export {
  compileModule,
  loadCompiledObject,
  withFastMathFlags,
  type CompileModuleOptions,
  type CompiledRvsdgModule,
} from './compile-module.js';
export { uncheckedArrayLowerings } from './ops/array-lowerings.js';
export { v8MathLowerings } from './ops/v8-math-lowerings.js';
export {
  compileMathMap,
  exactMathArity,
  exactMathEdgeInputs,
  exactMathFunctions,
  exactMathInputs,
  mathMapModule,
  mathMismatches,
  type ExactMathFunction,
  type MathMap,
  type MathMismatch,
} from './exact-math-check.js';
