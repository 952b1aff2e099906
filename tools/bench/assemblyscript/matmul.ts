export { alloc, reset } from './harness';

export function matmul(a: usize, _aLength: i32, b: usize, _bLength: i32, c: usize, _cLength: i32, n: i32): void {
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = load<f64>(a + ((<usize>(i * n + k)) << 3));
      for (let j = 0; j < n; j++) {
        const at = c + ((<usize>(i * n + j)) << 3);
        store<f64>(at, load<f64>(at) + aik * load<f64>(b + ((<usize>(k * n + j)) << 3)));
      }
    }
  }
}
