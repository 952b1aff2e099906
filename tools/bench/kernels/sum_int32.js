/** asm.js-style int32 sum of an Int32Array, wrapping around like 32-bit integers. */
export function sumInt32(a) {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    s = (s + a[i]) | 0;
  }
  return s;
}

export default {
  name: 'sum_int32',
  fn: sumInt32,
  size: '20,000,000',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [20_000_000], quick: [2_000_000], test: [1000] },
  // Values across the whole int32 range, so the sum wraps around often.
  inputs: (n) => {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = Math.imul(i, -1640531535) ^ (i >>> 3);
    return [a];
  },
  output: (result) => result,
};
