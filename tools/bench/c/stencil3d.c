#include "harness.h"

static long n, sweeps;
static double *a, *b;

static void stencil3d(double *a, double *b, long n, long sweeps) {
  long plane = n * n;
  for (long s = 0; s < sweeps; s++) {
    for (long z = 1; z < n - 1; z++)
      for (long y = 1; y < n - 1; y++)
        for (long x = 1; x < n - 1; x++) {
          long c = z * plane + y * n + x;
          b[c] = 0.4 * a[c] + 0.1 * (a[c - 1] + a[c + 1] + a[c - n] + a[c + n] + a[c - plane] + a[c + plane]);
        }
    double *t = a;
    a = b;
    b = t;
  }
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  sweeps = bench_arg(argc, argv, 2);
  a = bench_alloc(n * n * n * sizeof *a);
  b = bench_alloc(n * n * n * sizeof *b);
}
static void bench_prepare(void) {
  for (long i = 0; i < n * n * n; i++) a[i] = (double)((i * 31) % 103) / 103;
  memcpy(b, a, n * n * n * sizeof *a);
}
static void bench_run(void) { stencil3d(a, b, n, sweeps); }
/* After an even number of sweeps the result is in a, after an odd one in b. */
static void bench_checksum(char *out, size_t size) {
  bench_format_f64(out, size, bench_sum_f64(sweeps % 2 == 0 ? a : b, n * n * n));
}
