/* eslint-disable @typescript-eslint/no-explicit-any, no-fallthrough, prefer-const, no-var, no-useless-assignment, no-unassigned-vars -- JavaScript semantics on purpose */
import fc from 'fast-check';
import { isTypedArray, OpError } from '@rvsdg/ir';

/**
 * The differential corpus of the JavaScript frontend, shared by its tests and the runtime's
 * (`@rvsdg/frontend/testing`): every function runs in V8 and in the interpreters
 * (the CFG interpreter on the lowered CFGs and the RVSDG interpreter on the
 * module) on generated arguments; results must be the same value
 * (`Object.is`), and TypedArray arguments must hold the same elements
 * afterwards. A thrown error must have the same class and message. Where
 * the frontend's contract differs from V8 (out-of-range TypedArray accesses
 * read `undefined` in V8 and throw a RangeError when compiled), the case is
 * marked `outOfRange` and the RangeError is accepted.
 *
 * Compilers that specialize on argument types (type inference, the default
 * pipeline, native code) run the same functions as `typedCorpus`, with
 * arguments of the types they take.
 */

// ---- argument generators

export const edgeNumbers = [
  NaN,
  -0,
  0,
  Infinity,
  -Infinity,
  2 ** 53 + 1,
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  -(2 ** 31),
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  0.5,
  -0.5,
  1.5,
  2.5,
  -2.5,
  1e-310,
  Number.MAX_VALUE,
  Number.EPSILON,
  1,
  -1,
  255,
  256,
  3,
];
export const edgeBigInts = [
  2n ** 63n,
  -(2n ** 63n),
  2n ** 63n - 1n,
  -(2n ** 63n) - 1n,
  2n ** 64n - 1n,
  0n,
  1n,
  -1n,
  2n,
];

