// exp, expm1, log, log1p, log2, log10 and scalbn, computing what V8 11.3's
// Math does (its fdlibm port, src/base/ieee754.cc): the same reductions,
// polynomials and evaluation order, so the same roundings.
#include "bits.h"

double rvsdg_scalbn(double x, int n) {
  const double two54 = 1.80143985094819840000e+16, twom54 = 5.55111512312578270212e-17;
  int32_t hx = hi(x);
  int32_t k = (hx & 0x7ff00000) >> 20;
  if (k == 0) {
    if ((lo(x) | (hx & 0x7fffffff)) == 0) return x;
    x *= two54;
    hx = hi(x);
    k = ((hx & 0x7ff00000) >> 20) - 54;
  }
  if (k == 0x7ff) return x + x;
  if (n > 50000) return __builtin_copysign(1e300, x) * 1e300;
  if (n < -50000) return __builtin_copysign(1e-300, x) * 1e-300;
  k += n;
  if (k > 0x7fe) return __builtin_copysign(1e300, x) * 1e300;
  if (k > 0) return with_hi(x, ((uint32_t)hx & 0x800fffff) | ((uint32_t)k << 20));
  if (k <= -54) return __builtin_copysign(1e-300, x) * 1e-300;
  k += 54;
  return with_hi(x, ((uint32_t)hx & 0x800fffff) | ((uint32_t)k << 20)) * twom54;
}

static const double ln2_hi = 6.93147180369123816490e-01, /* 3fe62e42 fee00000 */
    ln2_lo = 1.90821492927058770002e-10,                  /* 3dea39ef 35793c76 */
    two54 = 1.80143985094819840000e+16;

double rvsdg_exp(double x) {
  const double o_threshold = 7.09782712893383973096e+02, u_threshold = -7.45133219101941108420e+02,
               invln2 = 1.44269504088896338700e+00, P1 = 1.66666666666666019037e-01,
               P2 = -2.77777777770155933842e-03, P3 = 6.61375632143793436117e-05,
               P4 = -1.65339022054652515390e-06, P5 = 4.13813679705723846039e-08,
               twom1000 = 9.33263618503218878990e-302, two1023 = 8.988465674311579539e307;
  uint32_t ax = (uint32_t)hi(x) & 0x7fffffff;
  int negative = hi(x) < 0;
  double high = 0, low = 0;
  int32_t k = 0;

  if (ax >= 0x40862e42) { /* |x| >= 709.78..., or not finite */
    if (ax >= 0x7ff00000) {
      if (((ax & 0xfffff) | lo(x)) != 0) return x + x;
      return negative ? 0.0 : x;
    }
    if (x > o_threshold) return RVSDG_INF;
    if (x < u_threshold) return 0.0;
  }
  if (ax > 0x3fd62e42) {   /* |x| > ln2/2: reduce x = k ln2 + r */
    if (ax < 0x3ff0a2b2) { /* |x| < 1.5 ln2: k = ±1 */
      if (x == 1.0) return 2.718281828459045; /* V8 returns Math.E here */
      high = negative ? x + ln2_hi : x - ln2_hi;
      low = negative ? -ln2_lo : ln2_lo;
      k = negative ? -1 : 1;
    } else {
      k = (int32_t)(invln2 * x + (negative ? -0.5 : 0.5));
      double t = k;
      high = x - t * ln2_hi;
      low = t * ln2_lo;
    }
    x = high - low;
  } else if (ax < 0x3e300000) { /* |x| < 2^-28 */
    return 1.0 + x;
  }

  double t = x * x;
  double c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  double y = 1.0 - ((low - (x * c) / (2.0 - c)) - high);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * two1023;
    return y * from_words(0x3ff00000 + ((uint32_t)k << 20), 0);
  }
  return y * from_words(0x3ff00000 + ((uint32_t)(k + 1000) << 20), 0) * twom1000;
}

