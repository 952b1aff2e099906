"""fib on floats, like JavaScript numbers."""

from harness import njit, serve, size_args


@njit
def fib(n):
    if n < 2.0:
        return n
    return fib(n - 1.0) + fib(n - 2.0)


(n,) = size_args(1)
serve(lambda: float(n), fib, lambda _inputs, result: result)