export const num = fc.oneof(fc.constantFrom(...edgeNumbers), fc.integer({ min: -100, max: 100 }), fc.double());
export const int = fc.oneof(
  fc.integer({ min: -20, max: 40 }),
  fc.constantFrom(-(2 ** 31), 2 ** 31 - 1, 2 ** 32 - 1, -0),
);
export const small = fc.integer({ min: 0, max: 12 });
export const big = fc.oneof(
  fc.constantFrom(...edgeBigInts),
  fc.bigInt({ min: -(2n ** 65n), max: 2n ** 65n }),
  fc.bigInt({ min: -100n, max: 100n }),
);
export const scalar = fc.oneof(num, big, fc.boolean(), fc.constant(undefined));
export const f64 = fc.float64Array({ maxLength: 8 });
export const f32 = fc.float32Array({ maxLength: 8 });
export const i32 = fc.int32Array({ maxLength: 8 });
export const u32 = fc.uint32Array({ maxLength: 8 });
export const i16 = fc.int16Array({ maxLength: 8 });
export const u16 = fc.uint16Array({ maxLength: 8 });
export const i8 = fc.int8Array({ maxLength: 8 });
export const u8 = fc.uint8Array({ maxLength: 8 });
export const u8c = fc.uint8ClampedArray({ maxLength: 8 });
export const i64 = fc.bigInt64Array({ maxLength: 8 });
export const u64 = fc.bigUint64Array({ maxLength: 8 });
export const anyArray = fc.oneof(f64, f32, i32, u32, i16, u16, i8, u8, u8c);
export const args = (...arbitraries: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown[]> => fc.tuple(...arbitraries);

// Values a compiler that specializes on argument types takes: BigInts in 64 bits, no undefined.
export const edgeBigInts64 = [...edgeBigInts.filter((b) => BigInt.asIntN(64, b) === b), 2n ** 32n];
export const big64 = fc.oneof(
  fc.constantFrom(...edgeBigInts64),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -100n, max: 100n }),
);
export const scalar64 = fc.oneof(num, big64, fc.boolean());
/** Arguments that all have one type, chosen per run. */
export const same = (count: number, ...choices: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown[]> =>
  fc.oneof(...choices.map((c) => fc.tuple(...Array.from({ length: count }, () => c))));

// ---- the corpus

function add(a: any, b: any) {
  return a + b;
}
function arith(a: any, b: any) {
  return (a - b) * (a / b) + (a % b);
}
function power(a: any, b: any) {
  return a ** b;
}
function negations(a: any) {
  return -a + +a * 2;
}
function bitwise(a: any, b: any) {
  return (a & b) | (a ^ ~b);
}
function shifts(a: any, b: any) {
  return (a << b) + (a >> b) + (a >>> b);
}
function bigShifts(a: any, b: any) {
  return (a << (b & 7n)) ^ (a >> (b & 7n));
}
function comparisons(a: any, b: any) {
  let r = 0;
  if (a < b) r += 1;
  if (a <= b) r += 2;
  if (a > b) r += 4;
  if (a >= b) r += 8;
  if (a === b) r += 16;
  if (a !== b) r += 32;
  if (a == b) r += 64;
  if (a != b) r += 128;
  return r;
}
function logicalValues(a: any, b: any, c: any) {
  return (a && b) || c;
}
function nullish(a: any, b: any) {
  return a ?? b;
}
function conditional(a: any, b: any) {
  return a > b ? a - b : b > a ? b - a : a === b ? 0 : -1;
}
function notOperator(a: any) {
  return !a === !!a;
}
function booleanArithmetic(a: any, b: any) {
  const less: any = a < b;
  return a + b + less * 3;
}
function returnsUndefined(a: any) {
  if (a > 0) return;
  return a;
}
function implicitUndefined(a: any) {
  let x = a;
  x++;
  a = x;
}
function voidOperator(a: any) {
  return void a;
}
function undefinedArithmetic(a: any) {
  let u: any;
  if (a > 1e300) u = 1;
  return a + u === a + undefined;
}
function undefinedVariable(a: any) {
  let u: any;
  return a + u === a + undefined;
}
function updates(a: any) {
  let x = a;
  const p = x++;
  const q = ++x;
  const r = x--;
  const s = --x;
  return p + q * 2 + r * 3 + s * 4 + x;
}
function bigUpdates(a: any) {
  let x = a;
  x++;
  ++x;
  x--;
  return x * 3n;
}
function compound(a: any, b: any) {
  let x = a;
  x += b;
  x -= 1;
  x *= b;
  x /= 3;
  x %= 7;
  x **= 2;
  return x;
}
function compoundBitwise(a: any, b: any) {
  let x = a;
  x &= b;
  x |= 12;
  x ^= b;
  x <<= 3;
  x >>= 1;
  x >>>= 2;
  return x;
}
function logicalAssignment(a: any, b: any, c: any) {
  let x = a;
  x &&= b;
  let y = a;
  y ||= c;
  let z = b;
  z ??= c;
  return x + y + z;
}
function letConstVar(a: any) {
  var total = 0;
  const k = 3;
  let i = 0;
  while (i < k) {
    let inner = i * a;
    total += inner;
    i++;
  }
  return total;
}
function shadowing(a: any) {
  let x = a;
  {
    let x = 2;
    x += 1;
    a = x;
  }
  return x * 10 + a;
}
function varHoisting(a: any) {
  if (a > 0) {
    var v = a * 2;
  }
  // @ts-expect-error reading a var before its assignment is the point of this case
  return v;
}
function sequence(a: any) {
  let x = 0;
  const y = ((x = a + 1), x * 2);
  return x + y;
}
function assignmentValue(a: any) {
  let x;
  let y;
  x = y = a * 2;
  return x + y + (x = 1) + x;
}
function mathFunctions1(a: any) {
  return Math.sqrt(Math.abs(a)) + Math.floor(a) + Math.ceil(a) + Math.round(a) + Math.trunc(a) + Math.sign(a);
}
function mathFunctions2(a: any, b: any) {
  return Math.max(a, b, 1) - Math.min(a, b) + Math.hypot(a, b) + Math.atan2(a, b) + Math.pow(a, b);
}
function mathTranscendental(a: any) {
  return (
    Math.sin(a) +
    Math.cos(a) * Math.tan(a) +
    Math.exp(a / 100) +
    Math.log(a) +
    Math.log2(a) +
    Math.log10(a) +
    Math.cbrt(a)
  );
}
function mathMore(a: any) {
  return (
    Math.expm1(a) + Math.log1p(a) + Math.sinh(a / 10) + Math.asinh(a) + Math.atan(a) + Math.clz32(a) + Math.fround(a)
  );
}
function mathConstants(a: any) {
  return a * Math.PI + Math.E - Math.SQRT2 + Math.LN2 * Math.LOG10E + Math.SQRT1_2 - Math.LN10 + Math.LOG2E;
}
function imul(a: any, b: any) {
  return Math.imul(a, b) + Math.fround(a * b);
}
function numberPredicates(a: any) {
  return (
    (Number.isNaN(a) ? 1 : 0) +
    (Number.isFinite(a) ? 2 : 0) +
    (Number.isInteger(a) ? 4 : 0) +
    (Number.isSafeInteger(a) ? 8 : 0)
  );
}
function globalPredicates(a: any) {
  return (isNaN(a) ? 1 : 0) + (isFinite(a) ? 2 : 0);
}
function numberConstants(a: any) {
  return (
    a > Number.MAX_SAFE_INTEGER || a < Number.MIN_SAFE_INTEGER || a === Number.POSITIVE_INFINITY || a < Number.EPSILON
  );
}
function conversions(a: any) {
  return Number(a) + (Boolean(a) === !!a ? 1 : 0);
}
function bigConversions(a: any) {
  return BigInt(a) * 2n;
}
function asIntN(a: any) {
  return BigInt.asIntN(64, a * 3n) + BigInt.asUintN(64, a);
}
function bigArithmetic(a: any, b: any) {
  const d: any = b === 0n ? 1n : b;
  const m: any = a % 7n;
  return a * b + a / d - m + (a & b) + (a | b) + (a ^ b) + ~a + -b;
}
function bigPow(a: any, b: any) {
  return a ** (b & 15n);
}
function ifElse(a: any) {
  if (a > 10) return 1;
  else if (a > 0) return 2;
  else if (a === 0) return 3;
  else return 4;
}
function whileLoop(n: any) {
  let i = 0;
  let s = 0;
  while (i < n) {
    s += i * i;
    i++;
  }
  return s;
}
function doWhile(n: any) {
  let i = 0;
  do {
    i += 3;
  } while (i < n);
  return i;
}
function forLoop(n: any) {
  let s = 1;
  for (let i = 0; i < n; i++) s = (s * 31 + i) % 1000003;
  return s;
}
function forNoTest(n: any) {
  let i = 0;
  for (;;) {
    if (i >= n) break;
    i += 2;
  }
  return i;
}
function breakContinue(n: any) {
  let s = 0;
  for (let i = 0; i < 20; i++) {
    if (i % 3 === 0) continue;
    if (i > n) break;
    s += i;
  }
  return s;
}
function labeled(n: any) {
  let count = 0;
  outer: for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j > i) continue outer;
      if (i * j > 20) break outer;
      count++;
    }
  }
  return count;
}
function labeledBlock(a: any) {
  let r = 0;
  block: {
    if (a > 0) break block;
    r = 1;
  }
  return r;
}
function labeledWhile(n: any) {
  let i = 0;
  let s = 0;
  loop: while (true) {
    if (i > n) break loop;
    i++;
    let j = 0;
    do {
      j++;
      if (j === 2) continue loop;
      s += j;
    } while (j < 5);
  }
  return s + i;
}
function returnInLoop(a: any, n: any) {
  for (let i = 0; i < n; i++) {
    if (i * i >= a) return i;
  }
  return -1;
}
function switchFallThrough(a: any) {
  let r = 0;
  switch (a) {
    case 0:
      r += 1;
    case 1:
      r += 2;
      break;
    case 2: {
      r += 4;
    }
    default:
      r += 8;
    case 3:
      r += 16;
  }
  return r;
}
function switchReturn(a: any) {
  switch (a & 3) {
    case 0:
      return 10;
    case 1:
    case 2:
      return 20;
  }
  return 30;
}
function switchInLoop(n: any) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0:
        continue;
      case 1:
        s += 1;
        break;
      default:
        s += 10;
    }
    s *= 2;
  }
  return s;
}
function sumArray(a: any) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
function forOfSum(a: any) {
  let s = 0;
  for (const x of a) s += x;
  return s;
}
function forOfBreak(a: any, k: any) {
  let n = 0;
  for (const x of a) {
    if (x > k) break;
    if (x === 0) continue;
    n++;
  }
  return n;
}
function forOfBig(a: any) {
  let s = 0n;
  for (const x of a) s += x;
  return s;
}
function fill(a: any, v: any) {
  for (let i = 0; i < a.length; i++) a[i] = v;
  return a.length;
}
function scale(a: any, k: any) {
  for (let i = 0; i < a.length; i++) a[i] *= k;
}
function clampedWrites(a: any, v: any) {
  for (let i = 0; i < a.length; i++) a[i] = v + i * 0.5;
  return a.length > 0 ? a[0] : -1;
}
function int32Wrap(a: any, v: any) {
  for (let i = 0; i < a.length; i++) a[i] = v * (i + 1) * 1000003;
}
function elementUpdates(a: any) {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i]++;
    s += ++a[i];
    a[i] -= 1;
  }
  return s;
}
function elementLogical(a: any, v: any) {
  for (let i = 0; i < a.length; i++) {
    a[i] ||= v;
    a[i] &&= a[i] + 1;
  }
}
function readIndex(a: any, i: any) {
  return a[i];
}
function writeIndex(a: any, i: any, v: any) {
  a[i] = v;
  return a[i];
}
function reverseInPlace(a: any) {
  for (let i = 0, j = a.length - 1; i < j; i++, j--) {
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
function dot(a: any, b: any) {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}
function prefixSums(a: any) {
  const out = new Float64Array(a.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i];
    out[i] = s;
  }
  return out;
}
function allocKinds(n: any) {
  const a: any = new Int8Array(n);
  const b: any = new Uint16Array(n);
  const c: any = new Float32Array(n);
  const d: any = new Uint8ClampedArray(n);
  for (let i = 0; i < a.length; i++) {
    a[i] = i * 100;
    b[i] = i * 40000;
    c[i] = i / 3;
    d[i] = i * 100;
  }
  return a.length + b.length + c.length + d.length + (n > 1 ? a[1] + b[1] + c[1] + d[1] : 0);
}
function allocBig(n: any) {
  const a: any = new BigInt64Array(n);
  const b: any = new BigUint64Array(n);
  for (let i = 0; i < a.length; i++) {
    a[i] = BigInt(i) - 2n ** 63n;
    b[i] = a[i];
  }
  return b.length > 0 ? b[b.length - 1] : -1n;
}
function allocEmpty() {
  const a = new Float64Array(0);
  const b = new Int32Array();
  return a.length + b.length;
}
function bigArrayWrap(a: any, v: any) {
  for (let i = 0; i < a.length; i++) a[i] = v * BigInt(i + 1);
  return a.length;
}
function mixedKinds(a: any, b: any) {
  for (let i = 0; i < a.length && i < b.length; i++) b[i] = a[i];
  return b.length;
}
function maxElement(a: any) {
  let m = -Infinity;
  for (const x of a) if (x > m) m = x;
  return m;
}
function countIf(a: any, lo: any, hi: any) {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] >= lo && a[i] < hi) n++;
  return n;
}
function throwsError(a: any) {
  if (a < 0) throw new Error('negative input');
  return a;
}
function throwsRange(a: any) {
  if (!(a >= 0 && a < 10)) throw new RangeError('out of range');
  return a * 2;
}
function throwsType(a: any) {
  if (a === undefined) return 0;
  throw new TypeError(`always`);
}
function throwAfterWrite(a: any, v: any) {
  if (a.length > 0) a[0] = v;
  if (v > 0) throw new Error('positive');
  return v;
}
function mixingThrows(a: any, b: any) {
  return a * 2 + b;
}
function unaryPlusThrows(a: any) {
  return +a;
}
function constAssignThrows(a: any) {
  const c = 1;
  if (a > 0) {
    // @ts-expect-error assigning a const is the point of this case
    c = a;
  }
  return c;
}
function defaultParams(a: any, b: any = 10) {
  return a + b;
}
function arrowBody(a: any) {
  const f = a * 2;
  return f;
}
const arrowExpression = (a: any, b: any) => (a > b ? a : b);
const functionExpression = function (a: any) {
  return a * a;
};
function fib(n: any): any {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
function isEven(n: any): any {
  return n === 0 ? true : isOdd(n - 1);
}
function isOdd(n: any): any {
  return n === 0 ? false : isEven(n - 1);
}
function parity(n: any) {
  return isEven(n) ? 1 : 3;
}
function square(x: any) {
  return x * x;
}
function sumSquares(a: any) {
  let s = 0;
  for (const x of a) s += square(x);
  return s;
}
function scaleWith(a: any, k: any) {
  for (let i = 0; i < a.length; i++) a[i] = mulBy(a[i], k);
}
function mulBy(x: any, k: any) {
  return x * k * FACTOR;
}
const FACTOR = 3;
function usesConstants(a: any) {
  return a * FACTOR + OFFSET + (FLAG ? 1 : 0) + Number(BIG);
}
const OFFSET = 0.25;
const FLAG = true;
const BIG = 5n;
function callsWithFewerArgs(a: any) {
  return twoArgs(a) + (twoArgs as any)(a, 1, a);
}
function twoArgs(a: any, b?: any) {
  return b === undefined ? a : a + b;
}
function gcd(a: any, b: any): any {
  a = Math.abs(a | 0);
  b = Math.abs(b | 0);
  while (b !== 0) {
    const t = b;
    b = a % b;
    a = t;
  }
  return a;
}
function collatz(n: any) {
  let x = Math.abs(n | 0) % 1000;
  let steps = 0;
  while (x > 1 && steps < 500) {
    x = x % 2 === 0 ? x / 2 : 3 * x + 1;
    steps++;
  }
  return steps;
}
function bubbleSort(a: any) {
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j + 1 < a.length - i; j++) {
      if (a[j] > a[j + 1]) {
        const t = a[j];
        a[j] = a[j + 1];
        a[j + 1] = t;
      }
    }
  }
}
function binarySearch(a: any, x: any) {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
function horner(a: any, x: any) {
  let r = 0;
  for (let i = a.length - 1; i >= 0; i--) r = r * x + a[i];
  return r;
}
function nestedTernaryLogic(a: any, b: any) {
  return (a > 0 && b > 0) || (a < 0 && b < 0) ? (a === b ? 7 : a) : !b;
}
function orderOfEvaluation(a: any) {
  let x = a;
  return x + (x = 2) + x * (x += 1);
}
function hashInts(a: any) {
  let h = 2166136261;
  for (let i = 0; i < a.length; i++) {
    h ^= a[i];
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}
function edgeReturns(a: any) {
  if (a === 0) return -0;
  if (a === 1) return NaN;
  if (a === 2) return Infinity;
  if (a === 3) return 2 ** 53 + 1;
  if (a === 4) return -(2 ** 31);
  if (a === 5) return 2 ** 32 - 1;
  if (a === 6) return 2n ** 63n;
  if (a === 7) return -(2n ** 63n);
  return undefined;
}
function whileWithComplexCondition(a: any, b: any) {
  let i = 0;
  while ((i < a || i < 3) && !(i > b && i > 5) && i < 50) i++;
  return i;
}
function loopCarriedSwap(n: any) {
  let a = 0;
  let b = 1;
  for (let i = 0; i < n; i++) {
    const t = a + b;
    a = b;
    b = t;
  }
  return a;
}
function looseEquality(a: any, b: any) {
  return Number(a == b) + 2 * Number(a != b) + 4 * Number(a == 0) + 8 * Number(b == undefined);
}
function lengthOfScalar(a: any) {
  return a.length;
}
function forOfOverScalar(a: any) {
  let n = 0;
  for (const _x of a) n++;
  return n;
}
function uint8Overflow(a: any) {
  for (let i = 0; i < a.length; i++) a[i] += 200;
  let s = 0;
  for (const x of a) s += x;
  return s;
}
function float32Rounding(a: any, v: any) {
  if (a.length > 0) a[0] = v;
  return a.length > 0 ? a[0] === v : true;
}
function negativeZeroIndex(a: any) {
  return a.length > 0 ? a[-0] : 0;
}
function int16AndUint16(a: any, b: any, v: any) {
  for (let i = 0; i < a.length; i++) a[i] = v - i;
  for (let i = 0; i < b.length; i++) b[i] = v + i;
}
function int8AndUint32(a: any, b: any, v: any) {
  for (let i = 0; i < a.length; i++) a[i] = v * i;
  for (let i = 0; i < b.length; i++) b[i] = -v * i;
}
function nestedLoopsWithArrays(a: any, b: any) {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      if (a[i] === b[j]) s++;
    }
  }
  return s;
}
function earlyReturnInSwitch(a: any, n: any) {
  for (let i = 0; i < n; i++) {
    switch (i) {
      case 3:
        if (a > 0) return i;
        break;
      case 5:
        return -i;
    }
  }
  return 0;
}
function doWhileContinue(n: any) {
  let i = 0;
  let s = 0;
  do {
    i++;
    if (i % 2 === 0) continue;
    s += i;
  } while (i < n);
  return s;
}

