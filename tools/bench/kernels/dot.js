/** Dot product of two Float64Arrays. */
export function dot(x, y) {
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i] * y[i];
  }
  return sum;
}

export default {
  name: 'dot',
  fn: dot,
  size: '10,000,000',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [10_000_000], quick: [1_000_000], test: [1000] },
  inputs: (n) => {
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = (i % 1000) * 0.001;
      y[i] = ((i * 7) % 1000) * 0.002;
    }
    return [x, y];
  },
  output: (result) => result,
};
