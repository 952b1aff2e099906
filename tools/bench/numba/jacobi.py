import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def jacobi(a, b, n, sweeps):
    for _ in range(sweeps):
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                c = i * n + j
                b[c] = 0.2 * (a[c] + a[c - 1] + a[c + 1] + a[c - n] + a[c + n])
        for i in range(1, n - 1):
            for j in range(1, n - 1):
                a[i * n + j] = b[i * n + j]


n, sweeps = size_args(2)


def prepare():
    a = ((np.arange(n * n, dtype=np.int64) * 37) % 101) / 101
    return a, a.copy(), n, sweeps


serve(prepare, lambda inputs: jacobi(*inputs), lambda inputs, _result: seq_sum(inputs[0]))