function quicksort(a: any, lo: any, hi: any): any {
  if (lo >= hi) return 0;
  const pivot = a[hi];
  let i = lo;
  for (let j = lo; j < hi; j++) {
    if (a[j] < pivot) {
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
    }
  }
  const t = a[i];
  a[i] = a[hi];
  a[hi] = t;
  return 1 + quicksort(a, lo, i - 1) + quicksort(a, i + 1, hi);
}
function sortAll(a: any) {
  return quicksort(a, 0, a.length - 1);
}
function checkedSqrt(x: any) {
  if (x < 0) throw new RangeError('negative');
  return Math.sqrt(x);
}
function callsThrower(a: any) {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    a[i] = checkedSqrt(a[i]);
    s += a[i];
  }
  return s;
}
function uninitializedLet(n: any) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let x;
    if (i % 2 === 0) x = i;
    s += x === undefined ? 100 : x;
  }
  return s;
}
function switchContinueOuter(a: any) {
  let s = 0;
  outer: for (let i = 0; i < a.length; i++) {
    switch (a[i] & 3) {
      case 0:
        continue outer;
      case 1:
        s += a[i];
      case 2:
        s -= 1;
        break;
      default:
        break outer;
    }
    s *= 2;
  }
  return s;
}
function bigElementCompound(a: any, v: any) {
  for (let i = 0; i < a.length; i++) {
    a[i] += v;
    a[i] *= 3n;
    a[i] >>= 1n;
  }
}

