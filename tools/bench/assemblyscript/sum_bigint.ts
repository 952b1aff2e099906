export { alloc, reset } from './harness';

// BigInt in 64 bits, as JavaScript passes it to an i64 parameter (wraps on overflow, which the sizes never reach).
export function sum_bigint(a: i64): i64 {
  let b: i64 = 0;
  let i: i64 = 0;
  while (i < a) {
    b = b + i;
    i = i + 1;
  }
  return b;
}
