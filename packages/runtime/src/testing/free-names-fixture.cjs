// The CommonJS twin of free-names-fixture.mjs: module bindings live in the CommonJS wrapper's closure.
const LIMIT = 10;
const table = new Int32Array([5, 6, 7]);
const trunc = Math.trunc;
function clamp(x) {
  return x > LIMIT ? LIMIT : x;
}
function total(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += clamp(table[i]);
  return trunc(s / 2);
}
import('@rvsdg/runtime').then(({ jit }) => {
  const jitted = jit(total);
  const out = { first: [jitted(3), total(3)] };
  table[1] = 40;
  out.afterWrite = [jitted(3), total(3)];
  console.log(JSON.stringify(out));
});