/**
 * How a compiler that specializes on argument types (type inference, the
 * default pipeline, native code) runs a case: it takes numbers, booleans,
 * BigInts in 64 bits and TypedArrays only.
 */
export interface TypedRun {
  /** Arguments of those types; absent, the case's own arguments are all such values. */
  readonly args?: fc.Arbitrary<unknown[]>;
  /** BigInt results may leave 64 bits here, where compiled code throws a RangeError. */
  readonly bigOverflow?: boolean;
  /** The compiled error has V8's class but another message (V8's quotes a run-time value); only the class is compared. */
  readonly messageDiffers?: boolean;
  /**
   * A value is of different types on different paths for some of these
   * arguments (a number or undefined, say): the compiler may refuse those
   * signatures, and must refuse some of them rather than answer wrongly.
   */
  readonly mixedTypes?: boolean;
}

export interface Case {
  readonly fn: (...args: any[]) => unknown;
  readonly args: fc.Arbitrary<unknown[]>;
  readonly scope?: Record<string, unknown>;
  /** V8 may read or write out of range here, where compiled code throws a RangeError. */
  readonly outOfRange?: boolean;
  /** V8's message quotes the source text (`x is not iterable`); only the error class is compared. */
  readonly messageQuotesSource?: boolean;
  /** Its runs by type-specializing compilers (see `typedCorpus`); absent, one run with the case's own arguments. */
  readonly typed?: TypedRun | readonly TypedRun[];
}

