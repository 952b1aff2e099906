import math

import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def softmax(x, out):
    m = -np.inf
    for i in range(x.shape[0]):
        if x[i] > m:
            m = x[i]
    s = 0.0
    for i in range(x.shape[0]):
        e = math.exp(x[i] - m)
        out[i] = e
        s += e
    for i in range(x.shape[0]):
        out[i] /= s


(n,) = size_args(1)


def prepare():
    x = ((np.arange(n, dtype=np.int64) * 7919) % 10007) / 10007 * 16 - 8
    return x, np.zeros(n)


serve(prepare, lambda inputs: softmax(*inputs), lambda inputs, _result: seq_sum(inputs[1]))
