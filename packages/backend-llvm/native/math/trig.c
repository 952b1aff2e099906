// sin, cos, tan as V8 11.3 computes them (fdlibm: reduction modulo pi/2 with
// a three-step Cody-Waite subtraction for medium arguments and Payne-Hanek
// with 24-bit chunks of 2/pi for large ones, then polynomial kernels).
#include "bits.h"

/* 2/pi in 24-bit chunks: ipio2[i] holds bits 24i .. 24i+23 after the point. */
static const int32_t two_over_pi[] = {
    0xA2F983, 0x6E4E44, 0x1529FC, 0x2757D1, 0xF534DD, 0xC0DB62, 0x95993C, 0x439041, 0xFE5163,
    0xABDEBB, 0xC561B7, 0x246E3A, 0x424DD2, 0xE00649, 0x2EEA09, 0xD1921C, 0xFE1DEB, 0x1CB129,
    0xA73EE8, 0x8235F5, 0x2EBB44, 0x84E99C, 0x7026B4, 0x5F7E41, 0x3991D6, 0x398353, 0x39F49C,
    0x845F8B, 0xBDF928, 0x3B1FF8, 0x97FFDE, 0x05980F, 0xEF2F11, 0x8B5A0A, 0x6D1F6D, 0x367ECF,
    0x27CB09, 0xB74F46, 0x3F669E, 0x5FEA2D, 0x7527BA, 0xC7EBE5, 0xF17B3D, 0x0739F7, 0x8A5292,
    0xEA6BFB, 0x5FB11F, 0x8D5D08, 0x560330, 0x46FC7B, 0x6BABF0, 0xCFBC20, 0x9AF436, 0x1DA9E3,
    0x91615E, 0xE61B08, 0x659985, 0x5F14A0, 0x68408D, 0xFFD880, 0x4D7327, 0x310606, 0x1556CA,
    0x73A8C9, 0x60E27B, 0xC08C6B,
};

/* pi/2 in 24-bit pieces. */
static const double pio2_chunks[] = {
    1.57079625129699707031e+00, 7.54978941586159635335e-08, 5.39030252995776476554e-15,
    3.28200341580791294123e-22, 1.27065575308067607349e-29, 1.22933308981111328932e-36,
    2.73370053816464559624e-44, 2.16741683877804819444e-51,
};

/*
 * Payne-Hanek reduction for double precision (two-double result): x[0..nx)
 * are 24-bit pieces of |x| scaled by 2^-e0. Returns the quadrant (mod 8) and
 * the remainder in y[0] + y[1].
 */