/** A case as a type-specializing compiler runs it: `Case` with one of its `TypedRun`s. */
export interface TypedCase extends Omit<Case, 'typed'>, Omit<TypedRun, 'args'> {}

export const indexed = (array: fc.Arbitrary<any>) =>
  array.chain((a: any) =>
    fc.tuple(fc.constant(a), fc.oneof(fc.integer({ min: -1, max: a.length }), fc.constantFrom(0.5, NaN, -0))),
  );

export const corpus: readonly Case[] = [
  { fn: add, args: args(scalar, scalar), typed: { args: args(scalar64, scalar64), bigOverflow: true } },
  {
    fn: arith,
    args: args(fc.oneof(num, big), fc.oneof(num, big)),
    typed: { args: args(fc.oneof(num, big64), fc.oneof(num, big64)), bigOverflow: true },
  },
  {
    fn: power,
    args: args(fc.oneof(num, fc.bigInt({ min: -10n, max: 10n })), fc.oneof(num, fc.bigInt({ min: -3n, max: 70n }))),
    typed: {
      args: fc.oneof(args(num, num), args(fc.bigInt({ min: -10n, max: 10n }), fc.bigInt({ min: -3n, max: 70n }))),
      bigOverflow: true,
    },
  },
  { fn: negations, args: args(scalar), typed: { args: args(scalar64), bigOverflow: true } },
  {
    fn: bitwise,
    args: args(fc.oneof(num, big), fc.oneof(num, big)),
    typed: { args: args(fc.oneof(num, big64), fc.oneof(num, big64)) },
  },
  { fn: shifts, args: args(num, int) },
  { fn: bigShifts, args: args(big, big), typed: { args: args(big64, big64), bigOverflow: true } },
  { fn: comparisons, args: args(scalar, scalar), typed: { args: args(scalar64, scalar64) } },
  {
    fn: logicalValues,
    args: args(scalar, scalar, scalar),
    typed: [
      { args: same(3, num, big64, fc.boolean()), bigOverflow: true },
      { args: args(num, fc.boolean(), num), mixedTypes: true },
    ],
  },
  { fn: nullish, args: args(fc.option(num, { nil: undefined }), scalar), typed: { args: args(num, num) } },
  { fn: conditional, args: args(num, num) },
  { fn: notOperator, args: args(scalar), typed: { args: args(scalar64) } },
  { fn: booleanArithmetic, args: args(fc.oneof(fc.boolean(), num), fc.oneof(fc.boolean(), num)) },
  { fn: returnsUndefined, args: args(num), typed: { mixedTypes: true } },
  { fn: implicitUndefined, args: args(num) },
  { fn: voidOperator, args: args(num), typed: { args: args(fc.oneof(num, big64)) } },
  { fn: undefinedArithmetic, args: args(num), typed: { mixedTypes: true } },
  { fn: undefinedVariable, args: args(num) },
  {
    fn: updates,
    args: args(fc.oneof(num, fc.boolean(), fc.constant(undefined))),
    typed: { args: args(fc.oneof(num, fc.boolean())) },
  },
  { fn: bigUpdates, args: args(big), typed: { args: args(big64), bigOverflow: true } },
  {
    fn: compound,
    args: args(fc.oneof(num, big), fc.oneof(num, big)),
    typed: { args: args(fc.oneof(num, big64), fc.oneof(num, big64)), bigOverflow: true },
  },
  { fn: compoundBitwise, args: args(num, int) },
  {
    fn: logicalAssignment,
    args: args(scalar, scalar, scalar),
    typed: { args: same(3, num, big64, fc.boolean()), bigOverflow: true },
  },
  { fn: letConstVar, args: args(num) },
  { fn: shadowing, args: args(num) },
  { fn: varHoisting, args: args(num), typed: { mixedTypes: true } },
  { fn: sequence, args: args(num) },
  { fn: assignmentValue, args: args(num) },
  { fn: mathFunctions1, args: args(fc.oneof(num, big)), typed: { args: args(fc.oneof(num, big64)) } },
  { fn: mathFunctions2, args: args(num, num) },
  { fn: mathTranscendental, args: args(num) },
  { fn: mathMore, args: args(num) },
  { fn: mathConstants, args: args(num) },
  { fn: imul, args: args(num, num) },
  { fn: numberPredicates, args: args(scalar), typed: { args: args(scalar64) } },
  { fn: numberConstants, args: args(num) },
  { fn: globalPredicates, args: args(scalar), typed: { args: args(scalar64) } },
  { fn: conversions, args: args(scalar), typed: { args: args(scalar64) } },
  {
    fn: bigConversions,
    args: args(fc.oneof(num, big, fc.boolean())),
    typed: { args: args(fc.oneof(num, big64, fc.boolean())), bigOverflow: true, messageDiffers: true },
  },
  { fn: asIntN, args: args(fc.oneof(big, num)), typed: { args: args(fc.oneof(big64, num)), bigOverflow: true } },
  { fn: bigArithmetic, args: args(big, big), typed: { args: args(big64, big64), bigOverflow: true } },
  {
    fn: bigPow,
    args: args(fc.bigInt({ min: -1000n, max: 1000n }), big),
    typed: { args: args(fc.bigInt({ min: -1000n, max: 1000n }), big64), bigOverflow: true },
  },
  { fn: ifElse, args: args(num) },
  { fn: whileLoop, args: args(fc.oneof(small, fc.constantFrom(NaN, -0, -Infinity, 0.5))) },
  {
    fn: doWhile,
    args: args(
      fc.oneof(
        small,
        num.filter((x) => !(x > 1000)),
      ),
    ),
  },
  { fn: forLoop, args: args(fc.oneof(small, fc.integer({ min: -5, max: 60 }))) },
  { fn: forNoTest, args: args(fc.oneof(small, fc.constantFrom(-0, 7.5, -Infinity))) },
  { fn: breakContinue, args: args(fc.integer({ min: -2, max: 25 })) },
  { fn: labeled, args: args(small) },
  { fn: labeledBlock, args: args(num) },
  { fn: labeledWhile, args: args(small) },
  { fn: returnInLoop, args: args(num, small) },
  {
    fn: switchFallThrough,
    args: args(fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constantFrom(-0, 1n, true, undefined))),
    typed: { args: args(fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constantFrom(-0, 1n, true))) },
  },
  { fn: switchReturn, args: args(int) },
  { fn: switchInLoop, args: args(small) },
  { fn: sumArray, args: args(anyArray) },
  { fn: forOfSum, args: args(anyArray) },
  { fn: forOfBreak, args: args(anyArray, num) },
  { fn: forOfBig, args: args(fc.oneof(i64, u64)), typed: { bigOverflow: true } },
  {
    fn: fill,
    args: args(anyArray, fc.oneof(num, fc.boolean(), fc.constant(undefined))),
    typed: { args: args(anyArray, fc.oneof(num, fc.boolean())) },
  },
  {
    fn: fill,
    args: args(fc.oneof(i64, u64), fc.oneof(big, num)),
    typed: { args: args(fc.oneof(i64, u64), fc.oneof(big64, fc.boolean())) },
  },
  { fn: scale, args: args(anyArray, num) },
  { fn: clampedWrites, args: args(u8c, num) },
  { fn: int32Wrap, args: args(fc.oneof(i32, u32), num) },
  { fn: elementUpdates, args: args(anyArray) },
  { fn: elementLogical, args: args(anyArray, num) },
  { fn: readIndex, args: indexed(anyArray), outOfRange: true },
  {
    fn: readIndex,
    args: indexed(i64).map(([a, i]) => [a, typeof i === 'number' && Number.isInteger(i) ? BigInt(i) : i]),
    outOfRange: true,
  },
  {
    fn: writeIndex,
    args: indexed(anyArray).chain(([a, i]) => fc.tuple(fc.constant(a), fc.constant(i), num)),
    outOfRange: true,
  },
  { fn: reverseInPlace, args: args(anyArray) },
  { fn: dot, args: args(f64, fc.oneof(f32, i32)) },
  { fn: prefixSums, args: args(fc.oneof(f64, i16)) },
  {
    fn: allocKinds,
    args: args(fc.oneof(small, fc.constantFrom(-1, 0.5, NaN, undefined, 1n))),
    typed: { args: args(fc.oneof(small, fc.constantFrom(-1, 0.5, NaN))) },
  },
  { fn: allocBig, args: args(small), typed: { bigOverflow: true } },
  { fn: allocEmpty, args: args() },
  {
    fn: bigArrayWrap,
    args: args(fc.oneof(i64, u64), big),
    typed: { args: args(fc.oneof(i64, u64), big64), bigOverflow: true },
  },
  { fn: mixedKinds, args: args(anyArray, anyArray) },
  { fn: maxElement, args: args(anyArray) },
  { fn: countIf, args: args(anyArray, num, num) },
  { fn: throwsError, args: args(num) },
  { fn: throwsRange, args: args(num) },
  { fn: throwsType, args: args(fc.oneof(num, fc.constant(undefined))), typed: { args: args(num) } },
  { fn: throwAfterWrite, args: args(f64, num) },
  { fn: mixingThrows, args: args(scalar, scalar), typed: { args: args(scalar64, scalar64), bigOverflow: true } },
  { fn: unaryPlusThrows, args: args(scalar), typed: { args: args(scalar64) } },
  { fn: constAssignThrows, args: args(num) },
  { fn: defaultParams, args: args(num, fc.option(num, { nil: undefined })), typed: { args: args(num, num) } },
  { fn: arrowBody, args: args(num) },
  { fn: arrowExpression, args: args(num, num) },
  {
    fn: functionExpression,
    args: args(fc.oneof(num, big)),
    typed: { args: args(fc.oneof(num, big64)), bigOverflow: true },
  },
  { fn: fib, args: args(fc.integer({ min: -1, max: 12 })) },
  { fn: parity, args: args(fc.integer({ min: 0, max: 30 })), scope: { isEven, isOdd } },
  { fn: sumSquares, args: args(anyArray), scope: { square } },
  { fn: scaleWith, args: args(anyArray, num), scope: { mulBy, FACTOR } },
  { fn: usesConstants, args: args(num), scope: { FACTOR, OFFSET, FLAG, BIG } },
  { fn: callsWithFewerArgs, args: args(num), scope: { twoArgs } },
  { fn: gcd, args: args(num, num) },
  { fn: collatz, args: args(num) },
  { fn: bubbleSort, args: args(anyArray) },
  {
    fn: binarySearch,
    args: args(
      f64.map((a) => a.sort()),
      num,
    ),
  },
  { fn: horner, args: args(f64, num) },
  { fn: nestedTernaryLogic, args: args(num, num), typed: { mixedTypes: true } },
  { fn: orderOfEvaluation, args: args(num) },
  { fn: hashInts, args: args(fc.oneof(u8, i32)) },
  { fn: edgeReturns, args: args(fc.integer({ min: 0, max: 8 })), typed: { mixedTypes: true } },
  { fn: whileWithComplexCondition, args: args(fc.integer({ min: -5, max: 60 }), fc.integer({ min: -5, max: 60 })) },
  { fn: loopCarriedSwap, args: args(fc.integer({ min: 0, max: 80 })) },
  { fn: looseEquality, args: args(scalar, scalar), typed: { args: args(scalar64, scalar64) } },
  { fn: lengthOfScalar, args: args(fc.oneof(scalar, anyArray)), typed: { args: args(fc.oneof(scalar64, anyArray)) } },
  {
    fn: forOfOverScalar,
    args: args(fc.oneof(scalar, anyArray)),
    messageQuotesSource: true,
    typed: { args: args(fc.oneof(scalar64, anyArray)) },
  },
  { fn: uint8Overflow, args: args(fc.oneof(u8, i8, u8c)) },
  { fn: float32Rounding, args: args(f32, num) },
  { fn: negativeZeroIndex, args: args(anyArray) },
  { fn: int16AndUint16, args: args(i16, u16, num) },
  { fn: int8AndUint32, args: args(i8, u32, num) },
  { fn: nestedLoopsWithArrays, args: args(i8, u8) },
  { fn: earlyReturnInSwitch, args: args(num, small) },
  { fn: doWhileContinue, args: args(small) },
  { fn: sortAll, args: args(fc.oneof(f64, i32, u8)), scope: { quicksort } },
  { fn: callsThrower, args: args(f64), scope: { checkedSqrt } },
  { fn: uninitializedLet, args: args(small), typed: { mixedTypes: true } },
  { fn: switchContinueOuter, args: args(fc.oneof(i32, u8)) },
  {
    fn: bigElementCompound,
    args: args(fc.oneof(i64, u64), big),
    typed: { args: args(fc.oneof(i64, u64), big64), bigOverflow: true },
  },
];

