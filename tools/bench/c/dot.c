#include "harness.h"

static long n;
static double *x, *y, result;

static double dot(const double *x, const double *y, long n) {
  double sum = 0;
  for (long i = 0; i < n; i++) sum += x[i] * y[i];
  return sum;
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
static void bench_run(void) { result = dot(x, y, n); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, result); }
