export { alloc, reset } from './harness';

// i32 addition wraps like (s + a[i]) | 0.
export function sum_int32(a: usize, length: i32): i32 {
  let s = 0;
  for (let i = 0; i < length; i++) {
    s = s + load<i32>(a + ((<usize>i) << 2));
  }
  return s;
}
