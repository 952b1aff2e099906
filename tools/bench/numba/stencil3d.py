import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def stencil3d(a, b, n, sweeps):
    plane = n * n
    for _ in range(sweeps):
        for z in range(1, n - 1):
            for y in range(1, n - 1):
                for x in range(1, n - 1):
                    c = z * plane + y * n + x
                    b[c] = 0.4 * a[c] + 0.1 * (a[c - 1] + a[c + 1] + a[c - n] + a[c + n] + a[c - plane] + a[c + plane])
        a, b = b, a


n, sweeps = size_args(2)


def prepare():
    a = ((np.arange(n * n * n, dtype=np.int64) * 31) % 103) / 103
    return a, a.copy(), n, sweeps


# After an even number of sweeps the result is in a, after an odd one in b.
serve(prepare, lambda inputs: stencil3d(*inputs), lambda inputs, _result: seq_sum(inputs[sweeps % 2]))
