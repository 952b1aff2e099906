/** 32-bit FNV-1a hash of a Uint8Array. */
export function fnv1a(data) {
  let hash = 2166136261;
  for (let i = 0; i < data.length; i++) {
    hash = Math.imul(hash ^ data[i], 16777619) >>> 0;
  }
  return hash;
}

export default {
  name: 'fnv1a',
  fn: fnv1a,
  size: '10,000,000 bytes',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [10_000_000], quick: [1_000_000], test: [1000] },
  inputs: (n) => {
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) data[i] = (i * 31 + 7) % 256;
    return [data];
  },
  output: (result) => result,
};
