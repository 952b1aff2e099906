export { alloc, reset } from './harness';

// A(i,j) in doubles, as JavaScript computes it from i and j.
function a(i: i32, j: i32): f64 {
  const di = <f64>i;
  const dj = <f64>j;
  return ((di + dj) * (di + dj + 1)) / 2 + di + 1;
}

// t = A x (transposed: t = Aᵀ x), over f64 arrays of length n.
function times(x: usize, t: usize, n: i32, transposed: bool): void {
  for (let i = 0; i < n; i++) {
    let sum = 0.0;
    for (let j = 0; j < n; j++) sum += load<f64>(x + ((<usize>j) << 3)) / (transposed ? a(j, i) : a(i, j));
    store<f64>(t + ((<usize>i) << 3), sum);
  }
}

export function spectral_norm(u: usize, n: i32, v: usize, _vLength: i32, t: usize, _tLength: i32): f64 {
  for (let i = 0; i < n; i++) store<f64>(u + ((<usize>i) << 3), 1);
  for (let iter = 0; iter < 10; iter++) {
    times(u, t, n, false);
    times(t, v, n, true);
    times(v, t, n, false);
    times(t, u, n, true);
  }
  let vBv = 0.0;
  let vv = 0.0;
  for (let i = 0; i < n; i++) {
    const ui = load<f64>(u + ((<usize>i) << 3));
    const vi = load<f64>(v + ((<usize>i) << 3));
    vBv += ui * vi;
    vv += vi * vi;
  }
  return Math.sqrt(vBv / vv);
}