static int reduce_large(const double *x, double *y, int e0, int nx) {
  const double two24 = 1.67772160000000000000e+07, twon24 = 5.96046447753906250000e-08;
  const int jk = 4; /* extra 24-bit terms of 2/pi: V8 asks for 64-bit precision */
  const int jp = jk;
  int32_t iq[20];
  double f[20], fq[20] = {0}, q[20];
  int jx = nx - 1;
  int jv = (e0 - 3) / 24;
  if (jv < 0) jv = 0;
  int q0 = e0 - 24 * (jv + 1);

  for (int i = 0, j = jv - jx; i <= jx + jk; i++, j++) f[i] = j < 0 ? 0.0 : (double)two_over_pi[j];
  for (int i = 0; i <= jk; i++) {
    double fw = 0.0;
    for (int j = 0; j <= jx; j++) fw += x[j] * f[jx + i - j];
    q[i] = fw;
  }

  int jz = jk, n, ih;
  double z;
  for (;;) {
    /* distill q[] into 24-bit integers iq[], most significant last */
    int i, j;
    z = q[jz];
    for (i = 0, j = jz; j > 0; i++, j--) {
      double fw = (double)(int32_t)(twon24 * z);
      iq[i] = (int32_t)(z - two24 * fw);
      z = q[j - 1] + fw;
    }
    z = rvsdg_scalbn(z, q0);
    z -= 8.0 * __builtin_floor(z * 0.125);
    n = (int32_t)z;
    z -= (double)n;
    ih = 0;
    if (q0 > 0) {
      i = iq[jz - 1] >> (24 - q0);
      n += i;
      iq[jz - 1] -= i << (24 - q0);
      ih = iq[jz - 1] >> (23 - q0);
    } else if (q0 == 0) {
      ih = iq[jz - 1] >> 23;
    } else if (z >= 0.5) {
      ih = 2;
    }
    if (ih > 0) { /* fraction >= 0.5: take 1 - fraction, round n up */
      n += 1;
      int carry = 0;
      for (i = 0; i < jz; i++) {
        j = iq[i];
        if (carry == 0) {
          if (j != 0) {
            carry = 1;
            iq[i] = 0x1000000 - j;
          }
        } else {
          iq[i] = 0xffffff - j;
        }
      }
      if (q0 == 1) iq[jz - 1] &= 0x7fffff;
      if (q0 == 2) iq[jz - 1] &= 0x3fffff;
      if (ih == 2) {
        z = 1.0 - z;
        if (carry != 0) z -= rvsdg_scalbn(1.0, q0);
      }
    }
    if (z != 0.0) break;
    int any = 0;
    for (i = jz - 1; i >= jk; i--) any |= iq[i];
    if (any != 0) break;
    /* massive cancellation: bring in more bits of 2/pi and start over */
    int k = 1;
    while (jk >= k && iq[jk - k] == 0) k++;
    for (i = jz + 1; i <= jz + k; i++) {
      f[jx + i] = (double)two_over_pi[jv + i];
      double fw = 0.0;
      for (j = 0; j <= jx; j++) fw += x[j] * f[jx + i - j];
      q[i] = fw;
    }
    jz += k;
  }

  if (z == 0.0) {
    jz -= 1;
    q0 -= 24;
    while (iq[jz] == 0) {
      jz--;
      q0 -= 24;
    }
  } else {
    z = rvsdg_scalbn(z, -q0);
    if (z >= two24) {
      double fw = (double)(int32_t)(twon24 * z);
      iq[jz] = (int32_t)(z - two24 * fw);
      jz += 1;
      q0 += 24;
      iq[jz] = (int32_t)fw;
    } else {
      iq[jz] = (int32_t)z;
    }
  }

  double fw = rvsdg_scalbn(1.0, q0);
  for (int i = jz; i >= 0; i--) {
    q[i] = fw * iq[i];
    fw *= twon24;
  }
  for (int i = jz; i >= 0; i--) {
    fw = 0.0;
    for (int k = 0; k <= jp && k <= jz - i; k++) fw += pio2_chunks[k] * q[i + k];
    fq[jz - i] = fw;
  }
  fw = 0.0;
  for (int i = jz; i >= 0; i--) fw += fq[i];
  y[0] = ih == 0 ? fw : -fw;
  fw = fq[0] - fw;
  for (int i = 1; i <= jz; i++) fw += fq[i];
  y[1] = ih == 0 ? fw : -fw;
  return n & 7;
}

/* High words of n*pi/2 for n = 1..32, to spot cancellation in the medium range. */
static const int32_t npio2_hw[] = {
    0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB, 0x401F6A7A, 0x4022D97C, 0x4025FDBB, 0x402921FB,
    0x402C463A, 0x402F6A7A, 0x4031475C, 0x4032D97C, 0x40346B9C, 0x4035FDBB, 0x40378FDB, 0x403921FB,
    0x403AB41B, 0x403C463A, 0x403DD85A, 0x403F6A7A, 0x40407E4C, 0x4041475C, 0x4042106C, 0x4042D97C,
    0x4043A28C, 0x40446B9C, 0x404534AC, 0x4045FDBB, 0x4046C6CB, 0x40478FDB, 0x404858EB, 0x404921FB,
};

