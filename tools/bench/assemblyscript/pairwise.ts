export { alloc, reset } from './harness';

export function pairwise(points: usize, _pointsLength: i32, out: usize, _outLength: i32, n: i32): void {
  for (let i = 0; i < n; i++) {
    const p = points + <usize>(3 * i) * 8;
    for (let j = 0; j < n; j++) {
      const q = points + <usize>(3 * j) * 8;
      const dx = load<f64>(p) - load<f64>(q);
      const dy = load<f64>(p, 8) - load<f64>(q, 8);
      const dz = load<f64>(p, 16) - load<f64>(q, 16);
      store<f64>(out + ((<usize>(i * n + j)) << 3), Math.sqrt(dx * dx + dy * dy + dz * dz));
    }
  }
}
