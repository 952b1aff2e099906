export { alloc, reset } from './harness';

export function matvec(
  m: usize,
  _mLength: i32,
  x: usize,
  _xLength: i32,
  y: usize,
  _yLength: i32,
  rows: i32,
  cols: i32,
): void {
  for (let i = 0; i < rows; i++) {
    let sum = 0.0;
    for (let j = 0; j < cols; j++) {
      sum += load<f64>(m + ((<usize>(i * cols + j)) << 3)) * load<f64>(x + ((<usize>j) << 3));
    }
    store<f64>(y + ((<usize>i) << 3), sum);
  }
}
