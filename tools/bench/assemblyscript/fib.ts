export { alloc, reset } from './harness';

// On doubles, as the JavaScript function computes.
export function fib(n: f64): f64 {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}
