export { alloc, reset } from './harness';

// AssemblyScript's own Math.exp (ported from musl), not V8's: the last bit may differ.
export function softmax(x: usize, length: i32, out: usize, _outLength: i32): void {
  let max = -Infinity;
  for (let i = 0; i < length; i++) {
    const xi = load<f64>(x + ((<usize>i) << 3));
    if (xi > max) max = xi;
  }
  let sum = 0.0;
  for (let i = 0; i < length; i++) {
    const e = Math.exp(load<f64>(x + ((<usize>i) << 3)) - max);
    store<f64>(out + ((<usize>i) << 3), e);
    sum += e;
  }
  for (let i = 0; i < length; i++) {
    const at = out + ((<usize>i) << 3);
    store<f64>(at, load<f64>(at) / sum);
  }
}
