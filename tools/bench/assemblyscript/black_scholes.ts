export { alloc, reset } from './harness';

// AssemblyScript's own Math.exp and Math.log (ported from musl), not V8's: the last bit may differ.
function cnd(d: f64): f64 {
  const k = 1 / (1 + 0.2316419 * Math.abs(d));
  const c =
    0.3989422804014327 *
    Math.exp(-0.5 * d * d) *
    (k * (0.31938153 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429)))));
  return d > 0 ? 1 - c : c;
}

export function black_scholes(
  price: usize,
  n: i32,
  strike: usize,
  _strikeLength: i32,
  years: usize,
  _yearsLength: i32,
  call: usize,
  _callLength: i32,
  put: usize,
  _putLength: i32,
): void {
  const rate = 0.02;
  const volatility = 0.3;
  for (let i = 0; i < n; i++) {
    const at = (<usize>i) << 3;
    const s = load<f64>(price + at);
    const k = load<f64>(strike + at);
    const t = load<f64>(years + at);
    const sqrtT = Math.sqrt(t);
    const d1 = (Math.log(s / k) + (rate + 0.5 * volatility * volatility) * t) / (volatility * sqrtT);
    const d2 = d1 - volatility * sqrtT;
    const cnd1 = cnd(d1);
    const cnd2 = cnd(d2);
    const discounted = k * Math.exp(-rate * t);
    store<f64>(call + at, s * cnd1 - discounted * cnd2);
    store<f64>(put + at, discounted * (1 - cnd2) - s * (1 - cnd1));
  }
}
