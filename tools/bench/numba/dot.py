import numpy as np

from harness import njit, serve, size_args


@njit
def dot(x, y):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * y[i]
    return s


(n,) = size_args(1)


def prepare():
    i = np.arange(n, dtype=np.int64)
    return (i % 1000) * 0.001, ((i * 7) % 1000) * 0.002


serve(prepare, lambda inputs: dot(*inputs), lambda _inputs, result: float(result))
