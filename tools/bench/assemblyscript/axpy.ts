export { alloc, reset } from './harness';

export function axpy(a: f64, x: usize, length: i32, y: usize, _yLength: i32): void {
  for (let i = 0; i < length; i++) {
    const at = (<usize>i) << 3;
    store<f64>(y + at, a * load<f64>(x + at) + load<f64>(y + at));
  }
}
