// pow (Math.pow and **), cbrt and hypot as V8 11.3 computes them: fdlibm's
// pow with JavaScript's special cases, FreeBSD's cbrt, and the Torque
// Math.hypot (scale by the largest magnitude, Kahan-sum the squares).
#include "bits.h"

double rvsdg_pow(double x, double y) {
  static const double bp[] = {1.0, 1.5}, dp_h[] = {0.0, 5.84962487220764160156e-01},
                      dp_l[] = {0.0, 1.35003920212974897128e-08};
  const double two53 = 9007199254740992.0, huge = 1.0e300, tiny = 1.0e-300,
               L1 = 5.99999999999994648725e-01, L2 = 4.28571428578550184252e-01,
               L3 = 3.33333329818377432918e-01, L4 = 2.72728123808534006489e-01,
               L5 = 2.30660745775561754067e-01, L6 = 2.06975017800338417784e-01,
               P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
               P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
               P5 = 4.13813679705723846039e-08, lg2 = 6.93147180559945286227e-01,
               lg2_h = 6.93147182464599609375e-01, lg2_l = -1.90465429995776804525e-09,
               ovt = 8.0085662595372944372e-0017, cp = 9.61796693925975554329e-01,
               cp_h = 9.61796700954437255859e-01, cp_l = -7.02846165095275826516e-09,
               ivln2 = 1.44269504088896338700e+00, ivln2_h = 1.44269502162933349609e+00,
               ivln2_l = 1.92596299112661746887e-08;

  int32_t hx = hi(x), hy = hi(y);
  uint32_t lx = lo(x), ly = lo(y);
  int32_t ix = hx & 0x7fffffff, iy = hy & 0x7fffffff;

  if ((iy | ly) == 0) return 1.0;       /* x ** ±0 = 1, even for NaN x */
  if (x != x || y != y) return RVSDG_NAN; /* JavaScript: NaN whenever either is NaN */

  /* for x < 0: is y an even integer (2), an odd one (1), or neither (0)? */
  int yisint = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) {
      yisint = 2;
    } else if (iy >= 0x3ff00000) {
      int32_t k = (iy >> 20) - 0x3ff;
      if (k > 20) {
        uint32_t j = ly >> (52 - k);
        if ((j << (52 - k)) == ly) yisint = 2 - (int)(j & 1);
      } else if (ly == 0) {
        int32_t j = iy >> (20 - k);
        if ((j << (20 - k)) == iy) yisint = 2 - (j & 1);
      }
    }
  }

  if (ly == 0) {
    if (iy == 0x7ff00000) { /* y = ±Infinity */
      if (((ix - 0x3ff00000) | lx) == 0) return RVSDG_NAN; /* (±1) ** ±Infinity */
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0.0;
      return hy < 0 ? -y : 0.0;
    }
    if (iy == 0x3ff00000) return hy < 0 ? 1.0 / x : x;
    if (hy == 0x40000000) return x * x;
    if (hy == 0x3fe00000 && hx >= 0) return __builtin_sqrt(x);
  }

  double ax = fabs_(x);
  if (lx == 0 && (ix == 0x7ff00000 || ix == 0 || ix == 0x3ff00000)) { /* ±0, ±Infinity, ±1 */
    double z = ax;
    if (hy < 0) z = 1.0 / z;
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yisint) == 0) {
        z = RVSDG_NAN; /* (-1) ** non-integer */
      } else if (yisint == 1) {
        z = -z;
      }
    }
    return z;
  }

  int32_t n = (int32_t)((uint32_t)hx >> 31) ^ 1; /* 1 for x >= 0, 0 for x < 0 */
  if ((n | yisint) == 0) return RVSDG_NAN;        /* negative ** non-integer */
  double s = ((n | (yisint - 1)) == 0) ? -1.0 : 1.0; /* sign of the result */

  double t1, t2;
  if (iy > 0x41e00000) {   /* |y| > 2^31 */
    if (iy > 0x43f00000) { /* |y| > 2^64: over- or underflows */
      if (ix <= 0x3fefffff) return hy < 0 ? huge * huge : tiny * tiny;
      if (ix >= 0x3ff00000) return hy > 0 ? huge * huge : tiny * tiny;
    }
    if (ix < 0x3fefffff) return hy < 0 ? s * huge * huge : s * tiny * tiny;
    if (ix > 0x3ff00000) return hy > 0 ? s * huge * huge : s * tiny * tiny;
    /* |1 - x| <= 2^-20: log(x) by its series */
    double t = ax - 1.0;
    double w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    double u = ivln2_h * t;
    double v = t * ivln2_l - w * ivln2;
    t1 = head(u + v);
    t2 = v - (t1 - u);
  } else {
    /* log2(ax) as t1 + t2 with extra precision */
    n = 0;
    if (ix < 0x00100000) {
      ax *= two53;
      n -= 53;
      ix = hi(ax);
    }
    n += (ix >> 20) - 0x3ff;
    int32_t j = ix & 0x000fffff;
    int k;
    ix = j | 0x3ff00000;
    if (j <= 0x3988e) {
      k = 0; /* |x| < sqrt(3/2) */
    } else if (j < 0xbb67a) {
      k = 1; /* |x| < sqrt(3) */
    } else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    ax = with_hi(ax, (uint32_t)ix);

    double u = ax - bp[k];
    double v = 1.0 / (ax + bp[k]);
    double ss = u * v;
    double s_h = head(ss);
    double t_h = from_words((uint32_t)(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18)), 0);
    double t_l = ax - (t_h - bp[k]);
    double s_l = v * ((u - s_h * t_h) - s_h * t_l);
    double s2 = ss * ss;
    double r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += s_l * (s_h + ss);
    s2 = s_h * s_h;
    t_h = head(3.0 + s2 + r);
    t_l = r - ((t_h - 3.0) - s2);
    u = s_h * t_h;
    v = s_l * t_h + t_l * ss;
    double p_h = head(u + v);
    double p_l = v - (p_h - u);
    double z_h = cp_h * p_h;
    double z_l = cp_l * p_h + p_l * cp + dp_l[k];
    double t = (double)n;
    t1 = head(((z_h + z_l) + dp_h[k]) + t);
    t2 = z_l - (((t1 - t) - dp_h[k]) - z_h);
  }

  /* y * log2(x) as p_h + p_l, y split into y1 + (y - y1) */
  double y1 = head(y);
  double p_l = (y - y1) * t1 + y * t2;
  double p_h = y1 * t1;
  double z = p_l + p_h;
  int32_t j = hi(z);
  int32_t i = (int32_t)lo(z);
  if (j >= 0x40900000) { /* z >= 1024 */
    if (((j - 0x40900000) | i) != 0) return s * huge * huge;
    if (p_l + ovt > z - p_h) return s * huge * huge;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) { /* z <= -1075 */
    if ((int32_t)(((uint32_t)j - 0xc090cc00u) | (uint32_t)i) != 0) return s * tiny * tiny;
    if (p_l <= z - p_h) return s * tiny * tiny;
  }

  /* 2 ** (p_h + p_l) = 2^n * 2^(remainder) */
  i = j & 0x7fffffff;
  int32_t k = (i >> 20) - 0x3ff;
  n = 0;
  if (i > 0x3fe00000) { /* |z| > 0.5: n = nearest integer */
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    double t = from_words((uint32_t)(n & ~(0x000fffff >> k)), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    p_h -= t;
  }
  double t = head(p_l + p_h);
  double u = t * lg2_h;
  double v = (p_l - (t - p_h)) * lg2 + t * lg2_l;
  z = u + v;
  double w = v - (z - u);
  t = z * z;
  t1 = z - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  double r = (z * t1) / ((t1 - 2.0) - (w + z * w));
  z = 1.0 - (r - z);
  j = hi(z) + (int32_t)((uint32_t)n << 20);
  if ((j >> 20) <= 0) {
    z = rvsdg_scalbn(z, n);
  } else {
    z = with_hi(z, (uint32_t)j);
  }
  return s * z;
}

