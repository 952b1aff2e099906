/** Euclidean distance matrix of n points in 3-D (points as x, y, z triples). */
export function pairwise(points, out, n) {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dx = points[3 * i] - points[3 * j];
      const dy = points[3 * i + 1] - points[3 * j + 1];
      const dz = points[3 * i + 2] - points[3 * j + 2];
      out[i * n + j] = Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
}

export default {
  name: 'pairwise',
  fn: pairwise,
  size: 'n = 1000',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [1000], quick: [300], test: [30] },
  inputs: (n) => {
    const points = new Float64Array(3 * n);
    for (let k = 0; k < 3 * n; k++) points[k] = ((k * 17) % 1000) / 100;
    return [points, new Float64Array(n * n), n];
  },
  output: (_result, args) => args[1],
};
