#include "harness.h"

#define SOLAR_MASS (4 * M_PI * M_PI)
#define DAYS_PER_YEAR 365.24

static long steps;
static double body[35], result;

static double nbody(double *body, long n, long steps) {
  double px = 0, py = 0, pz = 0;
  for (long i = 0; i < n; i++) {
    px += body[7 * i + 3] * body[7 * i + 6];
    py += body[7 * i + 4] * body[7 * i + 6];
    pz += body[7 * i + 5] * body[7 * i + 6];
  }
  body[3] = -px / SOLAR_MASS;
  body[4] = -py / SOLAR_MASS;
  body[5] = -pz / SOLAR_MASS;

  const double dt = 0.01;
  for (long s = 0; s < steps; s++) {
    for (long i = 0; i < n; i++) {
      long bi = 7 * i;
      for (long j = i + 1; j < n; j++) {
        long bj = 7 * j;
        double dx = body[bi] - body[bj];
        double dy = body[bi + 1] - body[bj + 1];
        double dz = body[bi + 2] - body[bj + 2];
        double d2 = dx * dx + dy * dy + dz * dz;
        double mag = dt / (d2 * sqrt(d2));
        double mi = body[bi + 6] * mag;
        double mj = body[bj + 6] * mag;
        body[bi + 3] -= dx * mj;
        body[bi + 4] -= dy * mj;
        body[bi + 5] -= dz * mj;
        body[bj + 3] += dx * mi;
        body[bj + 4] += dy * mi;
        body[bj + 5] += dz * mi;
      }
    }
    for (long i = 0; i < n; i++) {
      long bi = 7 * i;
      body[bi] += dt * body[bi + 3];
      body[bi + 1] += dt * body[bi + 4];
      body[bi + 2] += dt * body[bi + 5];
    }
  }

  double e = 0;
  for (long i = 0; i < n; i++) {
    long bi = 7 * i;
    double vx = body[bi + 3], vy = body[bi + 4], vz = body[bi + 5];
    e += 0.5 * body[bi + 6] * (vx * vx + vy * vy + vz * vz);
    for (long j = i + 1; j < n; j++) {
      long bj = 7 * j;
      double dx = body[bi] - body[bj];
      double dy = body[bi + 1] - body[bj + 1];
      double dz = body[bi + 2] - body[bj + 2];
      e -= (body[bi + 6] * body[bj + 6]) / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

static void bench_setup(int argc, char **argv) { steps = bench_arg(argc, argv, 1); }
static void bench_prepare(void) {
  const double planets[35] = {
      0, 0, 0, 0, 0, 0, SOLAR_MASS,
      4.8414314424647209, -1.16032004402742839, -0.103622044471123109,
      0.00166007664274403694 * DAYS_PER_YEAR, 0.00769901118419740425 * DAYS_PER_YEAR,
      -0.0000690460016972063023 * DAYS_PER_YEAR, 0.000954791938424326609 * SOLAR_MASS,
      8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
      -0.00276742510726862411 * DAYS_PER_YEAR, 0.00499852801234917238 * DAYS_PER_YEAR,
      0.0000230417297573763929 * DAYS_PER_YEAR, 0.000285885980666130812 * SOLAR_MASS,
      12.894369562139131, -15.1111514016986312, -0.223307578892655734,
      0.00296460137564761618 * DAYS_PER_YEAR, 0.0023784717395948095 * DAYS_PER_YEAR,
      -0.0000296589568540237556 * DAYS_PER_YEAR, 0.0000436624404335156298 * SOLAR_MASS,
      15.3796971148509165, -25.9193146099879641, 0.179258772950371181,
      0.00268067772490389322 * DAYS_PER_YEAR, 0.00162824170038242295 * DAYS_PER_YEAR,
      -0.000095159225451971587 * DAYS_PER_YEAR, 0.0000515138902046611451 * SOLAR_MASS,
  };
  memcpy(body, planets, sizeof body);
}
static void bench_run(void) { result = nbody(body, 5, steps); }
static void bench_checksum(char *out, size_t size) { bench_format_f64(out, size, result); }
