import { isFloat, isInteger, roundHalfEven, type Type } from '@rvsdg/ir';

/**
 * What is known about a numeric value: it is NaN (only when `nan`) or a
 * number in [lo, hi]; when `int`, every non-NaN value is an integer (or an
 * infinity); `negZero` says whether it may be -0. An empty interval
 * (lo > hi) with `nan` is a value that is always NaN.
 */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
  readonly int: boolean;
  readonly nan: boolean;
  readonly negZero: boolean;
}

export const top: Interval = Object.freeze({ lo: -Infinity, hi: Infinity, int: false, nan: true, negZero: true });

/** The largest magnitude up to which every integer is a double: 2^53. */
export const exactLimit = 2 ** 53;

export function interval(lo: number, hi: number, int = true, nan = false, negZero = false): Interval {
  return { lo, hi, int, nan, negZero };
}

export function constant(v: number): Interval {
  if (Number.isNaN(v)) return interval(Infinity, -Infinity, true, true, false);
  return interval(v, v, Number.isInteger(v) || !Number.isFinite(v), false, Object.is(v, -0));
}

/** The values of an integer type (bounds as doubles), or `top` for floats, or undefined for other types. */
export function ofType(type: Type): Interval | undefined {
  if (isInteger(type)) {
    if (!type.signed) return interval(0, 2 ** type.bits - 1);
    return interval(-(2 ** (type.bits - 1)), 2 ** (type.bits - 1) - 1);
  }
  if (isFloat(type)) return top;
  return undefined;
}

export function join(a: Interval, b: Interval): Interval {
  if (a === b) return a;
  return interval(Math.min(a.lo, b.lo), Math.max(a.hi, b.hi), a.int && b.int, a.nan || b.nan, a.negZero || b.negZero);
}

export function meet(a: Interval, b: Interval): Interval {
  return interval(Math.max(a.lo, b.lo), Math.min(a.hi, b.hi), a.int || b.int, a.nan && b.nan, a.negZero && b.negZero);
}

export function same(a: Interval, b: Interval): boolean {
  return a.lo === b.lo && a.hi === b.hi && a.int === b.int && a.nan === b.nan && a.negZero === b.negZero;
}

export function isEmpty(a: Interval): boolean {
  return a.lo > a.hi;
}

/** Holds only integers within ±2^53 (never NaN or an infinity), so an i64 holds it exactly (apart from -0). */
export function isExactInteger(a: Interval): boolean {
  return a.int && !a.nan && a.lo >= -exactLimit && a.hi <= exactLimit;
}

export function mayBeZero(a: Interval): boolean {
  return a.lo <= 0 && a.hi >= 0;
}

const thresholds = [0, Infinity];

/** `next` (which contains `prev`) with each bound that moved pushed to the next threshold, so loops converge. */
export function widen(prev: Interval, next: Interval): Interval {
  let { lo, hi } = next;
  if (hi > prev.hi) hi = thresholds.find((t) => t >= hi) ?? Infinity;
  if (lo < prev.lo) lo = -(thresholds.find((t) => t >= -lo) ?? Infinity);
  return interval(lo, hi, next.int, next.nan, next.negZero);
}

function nanOf(x: number): boolean {
  return Number.isNaN(x);
}

export function add(a: Interval, b: Interval): Interval {
  if (isEmpty(a) || isEmpty(b)) return interval(Infinity, -Infinity, true, a.nan || b.nan);
  const lo = a.lo + b.lo;
  const hi = a.hi + b.hi;
  const infNaN = (a.hi === Infinity && b.lo === -Infinity) || (a.lo === -Infinity && b.hi === Infinity);
  if (nanOf(lo) || nanOf(hi)) return top;
  return interval(lo, hi, a.int && b.int, a.nan || b.nan || infNaN, a.negZero && b.negZero);
}

export function neg(a: Interval): Interval {
  return interval(-a.hi, -a.lo, a.int, a.nan, mayBeZero(a));
}

export function sub(a: Interval, b: Interval): Interval {
  const r = add(a, neg(b));
  // x - y is -0 only for x = -0 and y = +0.
  return interval(r.lo, r.hi, r.int, r.nan, a.negZero && mayBeZero(b));
}

