/* sum_loop on 64-bit integers, with the overflow check JavaScript's BigInt semantics need in 64 bits. */
#include "harness.h"

static int64_t a, result;

static int64_t sum_bigint(int64_t a) {
  int64_t b = 0;
  int64_t i = 0;
  while (i < a) {
    if (__builtin_add_overflow(b, i, &b)) {
      fprintf(stderr, "RangeError: sum leaves 64 bits\n");
      exit(1);
    }
    i = i + 1;
  }
  return b;
}

static void bench_setup(int argc, char **argv) { a = bench_arg(argc, argv, 1); }
static void bench_prepare(void) {}
static void bench_run(void) { result = sum_bigint(a); }
static void bench_checksum(char *out, size_t size) { snprintf(out, size, "%lld", (long long)result); }
