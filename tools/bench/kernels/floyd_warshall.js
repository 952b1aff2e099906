/** All-pairs shortest paths, in place, on an n*n distance matrix (Infinity where there is no edge). */
export function floydWarshall(dist, n) {
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const ik = dist[i * n + k];
      for (let j = 0; j < n; j++) {
        const through = ik + dist[k * n + j];
        if (through < dist[i * n + j]) dist[i * n + j] = through;
      }
    }
  }
}

export default {
  name: 'floyd_warshall',
  fn: floydWarshall,
  size: 'n = 250',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [250], quick: [100], test: [20] },
  // A sparse directed graph with integer weights 1..50: a ring i -> i + 1 (so every pair is connected) and
  // about one other pair in seven.
  inputs: (n) => {
    const dist = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const h = (i * 7919 + j * 104729) % 1009;
        dist[i * n + j] = i === j ? 0 : j === (i + 1) % n || h % 7 === 0 ? 1 + (h % 50) : Infinity;
      }
    }
    return [dist, n];
  },
  output: (_result, args) => args[0],
};