/**
 * The corpus as compilers that specialize on argument types run it: every
 * case once per `TypedRun`, with arguments of the types they take.
 */
export const typedCorpus: readonly TypedCase[] = corpus.flatMap(({ typed, ...testCase }) => {
  const runs: readonly TypedRun[] = typed === undefined ? [{}] : 'length' in typed ? typed : [typed];
  return runs.map(({ args: typedArgs, ...run }) => ({ ...testCase, ...run, args: typedArgs ?? testCase.args }));
});

/** The function's name, for test titles. */
export function caseName(testCase: Pick<Case, 'fn'>): string {
  return testCase.fn.name || 'anonymous';
}

// ---- running and comparing

export type Outcome =
  | { readonly kind: 'value'; readonly value: unknown; readonly arrays: readonly unknown[] }
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly arrays: readonly unknown[] };

export function copyArgs(values: readonly unknown[]): unknown[] {
  return values.map((v) => (isTypedArray(v) ? v.slice() : v));
}

export function outcome(values: readonly unknown[], body: (args: unknown[]) => unknown): Outcome {
  const copies = copyArgs(values);
  const arrays = copies.filter((v) => isTypedArray(v));
  try {
    return { kind: 'value', value: body(copies), arrays };
  } catch (error) {
    if (error instanceof OpError) return { kind: 'error', name: error.errorName, message: error.reason, arrays };
    if (error instanceof Error && ['TypeError', 'RangeError', 'Error'].includes(error.name)) {
      return { kind: 'error', name: error.name, message: error.message, arrays };
    }
    throw error;
  }
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (isTypedArray(a) || isTypedArray(b)) {
    if (!isTypedArray(a) || !isTypedArray(b) || a.constructor !== b.constructor || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  return Object.is(a, b);
}

export function show(o: Outcome): string {
  const arrays = o.arrays.map((a) => `[${Array.from(a as ArrayLike<unknown>, String).join(',')}]`).join(' ');
  const value = (v: unknown): string =>
    typeof v === 'bigint'
      ? `${v}n`
      : Object.is(v, -0)
        ? '-0'
        : isTypedArray(v)
          ? `[${Array.from(v, String).join(',')}]`
          : String(v);
  const main = o.kind === 'value' ? `value ${value(o.value)}` : `${o.name}: ${o.message}`;
  return `${main} ${arrays}`;
}

/** Whether compiled code's outcome is what the semantics contract allows for V8's. */
export function agree(
  expected: Outcome,
  actual: Outcome,
  testCase: Pick<TypedCase, 'outOfRange' | 'bigOverflow' | 'messageQuotesSource' | 'messageDiffers'>,
): boolean {
  if (actual.kind === 'error' && actual.name === 'RangeError') {
    if (testCase.outOfRange && /out of bounds/.test(actual.message)) return true;
    if (testCase.bigOverflow && /overflow/.test(actual.message)) return true;
  }
  if (expected.kind !== actual.kind) return false;
  if (expected.kind === 'value' && !sameValue(expected.value, (actual as { value: unknown }).value)) return false;
  if (expected.kind === 'error') {
    const a = actual as { name: string; message: string };
    if (expected.name !== a.name) return false;
    if (!testCase.messageQuotesSource && !testCase.messageDiffers && expected.message !== a.message) return false;
  }
  return expected.arrays.every((array, i) => sameValue(array, actual.arrays[i]));
}
