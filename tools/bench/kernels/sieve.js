/** Counts the primes below n with the sieve of Eratosthenes; composite is a zeroed Uint8Array of length n. */
export function sieve(composite, n) {
  let count = 0;
  for (let i = 2; i < n; i++) {
    if (composite[i] === 0) {
      count++;
      for (let j = i * i; j < n; j += i) {
        composite[j] = 1;
      }
    }
  }
  return count;
}

export default {
  name: 'sieve',
  fn: sieve,
  size: 'n = 10,000,000',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [10_000_000], quick: [1_000_000], test: [1000] },
  inputs: (n) => [new Uint8Array(n), n],
  output: (result) => result,
};
