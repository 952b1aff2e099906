/**
 * Spectral norm of the infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2+i+1),
 * truncated to n = u.length, by 10 steps of the power method on AᵀA;
 * v and t are scratch arrays of the same length.
 */
export function spectralNorm(u, v, t) {
  const n = u.length;
  for (let i = 0; i < n; i++) u[i] = 1;
  for (let iter = 0; iter < 10; iter++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += u[j] / (((i + j) * (i + j + 1)) / 2 + i + 1);
      t[i] = sum;
    }
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += t[j] / (((j + i) * (j + i + 1)) / 2 + j + 1);
      v[i] = sum;
    }
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += v[j] / (((i + j) * (i + j + 1)) / 2 + i + 1);
      t[i] = sum;
    }
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += t[j] / (((j + i) * (j + i + 1)) / 2 + j + 1);
      u[i] = sum;
    }
  }
  let vBv = 0;
  let vv = 0;
  for (let i = 0; i < n; i++) {
    vBv += u[i] * v[i];
    vv += v[i] * v[i];
  }
  return Math.sqrt(vBv / vv);
}

export default {
  name: 'spectral_norm',
  fn: spectralNorm,
  size: 'n = 1000',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [1000], quick: [300], test: [30] },
  inputs: (n) => [new Float64Array(n), new Float64Array(n), new Float64Array(n)],
  output: (result) => result,
};
