import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def matvec(m, x, y, rows, cols):
    for i in range(rows):
        s = 0.0
        for j in range(cols):
            s += m[i * cols + j] * x[j]
        y[i] = s


rows, cols = size_args(2)


def prepare():
    m = ((np.arange(rows * cols, dtype=np.int64) * 17) % 101) / 101 - 0.25
    x = ((np.arange(cols, dtype=np.int64) * 7) % 13) / 13
    return m, x, np.zeros(rows), rows, cols


serve(prepare, lambda inputs: matvec(*inputs), lambda inputs, _result: seq_sum(inputs[2]))
