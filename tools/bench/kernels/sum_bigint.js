/** The sum_loop kernel on BigInt. */
export function sumBigint(a) {
  let b = 0n;
  let i = 0n;
  while (i < a) {
    b = b + i;
    i = i + 1n;
  }
  return b;
}

export default {
  name: 'sum_bigint',
  fn: sumBigint,
  size: 'a = 10,000,000n',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [10_000_000], quick: [1_000_000], test: [1000] },
  inputs: (a) => [BigInt(a)],
  output: (result) => result,
};
