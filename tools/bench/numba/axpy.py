import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def axpy(a, x, y):
    for i in range(x.shape[0]):
        y[i] = a * x[i] + y[i]


(n,) = size_args(1)


def prepare():
    i = np.arange(n, dtype=np.int64)
    return 2.5, (i % 1000) * 0.001, ((i * 7) % 1000) * 0.002


serve(prepare, lambda inputs: axpy(*inputs), lambda inputs, _result: seq_sum(inputs[2]))
