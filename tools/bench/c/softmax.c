#include "harness.h"

static long n;
static double *x, *out;

static void softmax(const double *x, double *out, long n) {
  double max = -INFINITY;
  for (long i = 0; i < n; i++)
    if (x[i] > max) max = x[i];
  double sum = 0;
  for (long i = 0; i < n; i++) {
    double e = exp(x[i] - max);
    out[i] = e;
    sum += e;
  }
  for (long i = 0; i < n; i++) out[i] /= sum;
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  x = bench_alloc(n * sizeof *x);
  out = bench_alloc(n * sizeof *out);
}
static void bench_prepare(void) {
  for (long i = 0; i < n; i++) x[i] = (double)((i * 7919) % 10007) / 10007 * 16 - 8;
  memset(out, 0, n * sizeof *out);
}
static void bench_run(void) { softmax(x, out, n); }
static void bench_checksum(char *out_, size_t size) { bench_format_f64(out_, size, bench_sum_f64(out, n)); }
