import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def blur(src, dst, width, height):
    # Rounds to nearest like a Uint8ClampedArray store (a sum of nine bytes over 9 is never a tie, nor out of range).
    for y in range(1, height - 1):
        for x in range(1, width - 1):
            c = y * width + x
            s = (
                np.int32(src[c - width - 1])
                + src[c - width]
                + src[c - width + 1]
                + src[c - 1]
                + src[c]
                + src[c + 1]
                + src[c + width - 1]
                + src[c + width]
                + src[c + width + 1]
            )
            dst[c] = np.uint8(np.rint(s / 9.0))


width, height = size_args(2)
serve(
    lambda: (((np.arange(width * height, dtype=np.int64) * 7 + 3) % 251).astype(np.uint8), np.zeros(width * height, dtype=np.uint8), width, height),
    lambda inputs: blur(*inputs),
    lambda inputs, _result: seq_sum(inputs[1].astype(np.float64)),
)
