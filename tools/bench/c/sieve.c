#include "harness.h"

static long n, result;
static uint8_t *composite;

static long sieve(uint8_t *composite, long n) {
  long count = 0;
  for (long i = 2; i < n; i++)
    if (composite[i] == 0) {
      count++;
      for (long j = i * i; j < n; j += i) composite[j] = 1;
    }
  return count;
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  composite = bench_alloc(n);
}
static void bench_prepare(void) { memset(composite, 0, n); }
static void bench_run(void) { result = sieve(composite, n); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, (double)result); }
