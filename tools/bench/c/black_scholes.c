#include "harness.h"

static long n;
static double *price, *strike, *years, *call, *put;

static void black_scholes(const double *price, const double *strike, const double *years, double *call, double *put,
                          long n) {
  const double rate = 0.02, volatility = 0.3;
  for (long i = 0; i < n; i++) {
    double s = price[i], k = strike[i], t = years[i];
    double sqrt_t = sqrt(t);
    double d1 = (log(s / k) + (rate + 0.5 * volatility * volatility) * t) / (volatility * sqrt_t);
    double d2 = d1 - volatility * sqrt_t;

    double k1 = 1 / (1 + 0.2316419 * fabs(d1));
    double cnd1 = 0.3989422804014327 * exp(-0.5 * d1 * d1) *
                  (k1 * (0.31938153 + k1 * (-0.356563782 + k1 * (1.781477937 + k1 * (-1.821255978 + k1 * 1.330274429)))));
    if (d1 > 0) cnd1 = 1 - cnd1;

    double k2 = 1 / (1 + 0.2316419 * fabs(d2));
    double cnd2 = 0.3989422804014327 * exp(-0.5 * d2 * d2) *
                  (k2 * (0.31938153 + k2 * (-0.356563782 + k2 * (1.781477937 + k2 * (-1.821255978 + k2 * 1.330274429)))));
    if (d2 > 0) cnd2 = 1 - cnd2;

    double discounted = k * exp(-rate * t);
    call[i] = s * cnd1 - discounted * cnd2;
    put[i] = discounted * (1 - cnd2) - s * (1 - cnd1);
  }
}

static void bench_setup(int argc, char **argv) {
  n = bench_arg(argc, argv, 1);
  price = bench_alloc(n * sizeof(double));
  strike = bench_alloc(n * sizeof(double));
  years = bench_alloc(n * sizeof(double));
  call = bench_alloc(n * sizeof(double));
  put = bench_alloc(n * sizeof(double));
}
static void bench_prepare(void) {
  for (long i = 0; i < n; i++) {
    price[i] = 5 + (double)(i % 100) * 0.25;
    strike[i] = 1 + (double)((i * 7) % 100) * 0.3;
    years[i] = 0.25 + (double)((i * 13) % 40) * 0.05;
  }
}
static void bench_run(void) { black_scholes(price, strike, years, call, put, n); }
static void bench_checksum(char *out, size_t size) {
  double s = bench_sum_f64(call, n);
  for (long i = 0; i < n; i++) s += put[i];
  bench_format_f64(out, size, s);
}
