#include "harness.h"

static long n, sweeps;
static double *a, *b;

static void jacobi(double *a, double *b, long n, long sweeps) {
  for (long s = 0; s < sweeps; s++) {
    for (long i = 1; i < n - 1; i++)
      for (long j = 1; j < n - 1; j++) {
        long c = i * n + j;
        b[c] = 0.2 * (a[c] + a[c - 1] + a[c + 1] + a[c - n] + a[c + n]);
      }
    for (long i = 1; i < n - 1; i++)
      for (long j = 1; j < n - 1; j++) a[i * n + j] = b[i * n + j];
  }
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  sweeps = bench_arg(argc, argv, 2);
  a = bench_alloc(n * n * sizeof *a);
  b = bench_alloc(n * n * sizeof *b);
}
static void bench_prepare(void) {
  for (long i = 0; i < n * n; i++) a[i] = (double)((i * 37) % 101) / 101;
  memcpy(b, a, n * n * sizeof *a);
}
static void bench_run(void) { jacobi(a, b, n, sweeps); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, bench_sum_f64(a, n * n)); }
