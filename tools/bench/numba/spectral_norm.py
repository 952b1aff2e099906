import math

import numpy as np

from harness import njit, serve, size_args


@njit
def spectral_norm(u, v, t):
    # i and j are floats, as numbers are in JavaScript.
    n = u.shape[0]
    for i in range(n):
        u[i] = 1.0
    for _ in range(10):
        for i in range(n):
            s = 0.0
            fi = float(i)
            for j in range(n):
                fj = float(j)
                s += u[j] / (((fi + fj) * (fi + fj + 1)) / 2 + fi + 1)
            t[i] = s
        for i in range(n):
            s = 0.0
            fi = float(i)
            for j in range(n):
                fj = float(j)
                s += t[j] / (((fj + fi) * (fj + fi + 1)) / 2 + fj + 1)
            v[i] = s
        for i in range(n):
            s = 0.0
            fi = float(i)
            for j in range(n):
                fj = float(j)
                s += v[j] / (((fi + fj) * (fi + fj + 1)) / 2 + fi + 1)
            t[i] = s
        for i in range(n):
            s = 0.0
            fi = float(i)
            for j in range(n):
                fj = float(j)
                s += t[j] / (((fj + fi) * (fj + fi + 1)) / 2 + fj + 1)
            u[i] = s
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(vbv / vv)


(n,) = size_args(1)
serve(
    lambda: (np.zeros(n), np.zeros(n), np.zeros(n)),
    lambda inputs: spectral_norm(*inputs),
    lambda _inputs, result: result,
)
