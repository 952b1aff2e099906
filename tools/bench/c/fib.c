/* fib on doubles, like JavaScript numbers. */
#include "harness.h"

static double n, result;

static double fib(double n) {
  if (n < 2) return n;
  return fib(n - 1) + fib(n - 2);
}

static void bench_setup(int argc, char **argv) { n = (double)bench_arg(argc, argv, 1); }
static void bench_prepare(void) {}
static void bench_run(void) { result = fib(n); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, result); }
