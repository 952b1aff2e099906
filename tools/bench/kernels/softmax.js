/** Softmax of x into out: subtract the maximum, exponentiate, normalize. */
export function softmax(x, out) {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] > max) max = x[i];
  }
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const e = Math.exp(x[i] - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < x.length; i++) {
    out[i] /= sum;
  }
}

export default {
  name: 'softmax',
  fn: softmax,
  size: '1,000,000',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [1_000_000], quick: [100_000], test: [1000] },
  // Logits in [-8, 8).
  inputs: (n) => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = (((i * 7919) % 10007) / 10007) * 16 - 8;
    return [x, new Float64Array(n)];
  },
  output: (_result, args) => args[1],
};
