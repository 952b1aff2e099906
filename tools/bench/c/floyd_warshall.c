#include "harness.h"

static long n;
static double *dist;

static void floyd_warshall(double *dist, long n) {
  for (long k = 0; k < n; k++)
    for (long i = 0; i < n; i++) {
      double ik = dist[i * n + k];
      for (long j = 0; j < n; j++) {
        double through = ik + dist[k * n + j];
        if (through < dist[i * n + j]) dist[i * n + j] = through;
      }
    }
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  dist = bench_alloc(n * n * sizeof *dist);
}
static void bench_prepare(void) {
  for (long i = 0; i < n; i++)
    for (long j = 0; j < n; j++) {
      long h = (i * 7919 + j * 104729) % 1009;
      dist[i * n + j] = i == j ? 0 : j == (i + 1) % n || h % 7 == 0 ? (double)(1 + h % 50) : INFINITY;
    }
}
static void bench_run(void) { floyd_warshall(dist, n); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, bench_sum_f64(dist, n * n)); }
