export { alloc, reset } from './harness';

export function floyd_warshall(dist: usize, _length: i32, n: i32): void {
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const ik = load<f64>(dist + ((<usize>(i * n + k)) << 3));
      for (let j = 0; j < n; j++) {
        const through = ik + load<f64>(dist + ((<usize>(k * n + j)) << 3));
        const at = dist + ((<usize>(i * n + j)) << 3);
        if (through < load<f64>(at)) store<f64>(at, through);
      }
    }
  }
}
