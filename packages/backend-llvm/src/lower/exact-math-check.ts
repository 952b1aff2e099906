import { ModuleBuilder, array, f64, i64, mem, type Module } from '@rvsdg/ir';
import { compileModule } from './compile-module.js';
import { libmFunctions } from './ops/math-lowerings.js';
import { v8MathLowerings } from './ops/v8-math-lowerings.js';

/**
 * Checks the exact math lowerings against this process's `Math`: a jitted
 * loop applies `math.<name>` to arrays of inputs, and every result must
 * equal `Math.<name>` bit for bit (any NaN equals any NaN). Used by the
 * backend's tests (edge values plus 100,000 random inputs per function) and
 * by the long soak (`npm run soak:math`).
 */
export type ExactMathFunction = (typeof libmFunctions)[number];

export const exactMathFunctions: readonly ExactMathFunction[] = libmFunctions;

const binary = new Set<ExactMathFunction>(['atan2', 'pow', 'hypot']);

export function exactMathArity(name: ExactMathFunction): 1 | 2 {
  return binary.has(name) ? 2 : 1;
}

/** out[i] = math.<name>(xs[i]) (or (xs[i], ys[i])) for i < out.length; out must not be empty. */
export function mathMapModule(name: ExactMathFunction): Module {
  const b = new ModuleBuilder();
  const arity = exactMathArity(name);
  const map = b.lambda('map', [array(f64), array(f64), array(f64), mem], (f, [xs, ys, out, state]) => {
    const length = f.op1('array.length', [out!]);
    const [, after] = f.theta([f.const(0n, i64), state!], (l, [i, s]) => {
      const [x, s1] = l.op('array.load', [xs!, i!, s!]);
      const operands = [x!];
      let s2 = s1!;
      if (arity === 2) {
        const [y, s3] = l.op('array.load', [ys!, i!, s1!]);
        operands.push(y!);
        s2 = s3!;
      }
      const r = l.op1(`math.${name}`, operands);
      const [s4] = l.op('array.store', [out!, i!, r, s2]);
      const next = l.op1('arith.add', [i!, l.const(1n, i64)]);
      return { repeat: l.op1('arith.lt', [next, length]), next: [next, s4!] };
    });
    return [after!];
  });
  return b.export('map', map).build();
}

export type MathMap = (xs: Float64Array, ys: Float64Array, out: Float64Array) => void;

/** The jitted map of `name` under the exact lowerings, and the function that frees its code. */
export function compileMathMap(name: ExactMathFunction): { run: MathMap; dispose: () => void } {
  const compiled = compileModule(mathMapModule(name), { lowerings: v8MathLowerings, optLevel: 2 });
  return { run: compiled.functions['map'] as unknown as MathMap, dispose: () => compiled.dispose() };
}

export interface MathMismatch {
  readonly x: number;
  readonly y: number;
  readonly native: number;
  readonly v8: number;
}

const scratch = new Float64Array(2);
const scratchBits = new BigUint64Array(scratch.buffer);

function sameBits(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  scratch[0] = a;
  scratch[1] = b;
  return scratchBits[0] === scratchBits[1];
}

/** Runs `map` on xs (and ys) and lists the inputs whose results differ from Math.<name>. */
export function mathMismatches(
  name: ExactMathFunction,
  map: MathMap,
  xs: Float64Array,
  ys: Float64Array,
): MathMismatch[] {
  const out = new Float64Array(xs.length);
  map(xs, ys, out);
  const reference = Math[name] as (x: number, y?: number) => number;
  const mismatches: MathMismatch[] = [];
  for (let i = 0; i < xs.length; i++) {
    const v8 = exactMathArity(name) === 2 ? reference(xs[i]!, ys[i]!) : reference(xs[i]!);
    if (!sameBits(out[i]!, v8)) mismatches.push({ x: xs[i]!, y: ys[i]!, native: out[i]!, v8 });
  }
  return mismatches;
}

function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  scratch[0] = x;
  scratchBits[0] = scratchBits[0]! + (x > 0 ? 1n : -1n);
  return scratch[0]!;
}

function nextDown(x: number): number {
  return -nextUp(-x);
}

function withNeighbours(values: readonly number[]): number[] {
  return values.flatMap((v) => [v, nextUp(v), nextDown(v), nextUp(nextUp(v)), nextDown(nextDown(v))]);
}

const pio2 = Math.PI / 2;

/** Values where fdlibm changes method, over- or underflows, or needs care. */
function specialValues(): number[] {
  const thresholds = [
    0,
    1,
    0.5,
    2,
    3,
    10,
    22,
    0.25,
    0.4375,
    0.6875,
    1.1875,
    2.4375,
    0.975,
    0.3,
    0.78125,
    0.6744,
    1.5,
    2 ** -1074,
    2 ** -1022,
    2 ** -1023,
    2 ** -54,
    2 ** -28,
    2 ** -27,
    2 ** -29,
    2 ** -20,
    2 ** 28,
    2 ** 31,
    2 ** 52,
    2 ** 53,
    2 ** 64,
    2 ** 66,
    2 ** 1023,
    Number.MAX_VALUE,
    Math.LN2,
    Math.LN2 / 2,
    1.5 * Math.LN2,
    56 * Math.LN2,
    709.782712893384,
    709.7822265625,
    710.4758600739439,
    745.1332191019411,
    745.1332191019412,
    1024,
    1075,
    Math.SQRT2,
    Math.SQRT1_2,
    Math.E,
    Math.PI,
    Math.PI / 4,
    3 * (Math.PI / 4),
    1e-300,
    1e300,
    1e22,
    1e-5,
  ];
  const values = withNeighbours(thresholds.flatMap((v) => [v, -v]));
  return [...values, Infinity, -Infinity, NaN, -0];
}

