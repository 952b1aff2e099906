#include "harness.h"

static long n;
static double *points, *out;

static void pairwise(const double *points, double *out, long n) {
  for (long i = 0; i < n; i++)
    for (long j = 0; j < n; j++) {
      double dx = points[3 * i] - points[3 * j];
      double dy = points[3 * i + 1] - points[3 * j + 1];
      double dz = points[3 * i + 2] - points[3 * j + 2];
      out[i * n + j] = sqrt(dx * dx + dy * dy + dz * dz);
    }
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  points = bench_alloc(3 * n * sizeof *points);
  out = bench_alloc(n * n * sizeof *out);
}
static void bench_prepare(void) {
  for (long k = 0; k < 3 * n; k++) points[k] = (double)((k * 17) % 1000) / 100;
  memset(out, 0, n * n * sizeof *out);
}
static void bench_run(void) { pairwise(points, out, n); }
static void bench_checksum(char *text, size_t size) { bench_format_f64(text, size, bench_sum_f64(out, n * n)); }
