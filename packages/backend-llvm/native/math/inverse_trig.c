// asin, acos, atan, atan2 as V8 11.3 computes them (fdlibm).
#include "bits.h"

static const double pio2_hi = 1.57079632679489655800e+00, pio2_lo = 6.12323399573676603587e-17,
                    pio4_hi = 7.85398163397448278999e-01;

/* The rational approximation R(z) of (asin(x) - x) / x^3 at z = x^2, as p and q. */
static double asin_ratio(double z, double *q) {
  const double pS0 = 1.66666666666666657415e-01, pS1 = -3.25565818622400915405e-01,
               pS2 = 2.01212532134862925881e-01, pS3 = -4.00555345006794114027e-02,
               pS4 = 7.91534994289814532176e-04, pS5 = 3.47933107596021167570e-05,
               qS1 = -2.40339491173441421878e+00, qS2 = 2.02094576023350569471e+00,
               qS3 = -6.88283971605453293030e-01, qS4 = 7.70381505559019352791e-02;
  *q = 1.0 + z * (qS1 + z * (qS2 + z * (qS3 + z * qS4)));
  return z * (pS0 + z * (pS1 + z * (pS2 + z * (pS3 + z * (pS4 + z * pS5)))));
}

double rvsdg_asin(double x) {
  int32_t hx = hi(x);
  int32_t ix = hx & 0x7fffffff;
  double q;
  if (ix >= 0x3ff00000) { /* |x| >= 1 */
    if (((ix - 0x3ff00000) | lo(x)) == 0) return x * pio2_hi + x * pio2_lo;
    return RVSDG_NAN; /* also NaN in, NaN out */
  }
  if (ix < 0x3fe00000) { /* |x| < 0.5 */
    if (ix < 0x3e400000) return x;
    double t = x * x;
    double p = asin_ratio(t, &q);
    return x + x * (p / q);
  }
  double w = 1.0 - fabs_(x);
  double t = w * 0.5;
  double p = asin_ratio(t, &q);
  double s = __builtin_sqrt(t);
  if (ix >= 0x3fef3333) { /* |x| > 0.975 */
    w = p / q;
    t = pio2_hi - (2.0 * (s + s * w) - pio2_lo);
  } else {
    w = head(s);
    double c = (t - w * w) / (s + w);
    double r = p / q;
    p = 2.0 * s * r - (pio2_lo - 2.0 * c);
    q = pio4_hi - 2.0 * w;
    t = pio4_hi - (p - q);
  }
  return hx > 0 ? t : -t;
}

double rvsdg_acos(double x) {
  const double pi = 3.14159265358979311600e+00;
  int32_t hx = hi(x);
  int32_t ix = hx & 0x7fffffff;
  double q;
  if (ix >= 0x3ff00000) {
    if (((ix - 0x3ff00000) | lo(x)) == 0) return hx > 0 ? 0.0 : pi + 2.0 * pio2_lo;
    return RVSDG_NAN;
  }
  if (ix < 0x3fe00000) { /* |x| < 0.5 */
    if (ix <= 0x3c600000) return pio2_hi + pio2_lo;
    double z = x * x;
    double p = asin_ratio(z, &q);
    double r = p / q;
    return pio2_hi - (x - (pio2_lo - x * r));
  }
  if (hx < 0) { /* x < -0.5 */
    double z = (1.0 + x) * 0.5;
    double p = asin_ratio(z, &q);
    double s = __builtin_sqrt(z);
    double r = p / q;
    double w = r * s - pio2_lo;
    return pi - 2.0 * (s + w);
  }
  double z = (1.0 - x) * 0.5;
  double s = __builtin_sqrt(z);
  double df = head(s);
  double c = (z - df * df) / (s + df);
  double p = asin_ratio(z, &q);
  double r = p / q;
  double w = r * s + c;
  return 2.0 * (df + w);
}

