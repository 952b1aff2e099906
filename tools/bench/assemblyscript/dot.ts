export { alloc, reset } from './harness';

export function dot(x: usize, length: i32, y: usize, _yLength: i32): f64 {
  let sum = 0.0;
  for (let i = 0; i < length; i++) {
    sum += load<f64>(x + ((<usize>i) << 3)) * load<f64>(y + ((<usize>i) << 3));
  }
  return sum;
}