/** Multiples of pi/2 near and far (medium Cody-Waite range, then Payne-Hanek), and their neighbours. */
function multiplesOfHalfPi(): number[] {
  const ks: number[] = [];
  for (let k = -64; k <= 64; k++) ks.push(k);
  for (const e of [10, 19, 20, 21, 30, 52, 60, 100, 200, 500, 1000]) ks.push(2 ** e, 2 ** e + 1, 3 * 2 ** (e - 1));
  const values = ks.map((k) => k * pio2).filter((v) => Number.isFinite(v));
  values.push(1e22, 1e300, 2 ** 1023 * 1.75, 2 * Math.PI * 1e20, pio2 * 1e100);
  return withNeighbours(values.flatMap((v) => [v, -v]));
}

/** 1 ± a few ulps, and 1 ± 2^-k: log's cancellation region. */
function nearOne(): number[] {
  const values: number[] = [];
  let up = 1;
  let down = 1;
  for (let i = 0; i < 64; i++) {
    up = nextUp(up);
    down = nextDown(down);
    values.push(up, down);
  }
  for (let k = 1; k <= 60; k++) values.push(1 + 2 ** -k, 1 - 2 ** -k, -1 + 2 ** -k, -1 - 2 ** -k);
  return values;
}

/** Integer and half-integer exponents, odd and even, small and past 2^31 / 2^53 / 2^64. */
function exponents(): number[] {
  const values: number[] = [];
  for (let n = -12; n <= 12; n++) values.push(n, n + 0.5);
  for (const big of [2 ** 31, 2 ** 31 + 1, 2 ** 52 + 1, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 2 ** 70, 1e300])
    values.push(big, -big);
  values.push(1 / 3, -1 / 3, 0.1, 1e-10, -1e-10, 1023.5, -1074.5, 1024, -1075, 1000, -1000);
  return values;
}

/** Edge inputs for one function: every pair of the special values for binary functions. */
export function exactMathEdgeInputs(name: ExactMathFunction): { xs: Float64Array; ys: Float64Array } {
  const singles = [...specialValues(), ...multiplesOfHalfPi(), ...nearOne()];
  if (exactMathArity(name) === 1) return { xs: Float64Array.from(singles), ys: new Float64Array(singles.length) };
  const special = specialValues();
  const xs: number[] = [];
  const ys: number[] = [];
  const pair = (x: number, y: number) => {
    xs.push(x);
    ys.push(y);
  };
  for (const x of special) for (const y of special) pair(x, y);
  if (name === 'pow') {
    const bases = [...nearOne(), ...withNeighbours([2, 10, 0.5, 3, 1e-3, 1e3, 2 ** -1022, 2 ** 1000])];
    for (const x of bases)
      for (const y of exponents()) {
        pair(x, y);
        pair(-x, y);
      }
  }
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys) };
}

/** xoshiro128**: reproducible 32-bit words from a seed, fast enough for tens of millions of inputs. */
function random(seed: bigint): () => number {
  const state = new Uint32Array(4);
  let s = BigInt.asUintN(64, seed * 0x9e3779b97f4a7c15n + 0x632be59bd9b4e019n);
  for (let i = 0; i < 4; i++) {
    s = BigInt.asUintN(64, s * 6364136223846793005n + 1442695040888963407n);
    state[i] = Number(s >> 32n);
  }
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 1;
  return () => {
    const result = Math.imul(rotl(Math.imul(state[1]!, 5), 7), 9) >>> 0;
    const t = state[1]! << 9;
    state[2]! ^= state[0]!;
    state[3]! ^= state[1]!;
    state[1]! ^= state[2]!;
    state[0]! ^= state[3]!;
    state[2]! ^= t;
    state[3] = rotl(state[3]!, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const words = new Uint32Array(scratch.buffer);

/** A double uniform in [0, 1) from two words. */
function unit(next: () => number): number {
  return ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}

function randomValue(next: () => number): number {
  const choice = next();
  const sign = choice & 1 ? -1 : 1;
  switch ((choice >>> 1) % 8) {
    case 0:
    case 1:
      words[0] = next(); /* any bit pattern: subnormals, huge values, NaNs */
      words[1] = next();
      return scratch[0]!;
    case 2:
      return sign * unit(next); /* (-1, 1) */
    case 3:
      return sign * unit(next) * 10;
    case 4:
      return sign * unit(next) * 1000;
    case 5:
      return sign * 10 ** (unit(next) * 60 - 30); /* magnitudes 1e-30 .. 1e30 */
    case 6:
      return 1 + sign * 2 ** -(unit(next) * 52); /* near 1 */
    default:
      return sign * unit(next) * 2 ** 25 * pio2; /* medium trigonometric reduction range */
  }
}

/** `count` reproducible random inputs for `name` across magnitudes; pow also gets integer and half-integer exponents. */
export function exactMathInputs(
  name: ExactMathFunction,
  count: number,
  seed: bigint,
): { xs: Float64Array; ys: Float64Array } {
  const next = random(seed);
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    xs[i] = randomValue(next);
    ys[i] = randomValue(next);
    if (name === 'pow' && i % 4 === 0) ys[i] = Math.round(ys[i]! % 64) + (i % 8 === 0 ? 0.5 : 0);
  }
  return { xs, ys };
}