double rvsdg_atan(double x) {
  static const double atanhi[] = {4.63647609000806093515e-01, 7.85398163397448278999e-01,
                                  9.82793723247329054082e-01, 1.57079632679489655800e+00};
  static const double atanlo[] = {2.26987774529616870924e-17, 3.06161699786838301793e-17,
                                  1.39033110312309984516e-17, 6.12323399573676603587e-17};
  static const double aT[] = {
      3.33333333333329318027e-01,  -1.99999999998764832476e-01, 1.42857142725034663711e-01,
      -1.11111104054623557880e-01, 9.09088713343650656196e-02,  -7.69187620504482999495e-02,
      6.66107313738753120669e-02,  -5.83357013379057348645e-02, 4.97687799461593236017e-02,
      -3.65315727442169155270e-02, 1.62858201153657823623e-02,
  };
  int32_t hx = hi(x);
  int32_t ix = hx & 0x7fffffff;
  int id;
  if (ix >= 0x44100000) { /* |x| >= 2^66 */
    if (ix > 0x7ff00000 || (ix == 0x7ff00000 && lo(x) != 0)) return x + x;
    return hx > 0 ? atanhi[3] + atanlo[3] : -atanhi[3] - atanlo[3];
  }
  if (ix < 0x3fdc0000) { /* |x| < 0.4375 */
    if (ix < 0x3e400000) return x;
    id = -1;
  } else {
    x = fabs_(x);
    if (ix < 0x3ff30000) {   /* |x| < 1.1875 */
      if (ix < 0x3fe60000) { /* 7/16 <= |x| < 11/16 */
        id = 0;
        x = (2.0 * x - 1.0) / (2.0 + x);
      } else {
        id = 1;
        x = (x - 1.0) / (x + 1.0);
      }
    } else if (ix < 0x40038000) { /* |x| < 2.4375 */
      id = 2;
      x = (x - 1.5) / (1.0 + 1.5 * x);
    } else {
      id = 3;
      x = -1.0 / x;
    }
  }
  double z = x * x;
  double w = z * z;
  double s1 = z * (aT[0] + w * (aT[2] + w * (aT[4] + w * (aT[6] + w * (aT[8] + w * aT[10])))));
  double s2 = w * (aT[1] + w * (aT[3] + w * (aT[5] + w * (aT[7] + w * aT[9]))));
  if (id < 0) return x - x * (s1 + s2);
  z = atanhi[id] - ((x * (s1 + s2) - atanlo[id]) - x);
  return hx < 0 ? -z : z;
}

double rvsdg_atan2(double y, double x) {
  const double pi_o_4 = 7.8539816339744827900E-01, pi_o_2 = 1.5707963267948965580E+00,
               pi = 3.1415926535897931160E+00, pi_lo = 1.2246467991473531772E-16;
  if (x != x || y != y) return x + y;
  int32_t hx = hi(x), hy = hi(y);
  int32_t ix = hx & 0x7fffffff, iy = hy & 0x7fffffff;
  uint32_t lx = lo(x), ly = lo(y);
  if ((((uint32_t)hx - 0x3ff00000u) | lx) == 0) return rvsdg_atan(y); /* x == 1 */
  int m = ((hy >> 31) & 1) | ((hx >> 30) & 2); /* 2*sign(x) + sign(y) */
  if ((iy | ly) == 0) {                        /* y = ±0 */
    if (m < 2) return y;
    return m == 2 ? pi : -pi;
  }
  if ((ix | lx) == 0) return hy < 0 ? -pi_o_2 : pi_o_2;
  if (ix == 0x7ff00000) {
    if (iy == 0x7ff00000) {
      switch (m) {
        case 0: return pi_o_4;
        case 1: return -pi_o_4;
        case 2: return 3.0 * pi_o_4;
        default: return -3.0 * pi_o_4;
      }
    }
    switch (m) {
      case 0: return 0.0;
      case 1: return -0.0;
      case 2: return pi;
      default: return -pi;
    }
  }
  if (iy == 0x7ff00000) return hy < 0 ? -pi_o_2 : pi_o_2;
  int32_t k = (iy - ix) >> 20;
  double z;
  if (k > 60) { /* |y/x| > 2^60 */
    z = pi_o_2 + 0.5 * pi_lo;
    m &= 1;
  } else if (hx < 0 && k < -60) {
    z = 0.0;
  } else {
    z = rvsdg_atan(fabs_(y / x));
  }
  switch (m) {
    case 0: return z;
    case 1: return -z;
    case 2: return pi - (z - pi_lo);
    default: return (z - pi_lo) - pi;
  }
}
