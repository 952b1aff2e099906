"""sum_loop on int64 (Numba's integers wrap on overflow; BigInt in 64 bits would throw instead)."""

from harness import njit, serve, size_args


@njit
def sum_bigint(a):
    b = 0
    i = 0
    while i < a:
        b = b + i
        i = i + 1
    return b


(a,) = size_args(1)
serve(lambda: a, sum_bigint, lambda _inputs, result: int(result))