double rvsdg_cbrt(double x) {
  const uint32_t B1 = 715094163, B2 = 696219795;
  const double P0 = 1.87595182427177009643, P1 = -1.88497979543377169875,
               P2 = 1.621429720105354466140, P3 = -0.758397934778766047437,
               P4 = 0.145996192886612446982;
  int32_t hx = hi(x);
  uint32_t sign = (uint32_t)hx & 0x80000000;
  hx &= 0x7fffffff;
  if (hx >= 0x7ff00000) return x + x;
  double t;
  if (hx < 0x00100000) { /* zero or subnormal */
    if ((hx | (int32_t)lo(x)) == 0) return x;
    t = from_words(0x43500000, 0) * x; /* 2^54 x */
    t = from_words(sign | (((uint32_t)hi(t) & 0x7fffffff) / 3 + B2), 0);
  } else {
    t = from_words(sign | ((uint32_t)hx / 3 + B1), 0);
  }
  /* to 23 bits with a polynomial in t^3 / x */
  double r = (t * t) * (t / x);
  t = t * ((P0 + r * (P1 + r * P2)) + ((r * r) * r) * (P3 + r * P4));
  /* round away from zero to 23 bits */
  t = double_of((bits_of(t) + 0x80000000ULL) & 0xffffffffc0000000ULL);
  /* one Newton step to 53 bits */
  double s = t * t;
  r = x / s;
  double w = t + t;
  r = (r - t) / (w + r);
  return t + t * r;
}

double rvsdg_hypot(double x, double y) {
  double ax = fabs_(x), ay = fabs_(y);
  if (ax == RVSDG_INF || ay == RVSDG_INF) return RVSDG_INF;
  if (x != x || y != y) return RVSDG_NAN;
  double max = ax > ay ? ax : ay;
  if (max == 0) return 0.0;
  double sum = 0, compensation = 0;
  double n = ax / max;
  double summand = n * n - compensation;
  double preliminary = sum + summand;
  compensation = (preliminary - sum) - summand;
  sum = preliminary;
  n = ay / max;
  summand = n * n - compensation;
  preliminary = sum + summand;
  sum = preliminary;
  return __builtin_sqrt(sum) * max;
}