double rvsdg_expm1(double x) {
  const double o_threshold = 7.09782712893383973096e+02, invln2 = 1.44269504088896338700e+00,
               Q1 = -3.33333333333331316428e-02, Q2 = 1.58730158725481460165e-03,
               Q3 = -7.93650757867487942473e-05, Q4 = 4.00821782732936239552e-06,
               Q5 = -2.01099218183624371326e-07;
  uint32_t ax = (uint32_t)hi(x) & 0x7fffffff;
  int negative = hi(x) < 0;
  double c = 0;
  int32_t k;

  if (ax >= 0x4043687a) {   /* |x| >= 56 ln2 */
    if (ax >= 0x40862e42) { /* |x| >= 709.78... */
      if (ax >= 0x7ff00000) {
        if (((ax & 0xfffff) | lo(x)) != 0) return x + x;
        return negative ? -1.0 : x;
      }
      if (x > o_threshold) return RVSDG_INF;
    }
    if (negative) return -1.0;
  }
  if (ax > 0x3fd62e42) {   /* |x| > ln2/2 */
    double high, low;
    if (ax < 0x3ff0a2b2) { /* |x| < 1.5 ln2 */
      high = negative ? x + ln2_hi : x - ln2_hi;
      low = negative ? -ln2_lo : ln2_lo;
      k = negative ? -1 : 1;
    } else {
      k = (int32_t)(invln2 * x + (negative ? -0.5 : 0.5));
      double t = k;
      high = x - t * ln2_hi;
      low = t * ln2_lo;
    }
    x = high - low;
    c = (high - x) - low;
  } else if (ax < 0x3c900000) { /* |x| < 2^-54 */
    return x;
  } else {
    k = 0;
  }

  double hfx = 0.5 * x;
  double hxs = x * hfx;
  double r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  double t = 3.0 - r1 * hfx;
  double e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k == 0) return x - (x * e - hxs);
  double twopk = from_words(0x3ff00000 + ((uint32_t)k << 20), 0);
  e = (x * (e - c) - c);
  e -= hxs;
  if (k == -1) return 0.5 * (x - e) - 0.5;
  if (k == 1) return x < -0.25 ? -2.0 * (e - (x + 0.5)) : 1.0 + 2.0 * (x - e);
  double y;
  if (k <= -2 || k > 56) {
    y = 1.0 - (e - x);
    y = k == 1024 ? y * 2.0 * 8.98846567431158e+307 : y * twopk;
    return y - 1.0;
  }
  if (k < 20) {
    y = from_words(0x3ff00000 - (0x200000 >> k), 0) - (e - x); /* (1 - 2^-k) - (e - x) */
  } else {
    y = x - (e + from_words((uint32_t)(0x3ff - k) << 20, 0)); /* 2^-k */
    y += 1.0;
  }
  return y * twopk;
}

static const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                    Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                    Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                    Lg7 = 1.479819860511658591e-01;

/* Splits a positive finite normal-or-subnormal x into 2^k * m, m in [sqrt(2)/2, sqrt(2)). */
static double log_reduce(double x, int32_t *k_out, int32_t *hx_out) {
  int32_t hx = hi(x), k = 0;
  if (hx < 0x00100000) {
    k -= 54;
    x *= two54;
    hx = hi(x);
  }
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  int32_t i = (hx + 0x95f64) & 0x100000;
  *k_out = k + (i >> 20);
  *hx_out = hx;
  return with_hi(x, (uint32_t)(hx | (i ^ 0x3ff00000)));
}

double rvsdg_log(double x) {
  int32_t hx = hi(x);
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lo(x)) == 0) return -RVSDG_INF;
    if (hx < 0) return RVSDG_NAN;
  }
  if (hx >= 0x7ff00000) return x + x;
  int32_t k;
  x = log_reduce(x, &k, &hx);
  double f = x - 1.0;
  double dk = (double)k;
  if ((0x000fffff & (2 + hx)) < 3) { /* |f| < 2^-20 */
    if (f == 0.0) return k == 0 ? 0.0 : dk * ln2_hi + dk * ln2_lo;
    double R = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - R : dk * ln2_hi - ((R - dk * ln2_lo) - f);
  }
  double s = f / (2.0 + f);
  double z = s * s;
  double w = z * z;
  double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  double R = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    double hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
}

