/**
 * European call and put prices (Black-Scholes) for every option, with the
 * Abramowitz-Stegun polynomial approximation of the normal CDF.
 */
export function blackScholes(price, strike, years, call, put) {
  const rate = 0.02;
  const volatility = 0.3;
  for (let i = 0; i < price.length; i++) {
    const s = price[i];
    const k = strike[i];
    const t = years[i];
    const sqrtT = Math.sqrt(t);
    const d1 = (Math.log(s / k) + (rate + 0.5 * volatility * volatility) * t) / (volatility * sqrtT);
    const d2 = d1 - volatility * sqrtT;

    const k1 = 1 / (1 + 0.2316419 * Math.abs(d1));
    let cnd1 =
      0.3989422804014327 *
      Math.exp(-0.5 * d1 * d1) *
      (k1 * (0.31938153 + k1 * (-0.356563782 + k1 * (1.781477937 + k1 * (-1.821255978 + k1 * 1.330274429)))));
    if (d1 > 0) cnd1 = 1 - cnd1;

    const k2 = 1 / (1 + 0.2316419 * Math.abs(d2));
    let cnd2 =
      0.3989422804014327 *
      Math.exp(-0.5 * d2 * d2) *
      (k2 * (0.31938153 + k2 * (-0.356563782 + k2 * (1.781477937 + k2 * (-1.821255978 + k2 * 1.330274429)))));
    if (d2 > 0) cnd2 = 1 - cnd2;

    const discounted = k * Math.exp(-rate * t);
    call[i] = s * cnd1 - discounted * cnd2;
    put[i] = discounted * (1 - cnd2) - s * (1 - cnd1);
  }
}

export default {
  name: 'black_scholes',
  fn: blackScholes,
  size: '1,000,000 options',
  // Size parameters, also given to the C and Numba twins on their command line.
  sizes: { full: [1_000_000], quick: [100_000], test: [1000] },
  inputs: (n) => {
    const price = new Float64Array(n);
    const strike = new Float64Array(n);
    const years = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      price[i] = 5 + (i % 100) * 0.25;
      strike[i] = 1 + ((i * 7) % 100) * 0.3;
      years[i] = 0.25 + ((i * 13) % 40) * 0.05;
    }
    return [price, strike, years, new Float64Array(n), new Float64Array(n)];
  },
  // Calls then puts, so one checksum covers both.
  output: (_result, args) => {
    const call = args[3];
    const put = args[4];
    const both = new Float64Array(call.length + put.length);
    both.set(call);
    both.set(put, call.length);
    return both;
  },
};
