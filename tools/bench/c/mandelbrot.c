#include "harness.h"

static long width, height, max_iter;
static int32_t *out;

static void mandelbrot(int32_t *out, long width, long height, long max_iter) {
  for (long y = 0; y < height; y++) {
    double ci = ((double)y * 2.0) / (double)height - 1.0;
    for (long x = 0; x < width; x++) {
      double cr = ((double)x * 3.0) / (double)width - 2.0;
      double zr = 0.0, zi = 0.0;
      int32_t k = 0;
      while (k < max_iter && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        k++;
      }
      out[y * width + x] = k;
    }
  }
}

static void bench_setup(int argc, char **argv) {
  width = bench_arg(argc, argv, 1);
  height = bench_arg(argc, argv, 2);
  max_iter = bench_arg(argc, argv, 3);
  out = bench_alloc(width * height * sizeof *out);
}
static void bench_prepare(void) { memset(out, 0, width * height * sizeof *out); }
static void bench_run(void) { mandelbrot(out, width, height, max_iter); }
static void bench_checksum(char *text, size_t size) {
  double s = 0;
  for (long i = 0; i < width * height; i++) s += out[i];
  bench_format_f64(text, size, s);
}
