#include "harness.h"

static long n;
static uint8_t *a, *b, *out;

/*
 * A store into a Uint8ClampedArray: NaN and below 0 give 0, above 255 gives 255, else round half to even (rint in
 * the default rounding mode; clang inlines and vectorizes rint, where lrint stays a call into libm).
 */
static inline uint8_t clamped(double v) { return v > 0 ? v < 255 ? (uint8_t)rint(v) : 255 : 0; }

static void blend(const uint8_t *a, const uint8_t *b, uint8_t *out, long n, double t) {
  for (long i = 0; i < n; i++) out[i] = clamped(a[i] + (double)(b[i] - a[i]) * t);
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1) * bench_arg(argc, argv, 2) * 4;
  a = bench_alloc(n);
  b = bench_alloc(n);
  out = bench_alloc(n);
}
static void bench_prepare(void) {
  for (long i = 0; i < n; i++) {
    a[i] = (uint8_t)((i * 7 + 3) % 256);
    b[i] = (uint8_t)((i * 13 + 5) % 251);
  }
  memset(out, 0, n);
}
static void bench_run(void) { blend(a, b, out, n, 0.25); }
static void bench_checksum(char *out_, size_t size) {
  double s = 0;
  for (long i = 0; i < n; i++) s += out[i];
  bench_format_f64(out_, size, s);
}
