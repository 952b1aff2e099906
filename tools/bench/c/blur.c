#include "harness.h"

static long width, height;
static uint8_t *src, *dst;

/*
 * Stores round to nearest like Uint8ClampedArray (a sum of nine bytes over 9 is never a tie, nor out of range):
 * rint, which clang inlines and vectorizes, where lrint stays a call into libm.
 */
static void blur(const uint8_t *src, uint8_t *dst, long width, long height) {
  for (long y = 1; y < height - 1; y++)
    for (long x = 1; x < width - 1; x++) {
      long c = y * width + x;
      int sum = src[c - width - 1] + src[c - width] + src[c - width + 1] + src[c - 1] + src[c] + src[c + 1] +
                src[c + width - 1] + src[c + width] + src[c + width + 1];
      dst[c] = (uint8_t)rint((double)sum / 9);
    }
}

static void bench_setup(int argc, char **argv) {
  width = bench_arg(argc, argv, 1);
  height = bench_arg(argc, argv, 2);
  src = bench_alloc(width * height);
  dst = bench_alloc(width * height);
}
static void bench_prepare(void) {
  for (long i = 0; i < width * height; i++) src[i] = (uint8_t)((i * 7 + 3) % 251);
  memset(dst, 0, width * height);
}
static void bench_run(void) { blur(src, dst, width, height); }
static void bench_checksum(char *out, size_t size) {
  double s = 0;
  for (long i = 0; i < width * height; i++) s += dst[i];
  bench_format_f64(out, size, s);
}
