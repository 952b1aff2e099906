export { alloc, reset } from './harness';

export function jacobi(a: usize, _aLength: i32, b: usize, _bLength: i32, n: i32, sweeps: i32): void {
  const row = (<usize>n) << 3;
  for (let s = 0; s < sweeps; s++) {
    for (let i = 1; i < n - 1; i++) {
      for (let j = 1; j < n - 1; j++) {
        const c = a + ((<usize>(i * n + j)) << 3);
        store<f64>(
          b + ((<usize>(i * n + j)) << 3),
          0.2 * (load<f64>(c) + load<f64>(c - 8) + load<f64>(c + 8) + load<f64>(c - row) + load<f64>(c + row)),
        );
      }
    }
    for (let i = 1; i < n - 1; i++) {
      for (let j = 1; j < n - 1; j++) {
        const at = (<usize>(i * n + j)) << 3;
        store<f64>(a + at, load<f64>(b + at));
      }
    }
  }
}
