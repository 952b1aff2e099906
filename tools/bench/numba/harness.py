"""The protocol every Numba twin follows (the same as the C twins', see ../c/harness.h).

The script takes the kernel's size parameters as arguments; for each line
"run" on stdin it prepares fresh inputs (untimed), times one call of the
kernel and prints one line of JSON: {"ms": <milliseconds>, "checksum":
"<result>"}. The first call includes Numba's compilation, so it is the
first-call time. The first answer also carries "import_ms", the time
`import numba` took.
"""

import json
import sys
import time

_start = time.perf_counter()
import numba  # noqa: E402

IMPORT_MS = (time.perf_counter() - _start) * 1e3
njit = numba.njit


@njit
def seq_sum(a):
    """Sequential sum in double, the order the JavaScript runner and the C twins use."""
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def format_result(value):
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


def size_args(count):
    if len(sys.argv) < count + 1:
        sys.stderr.write(f"{sys.argv[0]}: expected {count} size argument(s)\n")
        sys.exit(64)
    return [int(a) for a in sys.argv[1 : count + 1]]


def serve(prepare, run, checksum):
    """prepare() -> inputs; run(inputs) -> result; checksum(inputs, result) -> float or int."""
    first = True
    for line in sys.stdin:
        if not line.startswith("run"):
            sys.stderr.write(f"{sys.argv[0]}: unknown command {line}")
            sys.exit(64)
        inputs = prepare()
        start = time.perf_counter()
        result = run(inputs)
        ms = (time.perf_counter() - start) * 1e3
        answer = {"ms": ms, "checksum": format_result(checksum(inputs, result))}
        if first:
            answer["import_ms"] = IMPORT_MS
            first = False
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
