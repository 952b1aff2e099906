import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def blend(a, b, out, t):
    # A store into a Uint8ClampedArray: NaN and below 0 give 0, above 255 gives 255, else round half to even.
    for i in range(out.shape[0]):
        v = a[i] + (np.float64(b[i]) - np.float64(a[i])) * t
        out[i] = np.uint8(np.rint(v)) if 0 < v < 255 else (255 if v >= 255 else 0)


width, height = size_args(2)
n = width * height * 4


def prepare():
    i = np.arange(n, dtype=np.int64)
    a = ((i * 7 + 3) % 256).astype(np.uint8)
    b = ((i * 13 + 5) % 251).astype(np.uint8)
    return a, b, np.zeros(n, dtype=np.uint8), 0.25


serve(prepare, lambda inputs: blend(*inputs), lambda inputs, _result: seq_sum(inputs[2].astype(np.float64)))