/* x - n*pi/2 in y[0] + y[1] for finite |x| > pi/4; returns n. */
static int32_t reduce_pio2(double x, double *y) {
  const double invpio2 = 6.36619772367581382433e-01, pio2_1 = 1.57079632673412561417e+00,
               pio2_1t = 6.07710050650619224932e-11, pio2_2 = 6.07710050630396597660e-11,
               pio2_2t = 2.02226624879595063154e-21, pio2_3 = 2.02226624871116645580e-21,
               pio2_3t = 8.47842766036889956997e-32, two24 = 1.67772160000000000000e+07;
  int32_t hx = hi(x);
  int32_t ix = hx & 0x7fffffff;
  if (ix < 0x4002d97c) { /* |x| < 3pi/4: n = ±1 */
    double s = hx > 0 ? 1.0 : -1.0;
    double z = x - s * pio2_1;
    if (ix != 0x3ff921fb) {
      y[0] = z - s * pio2_1t;
      y[1] = (z - y[0]) - s * pio2_1t;
    } else { /* near pi/2: 33 + 33 + 53 bits of pi */
      z -= s * pio2_2;
      y[0] = z - s * pio2_2t;
      y[1] = (z - y[0]) - s * pio2_2t;
    }
    return hx > 0 ? 1 : -1;
  }
  if (ix <= 0x413921fb) { /* |x| <~ 2^19 pi/2 */
    double t = fabs_(x);
    int32_t n = (int32_t)(t * invpio2 + 0.5);
    double fn = (double)n;
    double r = t - fn * pio2_1;
    double w = fn * pio2_1t;
    if (n < 32 && ix != npio2_hw[n - 1]) {
      y[0] = r - w;
    } else {
      int32_t j = ix >> 20;
      y[0] = r - w;
      int32_t i = j - ((hi(y[0]) >> 20) & 0x7ff);
      if (i > 16) { /* second step, 118 bits */
        t = r;
        w = fn * pio2_2;
        r = t - w;
        w = fn * pio2_2t - ((t - r) - w);
        y[0] = r - w;
        i = j - ((hi(y[0]) >> 20) & 0x7ff);
        if (i > 49) { /* third step, 151 bits */
          t = r;
          w = fn * pio2_3;
          r = t - w;
          w = fn * pio2_3t - ((t - r) - w);
          y[0] = r - w;
        }
      }
    }
    y[1] = (r - y[0]) - w;
    if (hx < 0) {
      y[0] = -y[0];
      y[1] = -y[1];
      return -n;
    }
    return n;
  }
  /* large: split |x| into three 24-bit pieces scaled by 2^-e0 */
  int32_t e0 = (ix >> 20) - 1046;
  double z = from_words((uint32_t)(ix - (e0 << 20)), lo(x));
  double tx[3];
  for (int i = 0; i < 2; i++) {
    tx[i] = (double)(int32_t)z;
    z = (z - tx[i]) * two24;
  }
  tx[2] = z;
  int nx = 3;
  while (tx[nx - 1] == 0.0) nx--;
  int32_t n = reduce_large(tx, y, e0, nx);
  if (hx < 0) {
    y[0] = -y[0];
    y[1] = -y[1];
    return -n;
  }
  return n;
}

