/* sum_loop on doubles: JavaScript numbers are doubles, so the twin is too. */
#include "harness.h"

static double a, result;

static double sum_loop(double a) {
  double b = 0;
  double i = 0;
  while (i < a) {
    b = b + i;
    i = i + 1;
  }
  return b;
}

static void bench_setup(int argc, char **argv) { a = (double)bench_arg(argc, argv, 1); }
static void bench_prepare(void) {}
static void bench_run(void) { result = sum_loop(a); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, result); }
