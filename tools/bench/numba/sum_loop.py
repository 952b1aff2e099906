"""sum_loop on floats: JavaScript numbers are doubles, so the twin is too."""

from harness import njit, serve, size_args


@njit
def sum_loop(a):
    b = 0.0
    i = 0.0
    while i < a:
        b = b + i
        i = i + 1.0
    return b


(a,) = size_args(1)
serve(lambda: float(a), sum_loop, lambda _inputs, result: result)
