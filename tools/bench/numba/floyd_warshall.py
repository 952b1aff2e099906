import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def floyd_warshall(dist, n):
    for k in range(n):
        for i in range(n):
            ik = dist[i * n + k]
            for j in range(n):
                through = ik + dist[k * n + j]
                if through < dist[i * n + j]:
                    dist[i * n + j] = through


(n,) = size_args(1)


def prepare():
    i = np.arange(n, dtype=np.int64).reshape(n, 1)
    j = np.arange(n, dtype=np.int64).reshape(1, n)
    h = (i * 7919 + j * 104729) % 1009
    edge = (j == (i + 1) % n) | (h % 7 == 0)
    dist = np.where(i == j, 0.0, np.where(edge, 1.0 + h % 50, np.inf))
    return dist.reshape(n * n).copy(), n


serve(prepare, lambda inputs: floyd_warshall(*inputs), lambda inputs, _result: seq_sum(inputs[0]))
