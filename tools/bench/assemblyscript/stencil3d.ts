export { alloc, reset } from './harness';

export function stencil3d(a: usize, _aLength: i32, b: usize, _bLength: i32, n: i32, sweeps: i32): void {
  const plane = n * n;
  const row = (<usize>n) << 3;
  const slab = (<usize>plane) << 3;
  for (let s = 0; s < sweeps; s++) {
    for (let z = 1; z < n - 1; z++) {
      for (let y = 1; y < n - 1; y++) {
        for (let x = 1; x < n - 1; x++) {
          const at = (<usize>(z * plane + y * n + x)) << 3;
          const c = a + at;
          store<f64>(
            b + at,
            0.4 * load<f64>(c) +
              0.1 *
                (load<f64>(c - 8) +
                  load<f64>(c + 8) +
                  load<f64>(c - row) +
                  load<f64>(c + row) +
                  load<f64>(c - slab) +
                  load<f64>(c + slab)),
          );
        }
      }
    }
    const t = a;
    a = b;
    b = t;
  }
}
