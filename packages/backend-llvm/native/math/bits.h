// Shared helpers of the rvsdg_* math functions: V8's Math (an fdlibm port)
// reasons about doubles through their high and low 32-bit words, so these
// functions do too. Compile with -ffp-contract=off and without fast-math:
// every rounding step must happen exactly where the algorithm puts it.
#ifndef RVSDG_MATH_BITS_H
#define RVSDG_MATH_BITS_H

#include <stdint.h>
#include <string.h>

static inline uint64_t bits_of(double x) {
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return b;
}

static inline double double_of(uint64_t b) {
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

/* The sign and exponent word, as a signed int so `hi(x) < 0` tests the sign. */
static inline int32_t hi(double x) { return (int32_t)(bits_of(x) >> 32); }
static inline uint32_t lo(double x) { return (uint32_t)bits_of(x); }
static inline double from_words(uint32_t high, uint32_t low) {
  return double_of(((uint64_t)high << 32) | low);
}
static inline double with_hi(double x, uint32_t high) { return from_words(high, lo(x)); }
static inline double with_lo(double x, uint32_t low) { return from_words((uint32_t)hi(x), low); }
/* x with its low 32 bits cleared: the "head" of a double-double split. */
static inline double head(double x) { return with_lo(x, 0); }

static inline double fabs_(double x) { return double_of(bits_of(x) & 0x7fffffffffffffffULL); }

#define RVSDG_NAN (__builtin_nan(""))
#define RVSDG_INF (__builtin_inf())

/* Internal kernels shared between files. */
double rvsdg_scalbn(double x, int n);

double rvsdg_exp(double x);
double rvsdg_expm1(double x);
double rvsdg_log(double x);
double rvsdg_log1p(double x);
double rvsdg_log2(double x);
double rvsdg_log10(double x);
double rvsdg_sin(double x);
double rvsdg_cos(double x);
double rvsdg_tan(double x);
double rvsdg_asin(double x);
double rvsdg_acos(double x);
double rvsdg_atan(double x);
double rvsdg_atan2(double y, double x);
double rvsdg_sinh(double x);
double rvsdg_cosh(double x);
double rvsdg_tanh(double x);
double rvsdg_asinh(double x);
double rvsdg_acosh(double x);
double rvsdg_atanh(double x);
double rvsdg_cbrt(double x);
double rvsdg_pow(double x, double y);
double rvsdg_hypot(double x, double y);

#endif
