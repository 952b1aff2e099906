/** Naive recursive Fibonacci on numbers. */
export function fib(n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}

export default {
  name: 'fib',
  fn: fib,
  size: 'fib(30)',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [30], quick: [25], test: [15] },
  inputs: (n) => [n],
  output: (result) => result,
};
