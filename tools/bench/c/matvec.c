#include "harness.h"

static long rows, cols;
static double *m, *x, *y;

static void matvec(const double *m, const double *x, double *y, long rows, long cols) {
  for (long i = 0; i < rows; i++) {
    double sum = 0;
    for (long j = 0; j < cols; j++) sum += m[i * cols + j] * x[j];
    y[i] = sum;
  }
}

static void bench_setup(int argc, char **argv) {
  rows = bench_arg(argc, argv, 1);
  cols = bench_arg(argc, argv, 2);
  m = bench_alloc(rows * cols * sizeof *m);
  x = bench_alloc(cols * sizeof *x);
  y = bench_alloc(rows * sizeof *y);
}
static void bench_prepare(void) {
  for (long i = 0; i < rows * cols; i++) m[i] = (double)((i * 17) % 101) / 101 - 0.25;
  for (long j = 0; j < cols; j++) x[j] = (double)((j * 7) % 13) / 13;
  memset(y, 0, rows * sizeof *y);
}
static void bench_run(void) { matvec(m, x, y, rows, cols); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, bench_sum_f64(y, rows)); }
