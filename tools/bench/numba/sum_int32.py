import numpy as np

from harness import njit, serve, size_args


@njit
def sum_int32(a):
    # (s + a[i]) | 0: add in 64 bits, keep the low 32 as a signed value.
    s = 0
    for i in range(a.shape[0]):
        s = (s + a[i]) & 0xFFFFFFFF
        if s >= 0x80000000:
            s -= 0x100000000
    return s


(n,) = size_args(1)


def prepare():
    # Math.imul(i, -1640531535) ^ (i >>> 3)
    i = np.arange(n, dtype=np.int64)
    return (((i * 2654435761) & 0xFFFFFFFF) ^ (i >> 3)).astype(np.uint32).view(np.int32)


serve(prepare, sum_int32, lambda _inputs, result: float(result))
