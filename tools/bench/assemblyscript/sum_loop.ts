export { alloc, reset } from './harness';

// Numbers are doubles in JavaScript: the twin counts in f64 too.
export function sum_loop(a: f64): f64 {
  let b = 0.0;
  let i = 0.0;
  while (i < a) {
    b = b + i;
    i = i + 1;
  }
  return b;
}
