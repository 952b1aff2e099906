#include "harness.h"

static long n;
static uint8_t *data;
static uint32_t result;

static uint32_t fnv1a(const uint8_t *data, long n) {
  uint32_t hash = 2166136261u;
  for (long i = 0; i < n; i++) hash = (hash ^ data[i]) * 16777619u;
  return hash;
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  data = bench_alloc(n);
}
static void bench_prepare(void) {
  for (long i = 0; i < n; i++) data[i] = (uint8_t)((i * 31 + 7) % 256);
}
static void bench_run(void) { result = fnv1a(data, n); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, (double)result); }
