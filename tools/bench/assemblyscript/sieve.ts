export { alloc, reset } from './harness';

export function sieve(composite: usize, _length: i32, n: i32): i32 {
  let count = 0;
  for (let i = 2; i < n; i++) {
    if (load<u8>(composite + <usize>i) == 0) {
      count++;
      // i * i leaves 32 bits for i above 46340: step in 64 bits, as JavaScript's doubles hold it exactly.
      for (let j = <i64>i * i; j < n; j += i) {
        store<u8>(composite + <usize>j, 1);
      }
    }
  }
  return count;
}
