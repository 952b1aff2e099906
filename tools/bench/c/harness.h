/*
 * The protocol every C twin follows, so the runner can interleave it with the
 * JavaScript variants: the program takes the kernel's size parameters as
 * arguments, and for each line "run" on stdin prepares fresh inputs
 * (untimed), times one call of the kernel and prints one line of JSON:
 * {"ms": <milliseconds>, "checksum": "<result>"}. It exits at end of input.
 *
 * A twin defines bench_setup (parse sizes, allocate), bench_prepare (fill
 * inputs), bench_run (the kernel call) and bench_checksum (the result as
 * text: doubles with 17 significant digits, so they read back exactly).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void bench_setup(int argc, char **argv);
static void bench_prepare(void);
static void bench_run(void);
static void bench_checksum(char *out, size_t size);

static inline long bench_arg(int argc, char **argv, int index) {
  if (index >= argc) {
    fprintf(stderr, "%s: missing size argument %d\n", argv[0], index);
    exit(64);
  }
  return strtol(argv[index], NULL, 10);
}

static inline void *bench_alloc(size_t bytes) {
  void *p = calloc(1, bytes ? bytes : 1);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(71);
  }
  return p;
}

/* Sequential sum, the same order as the JavaScript runner's checksum. */
static inline double bench_sum_f64(const double *a, long n) {
  double s = 0;
  for (long i = 0; i < n; i++) s += a[i];
  return s;
}

static inline void bench_format_f64(char *out, size_t size, double value) { snprintf(out, size, "%.17g", value); }

static inline double bench_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  bench_setup(argc, argv);
  char line[64];
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "run", 3) != 0) {
      fprintf(stderr, "%s: unknown command %s", argv[0], line);
      return 64;
    }
    bench_prepare();
    double start = bench_now_ms();
    bench_run();
    double ms = bench_now_ms() - start;
    char checksum[64];
    bench_checksum(checksum, sizeof checksum);
    printf("{\"ms\":%.6f,\"checksum\":\"%s\"}\n", ms, checksum);
    fflush(stdout);
  }
  return 0;
}
