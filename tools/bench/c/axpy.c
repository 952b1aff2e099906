#include "harness.h"

static long n;
static double *x, *y;

static void axpy(double a, const double *x, double *y, long n) {
  for (long i = 0; i < n; i++) y[i] = a * x[i] + y[i];
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  x = bench_alloc(n * sizeof *x);
  y = bench_alloc(n * sizeof *y);
}
static void bench_prepare(void) {
  for (long i = 0; i < n; i++) {
    x[i] = (double)(i % 1000) * 0.001;
    y[i] = (double)((i * 7) % 1000) * 0.002;
  }
}
static void bench_run(void) { axpy(2.5, x, y, n); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, bench_sum_f64(y, n)); }
