import numpy as np

from harness import njit, serve, size_args


@njit
def fnv1a(data):
    h = 2166136261
    for i in range(data.shape[0]):
        h = ((h ^ data[i]) * 16777619) & 0xFFFFFFFF
    return h


(n,) = size_args(1)
serve(
    lambda: ((np.arange(n, dtype=np.int64) * 31 + 7) % 256).astype(np.uint8),
    fnv1a,
    lambda _inputs, result: float(result),
)
