// sinh, cosh, tanh, asinh, acosh, atanh as V8 11.3 computes them (fdlibm,
// with V8's own overflow thresholds for sinh and cosh).
#include "bits.h"

static const double ln2 = 6.93147180559945286227e-01;

double rvsdg_sinh(double x) {
  const double overflow = 710.4758600739439, log_max = 709.7822265625;
  double h = x < 0 ? -0.5 : 0.5;
  double ax = fabs_(x);
  if (ax < 22) {
    if (ax < 3.725290298461914e-9) return x; /* 2^-28 */
    double t = rvsdg_expm1(ax);
    if (ax < 1) return h * (2 * t - t * t / (t + 1));
    return h * (t + t / (t + 1));
  }
  if (ax < log_max) return h * rvsdg_exp(ax);
  if (ax <= overflow) {
    double w = rvsdg_exp(0.5 * ax);
    double t = h * w;
    return t * w;
  }
  return x * 1.0e307; /* ±Infinity, or NaN */
}

double rvsdg_cosh(double x) {
  const double overflow = 710.4758600739439;
  int32_t ix = hi(x) & 0x7fffffff;
  if (ix < 0x3fd62e43) { /* |x| < ln2/2 */
    double t = rvsdg_expm1(fabs_(x));
    double w = 1.0 + t;
    if (ix < 0x3c800000) return w;
    return 1.0 + (t * t) / (w + w);
  }
  if (ix < 0x40360000) { /* |x| < 22 */
    double t = rvsdg_exp(fabs_(x));
    return 0.5 * t + 0.5 / t;
  }
  if (ix < 0x40862e42) return 0.5 * rvsdg_exp(fabs_(x));
  if (fabs_(x) <= overflow) {
    double w = rvsdg_exp(0.5 * fabs_(x));
    double t = 0.5 * w;
    return t * w;
  }
  if (ix >= 0x7ff00000) return x * x;
  return RVSDG_INF;
}

double rvsdg_tanh(double x) {
  int32_t jx = hi(x);
  int32_t ix = jx & 0x7fffffff;
  double z;
  if (ix >= 0x7ff00000) { /* ±Infinity, NaN */
    return jx >= 0 ? 1.0 / x + 1.0 : 1.0 / x - 1.0;
  }
  if (ix < 0x40360000) { /* |x| < 22 */
    if (ix < 0x3e300000) return x;
    if (ix >= 0x3ff00000) {
      double t = rvsdg_expm1(2.0 * fabs_(x));
      z = 1.0 - 2.0 / (t + 2.0);
    } else {
      double t = rvsdg_expm1(-2.0 * fabs_(x));
      z = -t / (t + 2.0);
    }
  } else {
    z = 1.0;
  }
  return jx >= 0 ? z : -z;
}

double rvsdg_asinh(double x) {
  int32_t hx = hi(x);
  int32_t ix = hx & 0x7fffffff;
  double w;
  if (ix >= 0x7ff00000) return x + x;
  if (ix < 0x3e300000) return x; /* |x| < 2^-28 */
  if (ix > 0x41b00000) {         /* |x| > 2^28 */
    w = rvsdg_log(fabs_(x)) + ln2;
  } else if (ix > 0x40000000) { /* 2 < |x| <= 2^28 */
    double t = fabs_(x);
    w = rvsdg_log(2.0 * t + 1.0 / (__builtin_sqrt(x * x + 1.0) + t));
  } else {
    double t = x * x;
    w = rvsdg_log1p(fabs_(x) + t / (1.0 + __builtin_sqrt(1.0 + t)));
  }
  return hx > 0 ? w : -w;
}

double rvsdg_acosh(double x) {
  int32_t hx = hi(x);
  if (hx < 0x3ff00000) return RVSDG_NAN; /* x < 1, also -NaN */
  if (hx >= 0x41b00000) {                /* x > 2^28 */
    if (hx >= 0x7ff00000) return x + x;
    return rvsdg_log(x) + ln2;
  }
  if (((hx - 0x3ff00000) | lo(x)) == 0) return 0.0;
  if (hx > 0x40000000) {
    double t = x * x;
    return rvsdg_log(2.0 * x - 1.0 / (x + __builtin_sqrt(t - 1.0)));
  }
  double t = x - 1.0;
  return rvsdg_log1p(t + __builtin_sqrt(2.0 * t + t * t));
}

double rvsdg_atanh(double x) {
  int32_t hx = hi(x);
  int32_t ix = hx & 0x7fffffff;
  uint32_t lx = lo(x);
  if (((uint32_t)ix | ((lx | (0u - lx)) >> 31)) > 0x3ff00000u) return RVSDG_NAN; /* |x| > 1, NaN */
  if (ix == 0x3ff00000) return x > 0 ? RVSDG_INF : -RVSDG_INF;
  if (ix < 0x3e300000) return x; /* |x| < 2^-28 */
  x = with_hi(x, (uint32_t)ix);
  double t;
  if (ix < 0x3fe00000) { /* |x| < 0.5 */
    t = x + x;
    t = 0.5 * rvsdg_log1p(t + t * x / (1.0 - x));
  } else {
    t = 0.5 * rvsdg_log1p((x + x) / (1.0 - x));
  }
  return hx >= 0 ? t : -t;
}
