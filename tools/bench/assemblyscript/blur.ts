import { clampToU8 } from './harness';
export { alloc, reset } from './harness';

export function blur(src: usize, _srcLength: i32, dst: usize, _dstLength: i32, width: i32, height: i32): void {
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const c = src + <usize>(y * width + x);
      const w = <usize>width;
      const sum: i32 =
        <i32>load<u8>(c - w - 1) +
        <i32>load<u8>(c - w) +
        <i32>load<u8>(c - w + 1) +
        <i32>load<u8>(c - 1) +
        <i32>load<u8>(c) +
        <i32>load<u8>(c + 1) +
        <i32>load<u8>(c + w - 1) +
        <i32>load<u8>(c + w) +
        <i32>load<u8>(c + w + 1);
      store<u8>(dst + <usize>(y * width + x), clampToU8(<f64>sum / 9));
    }
  }
}
