import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def mandelbrot(out, width, height, max_iter):
    for y in range(height):
        ci = (y * 2.0) / height - 1.0
        for x in range(width):
            cr = (x * 3.0) / width - 2.0
            zr = 0.0
            zi = 0.0
            k = 0
            while k < max_iter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                k += 1
            out[y * width + x] = k


width, height, max_iter = size_args(3)
serve(
    lambda: (np.zeros(width * height, dtype=np.int32), width, height, max_iter),
    lambda inputs: mandelbrot(*inputs),
    lambda inputs, _result: seq_sum(inputs[0].astype(np.float64)),
)