/* sin(x + y) for |x| <= pi/4, y the tail of x (ignored when has_tail is 0). */
static double sin_kernel(double x, double y, int has_tail) {
  const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
               S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
               S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
  int32_t ix = hi(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (int)x == 0) return x;
  double z = x * x;
  double v = z * x;
  double r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (!has_tail) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

static double cos_kernel(double x, double y) {
  const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
               C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
               C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
  int32_t ix = hi(x) & 0x7fffffff;
  if (ix < 0x3e400000 && (int)x == 0) return 1.0;
  double z = x * x;
  double r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1.0 - (0.5 * z - (z * r - x * y));
  double qx = ix > 0x3fe90000 ? 0.28125 : from_words((uint32_t)(ix - 0x00200000), 0);
  double iz = 0.5 * z - qx;
  double a = 1.0 - qx;
  return a - (iz - (z * r - x * y));
}

/* -1/(x + r) to nearly full precision, w being x + r rounded. */
static double negative_reciprocal(double x, double r, double w) {
  double z = head(w);
  double v = r - (z - x);
  double a = -1.0 / w;
  double t = head(a);
  double s = 1.0 + t * z;
  return t + a * (s + t * v);
}

/* tan(x + y) when k = 1, -1/tan(x + y) when k = -1, for |x| <= pi/4. */
static double tan_kernel(double x, double y, int k) {
  static const double T[] = {
      3.33333333333334091986e-01,  1.33333333333201242699e-01,  5.39682539762260521377e-02,
      2.18694882948595424599e-02,  8.86323982359930005737e-03,  3.59207910759131235356e-03,
      1.45620945432529025516e-03,  5.88041240820264096874e-04,  2.46463134818469906812e-04,
      7.81794442939557092300e-05,  7.14072491382608190305e-05,  -1.85586374855275456654e-05,
      2.59073051863633712884e-05,
  };
  const double pio4 = 7.85398163397448278999e-01, pio4lo = 3.06161699786838301793e-17;
  int32_t hx = hi(x);
  int32_t ix = hx & 0x7fffffff;
  if (ix < 0x3e300000 && (int)x == 0) { /* |x| < 2^-28 */
    if (((ix | lo(x)) | (k + 1)) == 0) return 1.0 / fabs_(x);
    if (k == 1) return x;
    double w = x + y;
    return negative_reciprocal(x, y, w);
  }
  int big = ix >= 0x3fe59428; /* |x| >= 0.6744: use tan(pi/4 - x) */
  if (big) {
    if (hx < 0) {
      x = -x;
      y = -y;
    }
    double z = pio4 - x;
    double w = pio4lo - y;
    x = z + w;
    y = 0.0;
  }
  double z = x * x;
  double w = z * z;
  double r = T[1] + w * (T[3] + w * (T[5] + w * (T[7] + w * (T[9] + w * T[11]))));
  double v = z * (T[2] + w * (T[4] + w * (T[6] + w * (T[8] + w * (T[10] + w * T[12])))));
  double s = z * x;
  r = y + z * (s * (r + v) + y);
  r += T[0] * s;
  w = x + r;
  if (big) {
    v = (double)k;
    return (double)(1 - ((hx >> 30) & 2)) * (v - 2.0 * (x - (w * w / (w + v) - r)));
  }
  if (k == 1) return w;
  return negative_reciprocal(x, r, w);
}

double rvsdg_sin(double x) {
  int32_t ix = hi(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return sin_kernel(x, 0.0, 0);
  if (ix >= 0x7ff00000) return x - x;
  double y[2];
  switch (reduce_pio2(x, y) & 3) {
    case 0: return sin_kernel(y[0], y[1], 1);
    case 1: return cos_kernel(y[0], y[1]);
    case 2: return -sin_kernel(y[0], y[1], 1);
    default: return -cos_kernel(y[0], y[1]);
  }
}

double rvsdg_cos(double x) {
  int32_t ix = hi(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return cos_kernel(x, 0.0);
  if (ix >= 0x7ff00000) return x - x;
  double y[2];
  switch (reduce_pio2(x, y) & 3) {
    case 0: return cos_kernel(y[0], y[1]);
    case 1: return -sin_kernel(y[0], y[1], 1);
    case 2: return -cos_kernel(y[0], y[1]);
    default: return sin_kernel(y[0], y[1], 1);
  }
}

double rvsdg_tan(double x) {
  int32_t ix = hi(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return tan_kernel(x, 0.0, 1);
  if (ix >= 0x7ff00000) return x - x;
  double y[2];
  int32_t n = reduce_pio2(x, y);
  return tan_kernel(y[0], y[1], 1 - ((n & 1) << 1));
}
