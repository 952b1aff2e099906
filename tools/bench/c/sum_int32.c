#include "harness.h"

static long n;
static int32_t *a, result;

/* (s + a[i]) | 0 wraps around like 32-bit two's complement: add as unsigned, which C defines to wrap. */
static int32_t sum_int32(const int32_t *a, long n) {
  int32_t s = 0;
  for (long i = 0; i < n; i++) s = (int32_t)((uint32_t)s + (uint32_t)a[i]);
  return s;
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  a = bench_alloc(n * sizeof *a);
}
/* Math.imul(i, -1640531535) ^ (i >>> 3) */
static void bench_prepare(void) {
  for (long i = 0; i < n; i++) a[i] = (int32_t)((uint32_t)i * (uint32_t)-1640531535 ^ (uint32_t)(i >> 3));
}
static void bench_run(void) { result = sum_int32(a, n); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, (double)result); }
