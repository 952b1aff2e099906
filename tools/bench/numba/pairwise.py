import math

import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def pairwise(points, out, n):
    for i in range(n):
        for j in range(n):
            dx = points[3 * i] - points[3 * j]
            dy = points[3 * i + 1] - points[3 * j + 1]
            dz = points[3 * i + 2] - points[3 * j + 2]
            out[i * n + j] = math.sqrt(dx * dx + dy * dy + dz * dz)


(n,) = size_args(1)
serve(
    lambda: (((np.arange(3 * n, dtype=np.int64) * 17) % 1000) / 100, np.zeros(n * n), n),
    lambda inputs: pairwise(*inputs),
    lambda inputs, _result: seq_sum(inputs[1]),
)
