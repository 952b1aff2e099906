/** Sums 0 .. a-1 with a while loop, as in the benchmark table. */
export function sumLoop(a) {
  let b = 0;
  let i = 0;
  while (i < a) {
    b = b + i;
    i = i + 1;
  }
  return b;
}

export default {
  name: 'sum_loop',
  fn: sumLoop,
  size: 'a = 10,000,000',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [10_000_000], quick: [1_000_000], test: [1000] },
  inputs: (a) => [a],
  output: (result) => result,
};
