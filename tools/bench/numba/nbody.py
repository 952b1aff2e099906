import math

import numpy as np

from harness import njit, serve, size_args

SOLAR_MASS = 4 * math.pi * math.pi
DAYS_PER_YEAR = 365.24


@njit
def nbody(body, steps):
    n = body.shape[0] // 7
    solar_mass = 4 * math.pi * math.pi
    px = 0.0
    py = 0.0
    pz = 0.0
    for i in range(n):
        px += body[7 * i + 3] * body[7 * i + 6]
        py += body[7 * i + 4] * body[7 * i + 6]
        pz += body[7 * i + 5] * body[7 * i + 6]
    body[3] = -px / solar_mass
    body[4] = -py / solar_mass
    body[5] = -pz / solar_mass

    dt = 0.01
    for _ in range(steps):
        for i in range(n):
            bi = 7 * i
            for j in range(i + 1, n):
                bj = 7 * j
                dx = body[bi] - body[bj]
                dy = body[bi + 1] - body[bj + 1]
                dz = body[bi + 2] - body[bj + 2]
                d2 = dx * dx + dy * dy + dz * dz
                mag = dt / (d2 * math.sqrt(d2))
                mi = body[bi + 6] * mag
                mj = body[bj + 6] * mag
                body[bi + 3] -= dx * mj
                body[bi + 4] -= dy * mj
                body[bi + 5] -= dz * mj
                body[bj + 3] += dx * mi
                body[bj + 4] += dy * mi
                body[bj + 5] += dz * mi
        for i in range(n):
            bi = 7 * i
            body[bi] += dt * body[bi + 3]
            body[bi + 1] += dt * body[bi + 4]
            body[bi + 2] += dt * body[bi + 5]

    e = 0.0
    for i in range(n):
        bi = 7 * i
        vx = body[bi + 3]
        vy = body[bi + 4]
        vz = body[bi + 5]
        e += 0.5 * body[bi + 6] * (vx * vx + vy * vy + vz * vz)
        for j in range(i + 1, n):
            bj = 7 * j
            dx = body[bi] - body[bj]
            dy = body[bi + 1] - body[bj + 1]
            dz = body[bi + 2] - body[bj + 2]
            e -= (body[bi + 6] * body[bj + 6]) / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


def planets():
    return np.array(
        [
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
        ],  # fmt: skip
        dtype=np.float64,
    )


(steps,) = size_args(1)
serve(lambda: planets(), lambda body: nbody(body, steps), lambda _inputs, result: result)
