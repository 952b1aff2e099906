/**
 * Sweeps of a 7-point stencil (heat diffusion) on an n*n*n grid held in a flat
 * Float64Array, ping-ponging between a and b; the boundary stays as it is.
 * After an even number of sweeps the result is in a, after an odd one in b.
 */
export function stencil3d(a, b, n, sweeps) {
  const plane = n * n;
  for (let s = 0; s < sweeps; s++) {
    for (let z = 1; z < n - 1; z++) {
      for (let y = 1; y < n - 1; y++) {
        for (let x = 1; x < n - 1; x++) {
          const c = z * plane + y * n + x;
          b[c] = 0.4 * a[c] + 0.1 * (a[c - 1] + a[c + 1] + a[c - n] + a[c + n] + a[c - plane] + a[c + plane]);
        }
      }
    }
    const t = a;
    a = b;
    b = t;
  }
}

export default {
  name: 'stencil3d',
  fn: stencil3d,
  size: 'n = 128, 4 sweeps',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [128, 4], quick: [64, 4], test: [12, 3] },
  inputs: (n, sweeps) => {
    const a = new Float64Array(n * n * n);
    for (let i = 0; i < n * n * n; i++) a[i] = ((i * 31) % 103) / 103;
    return [a, a.slice(), n, sweeps];
  },
  output: (_result, args) => args[args[3] % 2],
};
