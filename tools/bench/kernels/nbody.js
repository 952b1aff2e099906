/**
 * The Benchmarks Game n-body simulation: offsets the momentum, advances
 * `steps` steps of 0.01 and returns the energy. Bodies are x, y, z, vx, vy,
 * vz, mass, seven numbers per body.
 */
export function nbody(body, steps) {
  const n = body.length / 7;
  const solarMass = 4 * Math.PI * Math.PI;
  let px = 0;
  let py = 0;
  let pz = 0;
  for (let i = 0; i < n; i++) {
    px += body[7 * i + 3] * body[7 * i + 6];
    py += body[7 * i + 4] * body[7 * i + 6];
    pz += body[7 * i + 5] * body[7 * i + 6];
  }
  body[3] = -px / solarMass;
  body[4] = -py / solarMass;
  body[5] = -pz / solarMass;

  const dt = 0.01;
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < n; i++) {
      const bi = 7 * i;
      for (let j = i + 1; j < n; j++) {
        const bj = 7 * j;
        const dx = body[bi] - body[bj];
        const dy = body[bi + 1] - body[bj + 1];
        const dz = body[bi + 2] - body[bj + 2];
        const d2 = dx * dx + dy * dy + dz * dz;
        const mag = dt / (d2 * Math.sqrt(d2));
        const mi = body[bi + 6] * mag;
        const mj = body[bj + 6] * mag;
        body[bi + 3] -= dx * mj;
        body[bi + 4] -= dy * mj;
        body[bi + 5] -= dz * mj;
        body[bj + 3] += dx * mi;
        body[bj + 4] += dy * mi;
        body[bj + 5] += dz * mi;
      }
    }
    for (let i = 0; i < n; i++) {
      const bi = 7 * i;
      body[bi] += dt * body[bi + 3];
      body[bi + 1] += dt * body[bi + 4];
      body[bi + 2] += dt * body[bi + 5];
    }
  }

  let e = 0;
  for (let i = 0; i < n; i++) {
    const bi = 7 * i;
    const vx = body[bi + 3];
    const vy = body[bi + 4];
    const vz = body[bi + 5];
    e += 0.5 * body[bi + 6] * (vx * vx + vy * vy + vz * vz);
    for (let j = i + 1; j < n; j++) {
      const bj = 7 * j;
      const dx = body[bi] - body[bj];
      const dy = body[bi + 1] - body[bj + 1];
      const dz = body[bi + 2] - body[bj + 2];
      e -= (body[bi + 6] * body[bj + 6]) / Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

const solarMass = 4 * Math.PI * Math.PI;
const daysPerYear = 365.24;

/** Sun, Jupiter, Saturn, Uranus, Neptune, as in the Benchmarks Game. */
export function planets() {
  // prettier-ignore
  return new Float64Array([
    0, 0, 0, 0, 0, 0, solarMass,
    4.8414314424647209, -1.16032004402742839, -0.103622044471123109,
    0.00166007664274403694 * daysPerYear, 0.00769901118419740425 * daysPerYear,
    -0.0000690460016972063023 * daysPerYear, 0.000954791938424326609 * solarMass,
    8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
    -0.00276742510726862411 * daysPerYear, 0.00499852801234917238 * daysPerYear,
    0.0000230417297573763929 * daysPerYear, 0.000285885980666130812 * solarMass,
    12.894369562139131, -15.1111514016986312, -0.223307578892655734,
    0.00296460137564761618 * daysPerYear, 0.0023784717395948095 * daysPerYear,
    -0.0000296589568540237556 * daysPerYear, 0.0000436624404335156298 * solarMass,
    15.3796971148509165, -25.9193146099879641, 0.179258772950371181,
    0.00268067772490389322 * daysPerYear, 0.00162824170038242295 * daysPerYear,
    -0.000095159225451971587 * daysPerYear, 0.0000515138902046611451 * solarMass,
  ]);
}

export default {
  name: 'nbody',
  fn: nbody,
  size: '1,000,000 steps',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [1_000_000], quick: [100_000], test: [100] },
  inputs: (steps) => [planets(), steps],
  output: (result) => result,
};
