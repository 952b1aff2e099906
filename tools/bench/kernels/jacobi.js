/** Sweeps of the 5-point Jacobi stencil on an n*n grid (a), through a scratch grid (b), copying back each sweep. */
export function jacobi(a, b, n, sweeps) {
  for (let s = 0; s < sweeps; s++) {
    for (let i = 1; i < n - 1; i++) {
      for (let j = 1; j < n - 1; j++) {
        const c = i * n + j;
        b[c] = 0.2 * (a[c] + a[c - 1] + a[c + 1] + a[c - n] + a[c + n]);
      }
    }
    for (let i = 1; i < n - 1; i++) {
      for (let j = 1; j < n - 1; j++) {
        a[i * n + j] = b[i * n + j];
      }
    }
  }
}

export default {
  name: 'jacobi',
  fn: jacobi,
  size: 'n = 1000, 20 sweeps',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [1000, 20], quick: [300, 20], test: [30, 3] },
  inputs: (n, sweeps) => {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) a[i] = ((i * 37) % 101) / 101;
    return [a, a.slice(), n, sweeps];
  },
  output: (_result, args) => args[0],
};
