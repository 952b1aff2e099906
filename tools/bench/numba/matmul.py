import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def matmul(a, b, c, n):
    for i in range(n):
        for k in range(n):
            aik = a[i * n + k]
            for j in range(n):
                c[i * n + j] += aik * b[k * n + j]


(n,) = size_args(1)


def prepare():
    i = np.arange(n * n, dtype=np.int64)
    return ((i * 13) % 97) / 97, ((i * 29) % 89) / 89 - 0.5, np.zeros(n * n), n


serve(prepare, lambda inputs: matmul(*inputs), lambda inputs, _result: seq_sum(inputs[2]))
