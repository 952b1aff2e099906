#include "harness.h"

static long n;
static double *u, *v, *t, result;

/* The loop bodies compute in doubles, as JavaScript does with i and j. */
static double spectral_norm(double *u, double *v, double *t, long n) {
  for (long i = 0; i < n; i++) u[i] = 1;
  for (int iter = 0; iter < 10; iter++) {
    for (long i = 0; i < n; i++) {
      double sum = 0, di = (double)i;
      for (long j = 0; j < n; j++) {
        double dj = (double)j;
        sum += u[j] / (((di + dj) * (di + dj + 1)) / 2 + di + 1);
      }
      t[i] = sum;
    }
    for (long i = 0; i < n; i++) {
      double sum = 0, di = (double)i;
      for (long j = 0; j < n; j++) {
        double dj = (double)j;
        sum += t[j] / (((dj + di) * (dj + di + 1)) / 2 + dj + 1);
      }
      v[i] = sum;
    }
    for (long i = 0; i < n; i++) {
      double sum = 0, di = (double)i;
      for (long j = 0; j < n; j++) {
        double dj = (double)j;
        sum += v[j] / (((di + dj) * (di + dj + 1)) / 2 + di + 1);
      }
      t[i] = sum;
    }
    for (long i = 0; i < n; i++) {
      double sum = 0, di = (double)i;
      for (long j = 0; j < n; j++) {
        double dj = (double)j;
        sum += t[j] / (((dj + di) * (dj + di + 1)) / 2 + dj + 1);
      }
      u[i] = sum;
    }
  }
  double vBv = 0, vv = 0;
  for (long i = 0; i < n; i++) {
    vBv += u[i] * v[i];
    vv += v[i] * v[i];
  }
  return sqrt(vBv / vv);
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  u = bench_alloc(n * sizeof *u);
  v = bench_alloc(n * sizeof *v);
  t = bench_alloc(n * sizeof *t);
}
static void bench_prepare(void) {}
static void bench_run(void) { result = spectral_norm(u, v, t, n); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, result); }