export function mul(a: Interval, b: Interval): Interval {
  if (isEmpty(a) || isEmpty(b)) return interval(Infinity, -Infinity, true, a.nan || b.nan);
  const corners = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  const infinite = (x: Interval): boolean => x.lo === -Infinity || x.hi === Infinity;
  const zeroTimesInf = (mayBeZero(a) && infinite(b)) || (mayBeZero(b) && infinite(a));
  const fin = corners.filter((c) => !nanOf(c));
  const lo = zeroTimesInf ? Math.min(0, ...fin) : Math.min(...fin);
  const hi = zeroTimesInf ? Math.max(0, ...fin) : Math.max(...fin);
  const negZero = a.negZero || b.negZero || (mayBeZero(a) && b.lo < 0) || (mayBeZero(b) && a.lo < 0);
  return interval(lo, hi, a.int && b.int, a.nan || b.nan || zeroTimesInf, negZero);
}

/** x * x: never negative, never -0 (-0 * -0 is +0). */
export function square(a: Interval): Interval {
  if (isEmpty(a)) return interval(Infinity, -Infinity, true, a.nan);
  const lo = a.lo <= 0 && a.hi >= 0 ? 0 : Math.min(a.lo * a.lo, a.hi * a.hi);
  return interval(lo, Math.max(a.lo * a.lo, a.hi * a.hi), a.int, a.nan, false);
}

/** Float division by a divisor of one sign: monotone in each operand (corners). */
export function div(a: Interval, b: Interval): Interval | undefined {
  if (isEmpty(a) || isEmpty(b) || mayBeZero(b)) return undefined;
  const finite = (x: Interval): boolean => Number.isFinite(x.lo) && Number.isFinite(x.hi);
  if (!finite(a) || !finite(b)) return undefined;
  const corners = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi];
  // A negative quotient can underflow to -0.
  const negZero = a.negZero || a.lo < 0 || b.lo < 0;
  return interval(Math.min(...corners), Math.max(...corners), false, a.nan || b.nan, negZero);
}

/** JavaScript `%` (fmod: the sign of the dividend). */
export function rem(a: Interval, b: Interval): Interval {
  if (isEmpty(a) || isEmpty(b)) return interval(Infinity, -Infinity, true, true);
  const m = Math.max(Math.abs(b.lo), Math.abs(b.hi));
  const nan = a.nan || b.nan || mayBeZero(b) || a.lo === -Infinity || a.hi === Infinity;
  const int = a.int && b.int;
  // |a % b| < |b| and |a % b| <= |a|.
  // (Integer types define x % 0 = 0: the bound stays >= 0.)
  const bound = Math.max(0, int && Number.isFinite(m) ? m - 1 : m);
  const lo = a.lo < 0 ? Math.max(a.lo, -bound) : 0;
  const hi = a.hi > 0 ? Math.min(a.hi, bound) : 0;
  return interval(lo, hi, int, nan, a.negZero || a.lo < 0);
}

export function abs(a: Interval): Interval {
  const lo = mayBeZero(a) ? 0 : Math.min(Math.abs(a.lo), Math.abs(a.hi));
  return interval(lo, Math.max(Math.abs(a.lo), Math.abs(a.hi)), a.int, a.nan, false);
}

const roundings = {
  floor: Math.floor,
  ceil: Math.ceil,
  trunc: Math.trunc,
  round: Math.round,
  roundeven: roundHalfEven,
};

/** Math.floor, ceil, trunc, round and round-half-even: monotone, integral results. */
export function rounding(op: keyof typeof roundings, a: Interval): Interval {
  // Integers round to themselves.
  if (a.int) return a;
  const f = roundings[op];
  const negZero = a.negZero || (op !== 'floor' && a.lo < 0);
  if (isEmpty(a)) return interval(Infinity, -Infinity, true, a.nan);
  return interval(f(a.lo), f(a.hi), true, a.nan, negZero);
}

export function minMax(op: 'min' | 'max', a: Interval, b: Interval): Interval {
  const f = Math[op];
  return interval(f(a.lo, b.lo), f(a.hi, b.hi), a.int && b.int, a.nan || b.nan, a.negZero || b.negZero);
}

/**
 * Integer results of integer arithmetic of `type`: the exact interval when
 * it fits the type (no wrap-around), otherwise every value of the type.
 */
export function fitInteger(r: Interval, type: Type): Interval {
  const full = ofType(type) as Interval;
  // Bounds were computed in doubles: one below 2^53 in magnitude is exact (a rounded one would be at least 2^53).
  if (r.nan || r.lo < full.lo || r.hi > full.hi || Math.abs(r.lo) >= exactLimit || Math.abs(r.hi) >= exactLimit)
    return full;
  return interval(r.lo, r.hi);
}
