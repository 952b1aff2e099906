import type { Type } from '../types/type.js';
import { wrapInt } from '../interpreter/value.js';
import type { Dialect, OpDef } from './op.js';
import { pureOp, sameTypeOperands } from './define.js';

const isFloat = (t: Type): boolean => t.kind === 'float';
const isNumeric = (t: Type): boolean => t.kind === 'float' || t.kind === 'int';

function rounded(value: number, type: Type): number {
  return type.kind === 'float' && type.bits === 32 ? Math.fround(value) : value;
}

/**
 * Math functions have JavaScript's `Math` meaning; on f32 they are computed
 * in double precision and rounded once to f32.
 */
function floatFn(name: string, arity: number, summary: string, meaning: (...args: number[]) => number): OpDef {
  return mathOp(name, arity, summary, isFloat, 'float', meaning);
}

function mathOp(
  name: string,
  arity: number,
  summary: string,
  accepts: (t: Type) => boolean,
  what: string,
  meaning: (...args: number[]) => number,
  intMeaning?: (...args: (number | bigint)[]) => number | bigint,
): OpDef {
  return pureOp({
    name: `math.${name}`,
    summary,
    signature: {
      operands: ['x', 'y', 'z'].slice(0, arity).map((operand) => ({ name: operand, type: 'T' })),
      results: [{ name: 'result', type: 'T' }],
      where: what === 'float' ? 'T: a float type' : 'T: an int or float type',
    },
    typeOf(operands) {
      const t = sameTypeOperands(operands, arity, accepts, what);
      return typeof t === 'string' ? t : [t];
    },
    evaluate(operands, { resultTypes }) {
      const type = resultTypes[0] as Type;
      // Wrapping makes abs of the minimum the minimum at every width (abs(-128 as i8) is -128, not 128).
      if (type.kind === 'int' && intMeaning) return [wrapInt(intMeaning(...(operands as (number | bigint)[])), type)];
      return [rounded(meaning(...(operands as number[])), type)];
    },
  });
}

function splitDouble(x: number): { mantissa: bigint; exponent: number } {
  // Any finite double is m * 2^e with integer m; scale by 2^1074 steps to find them exactly.
  if (x === 0) return { mantissa: 0n, exponent: 0 };
  let exponent = 0;
  let m = x;
  while (!Number.isInteger(m)) {
    m *= 2 ** 64;
    exponent -= 64;
  }
  return { mantissa: BigInt(m), exponent };
}

/** Fused multiply-add with a single rounding, computed exactly with bigints. */
export function fusedMultiplyAdd(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || a === 0 || b === 0) return a * b + c;
  // With c = ±0 the exact result is the exact product, so the product rounded once (with its sign, even when it underflows to zero) is the answer.
  if (c === 0) return a * b;
  const x = splitDouble(a);
  const y = splitDouble(b);
  const z = splitDouble(c);
  const productExp = x.exponent + y.exponent;
  const product = x.mantissa * y.mantissa;
  const e = Math.min(productExp, z.exponent);
  const sum = (product << BigInt(productExp - e)) + (z.mantissa << BigInt(z.exponent - e));
  if (sum === 0n) return a * b + c;
  // Round once to 53 significant bits, or fewer where the result is subnormal (its last bit cannot be below 2^-1074).
  const negative = sum < 0n;
  let magnitude = negative ? -sum : sum;
  let scale = e;
  const bits = magnitude.toString(2).length;
  const drop = Math.max(bits - 53, -1074 - scale);
  if (drop > 0) {
    const d = BigInt(drop);
    const half = 1n << (d - 1n);
    const rest = magnitude & ((1n << d) - 1n);
    magnitude >>= d;
    if (rest > half || (rest === half && (magnitude & 1n) === 1n)) magnitude += 1n;
    scale += drop;
  }
  // Scale by powers of two in steps: each step is exact because the final value is representable.
  let result = Number(magnitude);
  while (scale < -1000) {
    result *= 2 ** -1000;
    scale += 1000;
  }
  while (scale > 1000 && Number.isFinite(result)) {
    result *= 2 ** 1000;
    scale -= 1000;
  }
  result *= 2 ** scale;
  return negative ? -result : result;
}

