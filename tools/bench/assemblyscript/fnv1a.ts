export { alloc, reset } from './harness';

// Returned as f64 so JavaScript reads the unsigned hash as V8's `>>> 0` gives it.
export function fnv1a(data: usize, length: i32): f64 {
  let hash: u32 = 2166136261;
  for (let i = 0; i < length; i++) {
    hash = (hash ^ load<u8>(data + <usize>i)) * 16777619;
  }
  return <f64>hash;
}
