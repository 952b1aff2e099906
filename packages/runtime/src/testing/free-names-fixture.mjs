// Run by free-names.test.ts with plain node (no test-runner transform): jit() on module code with no scope option.
import { jit } from '@rvsdg/runtime';
import { hypot2 } from './free-names-helper.mjs';

const SCALE = 3;
const weights = new Float64Array([1, 2, 3, 4]);
const { sqrt } = Math;
const floor = Math.floor;
function square(x) {
  return x * x;
}
function makeOffset(offset) {
  return (x) => x + offset;
}
function weighted(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += square(weights[i]) * SCALE;
  return floor(sqrt(s)) + hypot2(3, 4);
}
const jitted = jit(weighted);
const out = { first: [jitted(4), weighted(4)] };
weights[0] = 100;
out.afterWrite = [jitted(4), weighted(4)];
const addSeven = makeOffset(7);
out.closure = [jit(addSeven)(1), addSeven(1)];
console.log(JSON.stringify(out));
