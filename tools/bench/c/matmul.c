#include "harness.h"

static long n;
static double *a, *b, *c;

static void matmul(const double *a, const double *b, double *c, long n) {
  for (long i = 0; i < n; i++)
    for (long k = 0; k < n; k++) {
      double aik = a[i * n + k];
      for (long j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  a = bench_alloc(n * n * sizeof *a);
  b = bench_alloc(n * n * sizeof *b);
  c = bench_alloc(n * n * sizeof *c);
}
static void bench_prepare(void) {
  for (long i = 0; i < n * n; i++) {
    a[i] = (double)((i * 13) % 97) / 97;
    b[i] = (double)((i * 29) % 89) / 89 - 0.5;
  }
  memset(c, 0, n * n * sizeof *c);
}
static void bench_run(void) { matmul(a, b, c, n); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, bench_sum_f64(c, n * n)); }
