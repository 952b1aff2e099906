export { alloc, reset } from './harness';

// body: x, y, z, vx, vy, vz, mass for each body, seven f64 in a row.
function get(body: usize, index: i32): f64 {
  return load<f64>(body + ((<usize>index) << 3));
}
function set(body: usize, index: i32, value: f64): void {
  store<f64>(body + ((<usize>index) << 3), value);
}

export function nbody(body: usize, length: i32, steps: i32): f64 {
  const n = length / 7;
  const solarMass = 4 * Math.PI * Math.PI;
  let px = 0.0;
  let py = 0.0;
  let pz = 0.0;
  for (let i = 0; i < n; i++) {
    px += get(body, 7 * i + 3) * get(body, 7 * i + 6);
    py += get(body, 7 * i + 4) * get(body, 7 * i + 6);
    pz += get(body, 7 * i + 5) * get(body, 7 * i + 6);
  }
  set(body, 3, -px / solarMass);
  set(body, 4, -py / solarMass);
  set(body, 5, -pz / solarMass);

  const dt = 0.01;
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < n; i++) {
      const bi = 7 * i;
      for (let j = i + 1; j < n; j++) {
        const bj = 7 * j;
        const dx = get(body, bi) - get(body, bj);
        const dy = get(body, bi + 1) - get(body, bj + 1);
        const dz = get(body, bi + 2) - get(body, bj + 2);
        const d2 = dx * dx + dy * dy + dz * dz;
        const mag = dt / (d2 * Math.sqrt(d2));
        const mi = get(body, bi + 6) * mag;
        const mj = get(body, bj + 6) * mag;
        set(body, bi + 3, get(body, bi + 3) - dx * mj);
        set(body, bi + 4, get(body, bi + 4) - dy * mj);
        set(body, bi + 5, get(body, bi + 5) - dz * mj);
        set(body, bj + 3, get(body, bj + 3) + dx * mi);
        set(body, bj + 4, get(body, bj + 4) + dy * mi);
        set(body, bj + 5, get(body, bj + 5) + dz * mi);
      }
    }
    for (let i = 0; i < n; i++) {
      const bi = 7 * i;
      set(body, bi, get(body, bi) + dt * get(body, bi + 3));
      set(body, bi + 1, get(body, bi + 1) + dt * get(body, bi + 4));
      set(body, bi + 2, get(body, bi + 2) + dt * get(body, bi + 5));
    }
  }

  let e = 0.0;
  for (let i = 0; i < n; i++) {
    const bi = 7 * i;
    const vx = get(body, bi + 3);
    const vy = get(body, bi + 4);
    const vz = get(body, bi + 5);
    e += 0.5 * get(body, bi + 6) * (vx * vx + vy * vy + vz * vz);
    for (let j = i + 1; j < n; j++) {
      const bj = 7 * j;
      const dx = get(body, bi) - get(body, bj);
      const dy = get(body, bi + 1) - get(body, bj + 1);
      const dz = get(body, bi + 2) - get(body, bj + 2);
      e -= (get(body, bi + 6) * get(body, bj + 6)) / Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}
