/** y = m * x for a rows*cols row-major matrix in a flat Float64Array. */
export function matvec(m, x, y, rows, cols) {
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      sum += m[i * cols + j] * x[j];
    }
    y[i] = sum;
  }
}

export default {
  name: 'matvec',
  fn: matvec,
  size: '3000 x 3000',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [3000, 3000], quick: [1000, 1000], test: [30, 20] },
  inputs: (rows, cols) => {
    const m = new Float64Array(rows * cols);
    for (let i = 0; i < rows * cols; i++) m[i] = ((i * 17) % 101) / 101 - 0.25;
    const x = new Float64Array(cols);
    for (let j = 0; j < cols; j++) x[j] = ((j * 7) % 13) / 13;
    return [m, x, new Float64Array(rows), rows, cols];
  },
  output: (_result, args) => args[2],
};