double rvsdg_log1p(double x) {
  int32_t hx = hi(x);
  int32_t ax = hx & 0x7fffffff;
  int32_t k = 1, hu = 0;
  double f = 0, c = 0;
  if (hx < 0x3fda827a) {    /* 1 + x < sqrt(2)+ */
    if (ax >= 0x3ff00000) { /* x <= -1 */
      return x == -1.0 ? -RVSDG_INF : RVSDG_NAN;
    }
    if (ax < 0x3e200000) { /* |x| < 2^-29 */
      if (ax < 0x3c900000) return x;
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (int32_t)0xbfd2bec4) { /* sqrt(2)/2- <= 1 + x < sqrt(2)+ */
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k != 0) {
    double u;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = hi(u);
      k = (hu >> 20) - 1023;
      c = (k > 0) ? 1.0 - (u - x) : x - (u - 1.0);
      c /= u;
    } else {
      u = x;
      hu = hi(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = with_hi(u, (uint32_t)(hu | 0x3ff00000));
    } else {
      k += 1;
      u = with_hi(u, (uint32_t)(hu | 0x3fe00000));
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  double hfsq = 0.5 * f * f;
  if (hu == 0) { /* |f| < 2^-20 */
    if (f == 0.0) {
      if (k == 0) return 0.0;
      c += k * ln2_lo;
      return k * ln2_hi + c;
    }
    double R = hfsq * (1.0 - 0.66666666666666666 * f);
    if (k == 0) return f - R;
    return k * ln2_hi - ((R - (k * ln2_lo + c)) - f);
  }
  double s = f / (2.0 + f);
  double z = s * s;
  double R = z * (Lg1 + z * (Lg2 + z * (Lg3 + z * (Lg4 + z * (Lg5 + z * (Lg6 + z * Lg7))))));
  if (k == 0) return f - (hfsq - s * (hfsq + R));
  return k * ln2_hi - ((hfsq - (s * (hfsq + R) + (k * ln2_lo + c))) - f);
}

/* log(1 + f) - f + f*f/2 for 1 + f in [sqrt(2)/2, sqrt(2)] (FreeBSD's k_log1p). */
static double log1p_tail(double f) {
  double s = f / (2.0 + f);
  double z = s * s;
  double w = z * z;
  double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  double hfsq = 0.5 * f * f;
  return s * (hfsq + (t2 + t1));
}

double rvsdg_log2(double x) {
  const double ivln2hi = 1.44269504072144627571e+00, ivln2lo = 1.67517131648865118353e-10;
  int32_t hx = hi(x);
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lo(x)) == 0) return -RVSDG_INF;
    if (hx < 0) return RVSDG_NAN;
  }
  if (hx >= 0x7ff00000) return x + x;
  if (hx == 0x3ff00000 && lo(x) == 0) return 0.0;
  int32_t k;
  x = log_reduce(x, &k, &hx);
  double y = (double)k;
  double f = x - 1.0;
  double hfsq = 0.5 * f * f;
  double r = log1p_tail(f);
  double high = head(f - hfsq);
  double low = (f - high) - hfsq + r;
  double val_hi = high * ivln2hi;
  double val_lo = (low + high) * ivln2lo + low * ivln2hi;
  double w = y + val_hi;
  val_lo += (y - w) + val_hi;
  val_hi = w;
  return val_lo + val_hi;
}

double rvsdg_log10(double x) {
  const double ivln10 = 4.34294481903251816668e-01, log10_2hi = 3.01029995663611771306e-01,
               log10_2lo = 3.69423907715893078616e-13;
  int32_t hx = hi(x), k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lo(x)) == 0) return -RVSDG_INF;
    if (hx < 0) return RVSDG_NAN;
    k -= 54;
    x *= two54;
    hx = hi(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  if (hx == 0x3ff00000 && lo(x) == 0) return 0.0;
  k += (hx >> 20) - 1023;
  int32_t i = (int32_t)(((uint32_t)k & 0x80000000) >> 31);
  double y = k + i;
  x = with_hi(x, (uint32_t)((hx & 0x000fffff) | ((0x3ff - i) << 20)));
  double z = y * log10_2lo + ivln10 * rvsdg_log(x);
  return z + y * log10_2hi;
}
