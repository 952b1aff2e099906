import math

import numpy as np

from harness import njit, seq_sum, serve, size_args


@njit
def black_scholes(price, strike, years, call, put):
    rate = 0.02
    volatility = 0.3
    for i in range(price.shape[0]):
        s = price[i]
        k = strike[i]
        t = years[i]
        sqrt_t = math.sqrt(t)
        d1 = (math.log(s / k) + (rate + 0.5 * volatility * volatility) * t) / (volatility * sqrt_t)
        d2 = d1 - volatility * sqrt_t

        k1 = 1 / (1 + 0.2316419 * abs(d1))
        cnd1 = (
            0.3989422804014327
            * math.exp(-0.5 * d1 * d1)
            * (k1 * (0.31938153 + k1 * (-0.356563782 + k1 * (1.781477937 + k1 * (-1.821255978 + k1 * 1.330274429)))))
        )
        if d1 > 0:
            cnd1 = 1 - cnd1

        k2 = 1 / (1 + 0.2316419 * abs(d2))
        cnd2 = (
            0.3989422804014327
            * math.exp(-0.5 * d2 * d2)
            * (k2 * (0.31938153 + k2 * (-0.356563782 + k2 * (1.781477937 + k2 * (-1.821255978 + k2 * 1.330274429)))))
        )
        if d2 > 0:
            cnd2 = 1 - cnd2

        discounted = k * math.exp(-rate * t)
        call[i] = s * cnd1 - discounted * cnd2
        put[i] = discounted * (1 - cnd2) - s * (1 - cnd1)


(n,) = size_args(1)


def prepare():
    i = np.arange(n, dtype=np.int64)
    price = 5 + (i % 100) * 0.25
    strike = 1 + ((i * 7) % 100) * 0.3
    years = 0.25 + ((i * 13) % 40) * 0.05
    return price, strike, years, np.zeros(n), np.zeros(n)


serve(
    prepare,
    lambda inputs: black_scholes(*inputs),
    lambda inputs, _result: seq_sum(np.concatenate((inputs[3], inputs[4]))),
)
