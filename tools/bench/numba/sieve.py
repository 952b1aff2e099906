import numpy as np

from harness import njit, serve, size_args


@njit
def sieve(composite, n):
    count = 0
    for i in range(2, n):
        if composite[i] == 0:
            count += 1
            for j in range(i * i, n, i):
                composite[j] = 1
    return count


(n,) = size_args(1)
serve(lambda: (np.zeros(n, dtype=np.uint8), n), lambda inputs: sieve(*inputs), lambda _inputs, result: float(result))
