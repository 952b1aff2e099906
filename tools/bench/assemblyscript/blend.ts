import { clampToU8 } from './harness';
export { alloc, reset } from './harness';

export function blend(a: usize, _aLength: i32, b: usize, _bLength: i32, out: usize, length: i32, t: f64): void {
  for (let i = 0; i < length; i++) {
    const ai = <f64>load<u8>(a + <usize>i);
    const bi = <f64>load<u8>(b + <usize>i);
    store<u8>(out + <usize>i, clampToU8(ai + (bi - ai) * t));
  }
}