/** Round half to even (IEEE roundTiesToEven): Math.round, moved down one where it rounded a tie up to an odd number. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function intMinMax(pick: (a: bigint, b: bigint) => boolean) {
  return (a: number | bigint, b: number | bigint): number | bigint => (pick(BigInt(a), BigInt(b)) ? a : b);
}

const ops: OpDef[] = [
  floatFn('sqrt', 1, 'Square root.', Math.sqrt),
  floatFn('cbrt', 1, 'Cube root.', Math.cbrt),
  floatFn('exp', 1, 'e to the power x.', Math.exp),
  floatFn('expm1', 1, 'e^x - 1.', Math.expm1),
  floatFn('log', 1, 'Natural logarithm.', Math.log),
  floatFn('log1p', 1, 'ln(1 + x).', Math.log1p),
  floatFn('log2', 1, 'Base-2 logarithm.', Math.log2),
  floatFn('log10', 1, 'Base-10 logarithm.', Math.log10),
  floatFn('sin', 1, 'Sine.', Math.sin),
  floatFn('cos', 1, 'Cosine.', Math.cos),
  floatFn('tan', 1, 'Tangent.', Math.tan),
  floatFn('asin', 1, 'Arc sine.', Math.asin),
  floatFn('acos', 1, 'Arc cosine.', Math.acos),
  floatFn('atan', 1, 'Arc tangent.', Math.atan),
  floatFn('sinh', 1, 'Hyperbolic sine.', Math.sinh),
  floatFn('cosh', 1, 'Hyperbolic cosine.', Math.cosh),
  floatFn('tanh', 1, 'Hyperbolic tangent.', Math.tanh),
  floatFn('asinh', 1, 'Inverse hyperbolic sine.', Math.asinh),
  floatFn('acosh', 1, 'Inverse hyperbolic cosine.', Math.acosh),
  floatFn('atanh', 1, 'Inverse hyperbolic tangent.', Math.atanh),
  floatFn('floor', 1, 'Round toward -infinity.', Math.floor),
  floatFn('ceil', 1, 'Round toward +infinity.', Math.ceil),
  floatFn('trunc', 1, 'Round toward zero.', Math.trunc),
  floatFn('round', 1, 'Round half toward +infinity (JavaScript Math.round).', Math.round),
  floatFn('roundeven', 1, 'Round half to even (IEEE roundTiesToEven, as ToUint8Clamp rounds).', roundHalfEven),
  floatFn('sign', 1, 'Sign: -1, -0, 0, 1 or NaN.', Math.sign),
  floatFn('pow', 2, 'x to the power y (JavaScript Math.pow, so pow(1, NaN) is NaN).', Math.pow),
  floatFn('atan2', 2, 'Arc tangent of y/x using both signs.', Math.atan2),
  floatFn('hypot', 2, 'sqrt(x*x + y*y) without undue overflow.', Math.hypot),
  floatFn('fma', 3, 'x * y + z rounded once.', fusedMultiplyAdd),
  mathOp(
    'abs',
    1,
    'Absolute value; integers wrap (abs of the minimum is the minimum).',
    isNumeric,
    'numeric',
    Math.abs,
    (a) => (typeof a === 'bigint' ? BigInt.asIntN(64, a < 0n ? -a : a) : a < 0 ? ((-a | 0) === -a ? -a : a) : a),
  ),
  mathOp(
    'min',
    2,
    'Minimum; NaN if either float is NaN, and -0 < +0.',
    isNumeric,
    'numeric',
    Math.min,
    intMinMax((a, b) => a <= b),
  ),
  mathOp(
    'max',
    2,
    'Maximum; NaN if either float is NaN, and -0 < +0.',
    isNumeric,
    'numeric',
    Math.max,
    intMinMax((a, b) => a >= b),
  ),
];

export const mathDialect: Dialect = { name: 'math', ops };
