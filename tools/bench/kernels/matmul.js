/** c += a * b for n*n row-major matrices in flat Float64Arrays, in i-k-j loop order. */
export function matmul(a, b, c, n) {
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) {
        c[i * n + j] += aik * b[k * n + j];
      }
    }
  }
}

export default {
  name: 'matmul',
  fn: matmul,
  size: 'n = 300',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [300], quick: [150], test: [20] },
  inputs: (n) => {
    const a = new Float64Array(n * n);
    const b = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) {
      a[i] = ((i * 13) % 97) / 97;
      b[i] = ((i * 29) % 89) / 89 - 0.5;
    }
    return [a, b, new Float64Array(n * n), n];
  },
  output: (_result, args) => args[2],
};
