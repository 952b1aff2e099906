import { describe, expect, it } from 'vitest';
import { CompileError, jit } from './index.js';

/*
 * Idioms of real numeric JavaScript (issue 13), each as code in the shape
 * npm packages write it, run through jit() and compared with V8 on the same
 * arguments (Object.is, and the same elements left in arrays).
 */

type Fn = (...args: never[]) => unknown;

function sameAsV8(fn: Fn, argumentSets: readonly (readonly unknown[])[]): void {
  const jitted = jit(fn) as unknown as (...args: unknown[]) => unknown;
  for (const args of argumentSets) {
    const copy = (a: readonly unknown[]) => a.map((v) => (ArrayBuffer.isView(v) ? (v as Float64Array).slice() : v));
    const v8Args = copy(args);
    const jitArgs = copy(args);
    const expected = (fn as unknown as (...a: unknown[]) => unknown)(...v8Args);
    const actual = jitted(...jitArgs);
    expect(Object.is(actual, expected), `${fn.name}(${args.map(String).join(', ')}): ${actual} vs ${expected}`).toBe(
      true,
    );
    expect(jitArgs).toEqual(v8Args);
  }
}

// @stdlib style: optional arguments tested with typeof / === undefined, defaulted in the body.
function clamp(x: number, lo?: number, hi?: number): number {
  if (typeof lo === 'undefined') lo = 0;
  if (hi === undefined) hi = 1;
  return x < lo ? lo : x > hi ? hi : x;
}

// d3-array style: `== null` for missing values and arguments.
function sumTo(values: Float64Array, end?: number | null): number {
  if (end == null) end = values.length;
  let s = 0;
  for (let i = 0; i < end; i++) {
    const v = values[i];
    if (v != null && v === v) s += v;
  }
  return s;
}

// simple-statistics style: a default parameter.
function quantileSorted(x: Float64Array, p = 0.5): number {
  const idx = x.length * p;
  if (p === 1) return x[x.length - 1]!;
  if (p === 0) return x[0]!;
  if (idx % 1 !== 0) return x[Math.ceil(idx) - 1]!;
  if (x.length % 2 === 0) return (x[idx - 1]! + x[idx]!) / 2;
  return x[idx]!;
}

// A type switch written with typeof, as generic helpers do: a compile-time fact per specialization.
function toFloat(x: number | bigint | boolean): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  if (typeof x !== 'boolean') return NaN;
  return x ? 1 : 0;
}

function nullTests(x?: number): number {
  // No compiled value is null: `=== null` is false, `== null` means undefined.
  return (x === null ? 1 : 0) + (x !== null ? 2 : 0) + (x == null ? 4 : 0) + (null != x ? 8 : 0);
}

describe('optional arguments, typeof and null tests are compile-time facts per specialization', () => {
  it('omitted and undefined arguments, tested with typeof and === undefined', () => {
    sameAsV8(clamp, [[5], [0.5], [-3], [-3, -1], [5, 0, 10], [5, undefined, 2], [0.5, undefined, undefined]]);
  });

  it('== null / != null', () => {
    const xs = new Float64Array([1, NaN, 3, 4]);
    sameAsV8(sumTo, [[xs], [xs, 2], [xs, undefined]]);
  });

  it('a default parameter, with the argument omitted, undefined or given', () => {
    const xs = new Float64Array([1, 2, 3, 4, 5]);
    sameAsV8(quantileSorted, [[xs], [xs, undefined], [xs, 0.2], [xs, 1], [xs, 0]]);
  });

  it('typeof of each argument kind', () => {
    sameAsV8(toFloat, [[2.5], [7n], [true], [false]]);
    const kind = (x: unknown) =>
      (typeof x === 'number' ? 1 : 0) +
      (typeof x === 'bigint' ? 2 : 0) +
      (typeof x === 'boolean' ? 4 : 0) +
      (typeof x === 'undefined' ? 8 : 0) +
      (typeof x === 'object' ? 16 : 0) +
      (typeof x == 'string' ? 32 : 0) +
      (typeof x === ('nonsense' as string) ? 64 : 0);
    sameAsV8(kind, [[1], [1n], [false], [undefined], [new Int32Array(2)]]);
  });

  it('=== null, !== null, == null, != null', () => {
    sameAsV8(nullTests, [[1], [undefined], [0]]);
  });

  it('the specializations are named by their undefined arguments', () => {
    const f = jit(clamp);
    f(1);
    f(1, 2, 3);
    expect(f.signatures).toEqual(['(f64, undefined, undefined) -> f64', '(f64, f64, f64) -> f64']);
  });

  it('more arguments than parameters are still refused', () => {
    expect(() => (jit(clamp) as unknown as (...a: number[]) => number)(1, 2, 3, 4)).toThrow(
      /expects 3 arguments \(x, lo, hi\); got 4/,
    );
  });
});

// Small array literals taken apart at once: the swap of a Fibonacci step, defaults, holes.
function fibonacci(n: number): number {
  let a = 0;
  let b = 1;
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

function rotate(x: number, y: number, c: number, s: number): number {
  const [rx, ry] = [c * x - s * y, s * x + c * y];
  // A hole in the pattern skips an element; `fourth` has none.
  const [first, second = 10, , fourth] = [rx, undefined, ry] as number[];
  return (first as number) + second + (fourth === undefined ? ry : NaN);
}

describe('array literals and their destructuring', () => {
  it('swaps through a literal, as a statement', () => {
    sameAsV8(fibonacci, [[0], [1], [10], [70]]);
  });

  it('declarations with defaults and holes', () => {
    sameAsV8(rotate, [
      [1, 2, 0.5, 0.25],
      [-0, 0, 1, 0],
    ]);
  });

  it('refuses what would need an iterator, naming the supported form', () => {
    const f = jit((xs: Float64Array) => {
      const [a] = xs as unknown as [number];
      return a;
    });
    expect(() => f(new Float64Array(1))).toThrow(/only an array literal can be destructured/);
  });
});

// d3-array / ndarray-ops style: a function-valued parameter.
function reduce(xs: Float64Array, f: (acc: number, x: number) => number, init: number): number {
  let acc = init;
  for (let i = 0; i < xs.length; i++) acc = f(acc, xs[i]!);
  return acc;
}

function mapInPlace(xs: Float64Array, f: (x: number) => number): number {
  for (let i = 0; i < xs.length; i++) xs[i] = f(xs[i]!);
  return xs.length;
}

const add = (a: number, b: number): number => a + b;

describe('callbacks: function-valued parameters specialised on the function’s identity', () => {
  const xs = new Float64Array([3, 1, 4, 1, 5, -9]);

  it('arrow functions, closures and built-ins as callbacks', () => {
    const offset = 0.5;
    const shifted = (a: number, b: number): number => a + b + offset;
    sameAsV8(reduce, [
      [xs, add, 0],
      [xs, shifted, 0],
      [xs, Math.max, -Infinity],
      [xs, Math.min, Infinity],
    ]);
    sameAsV8(mapInPlace, [
      [xs, Math.abs],
      [xs, (x: number) => x * 2],
    ]);
  });

  it('one specialization per function, reused on the next call with the same one', () => {
    const jitted = jit(reduce);
    expect(jitted(xs, add, 0)).toBe(reduce(xs, add, 0));
    expect(jitted(xs, add, 1)).toBe(reduce(xs, add, 1));
    expect(jitted(xs, Math.max, 0)).toBe(reduce(xs, Math.max, 0));
    expect(jitted.signatures).toEqual(['(f64[], function, f64) -> f64', '(f64[], function, f64) -> f64']);
  });

  it('a callback that cannot be compiled is a clear error', () => {
    expect(() => jit(mapInPlace)(xs, Math.random)).toThrow(/native or bound function/);
    expect(() => jit(mapInPlace)(xs, add.bind(null, 1))).toThrow(/native or bound function/);
  });
});

// gl-matrix style: the output may be one of the inputs.
function scaleInto(out: Float64Array, a: Float64Array, s: number): number {
  if (out === a) {
    for (let i = 0; i < a.length; i++) out[i]! *= s;
    return 1;
  }
  for (let i = 0; i < a.length; i++) out[i] = a[i]! * s;
  return out !== a ? 2 : 3;
}

describe('TypedArray identity: which arguments are the same object is a fact of the specialization', () => {
  it('out === a, with the same and with different arrays, in any order of calls', () => {
    const jitted = jit(scaleInto);
    const a = new Float64Array([1, 2, 3]);
    const b = new Float64Array(3);
    const calls: [Float64Array, Float64Array, number][] = [
      [b, a, 2],
      [a, a, 10],
      [b, a, 1],
      [a, a, 0.5],
      [b, b, 3],
    ];
    const v8a = a.slice();
    const v8b = b.slice();
    const twin = (x: Float64Array) => (x === a ? v8a : v8b);
    for (const [out, input, s] of calls) {
      expect(jitted(out, input, s)).toBe(scaleInto(twin(out), twin(input), s));
      expect(Array.from(a)).toEqual(Array.from(v8a));
      expect(Array.from(b)).toEqual(Array.from(v8b));
    }
    expect(jitted.signatures).toEqual(['(f64[], f64[], f64) -> f64', '(f64[], f64[], f64) -> f64']);
  });

  it('code that never compares its arrays is compiled once, aliased or not', () => {
    const dot = jit((x: Float64Array, y: Float64Array) => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
      return s;
    });
    const a = new Float64Array([1, 2]);
    expect(dot(a, a)).toBe(5);
    expect(dot(a, new Float64Array([3, 4]))).toBe(11);
    expect(dot.signatures).toEqual(['(f64[], f64[]) -> f64']);
  });
});

describe('built-ins passed as scope values are recognised by identity', () => {
  it('Math.floor and friends in the scope option', () => {
    const f = jit((x: number) => floor(x) + round(x) + abs(x) + (isInt(x) ? 1 : 0), {
      scope: { floor: Math.floor, round: Math.round, abs: Math.abs, isInt: Number.isInteger },
    });
    for (const x of [2.5, -2.5, 3, -0]) {
      expect(Object.is(f(x), Math.floor(x) + Math.round(x) + Math.abs(x) + (Number.isInteger(x) ? 1 : 0))).toBe(true);
    }
  });

  it('a built-in passed to a function specialises it; stored as a value it is still refused', () => {
    const twice = (g: (v: number) => number, x: number) => g(g(x));
    const f = jit((x: number) => twice(floor, x + 0.5), { scope: { floor: Math.floor, twice } });
    expect(f(1.7)).toBe(2);
    const g = jit(
      (x: number) => {
        const h = floor;
        return h(x);
      },
      { scope: { floor: Math.floor } },
    );
    expect(() => g(1)).toThrow(/can only be called, not used as a value/);
  });
});

declare const floor: (x: number) => number;
declare const round: (x: number) => number;
declare const abs: (x: number) => number;
declare const isInt: (x: number) => boolean;

// d3-array's accessor pattern: the branch that calls `valueof` is dead when it is omitted.
function d3Sum(values: Float64Array, valueof?: (v: number, i: number, a: Float64Array) => number): number {
  let sum = 0;
  if (valueof === undefined) {
    for (let i = 0; i < values.length; i++) {
      const value = +values[i]!;
      if (value) sum += value;
    }
  } else {
    let index = -1;
    for (let i = 0; i < values.length; i++) {
      const value = +valueof(values[i]!, ++index, values);
      if (value) sum += value;
    }
  }
  return sum;
}

function callsMissing(x: number, f?: (v: number) => number): number {
  return f!(x + 1);
}

// quickselect's and d3's pattern: a default parameter naming a module function.
function ascending(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
function countBelow(xs: Float64Array, pivot: number, compare = ascending): number {
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (compare(xs[i]!, pivot) < 0) n++;
  return n;
}

describe('omitted function parameters', () => {
  it('calls of an omitted accessor on a path ruled out by `=== undefined` compile (d3-array sum)', () => {
    const xs = new Float64Array([1, NaN, 2.5, -0]);
    sameAsV8(d3Sum as Fn, [[xs], [xs, undefined], [new Float64Array(0)]]);
    expect(jit(d3Sum as Fn).signatures).toEqual([]);
    expect(jit(d3Sum)(xs, (v) => 2 * v)).toBe(d3Sum(xs, (v) => 2 * v));
  });

  it('calling an omitted parameter throws V8’s TypeError', () => {
    expect(() => callsMissing(1)).toThrow(new TypeError('f is not a function'));
    expect(() => jit(callsMissing)(1)).toThrow(new TypeError('f is not a function'));
    expect(jit(callsMissing)(1, (v) => v * 3)).toBe(6);
  });

  it('a default parameter naming a function is that function when the argument is omitted (quickselect)', () => {
    const xs = new Float64Array([5, 1, 4, 2, 3]);
    sameAsV8(countBelow as Fn, [
      [xs, 3],
      [xs, 3, undefined],
      [xs, 0],
    ]);
    const descending = (a: number, b: number) => b - a;
    expect(jit(countBelow)(xs, 3, descending)).toBe(countBelow(xs, 3, descending));
  });
});

// quickselect's pattern: a function parameter passed on to a recursive call, and to a helper.
function selectCount(xs: Float64Array, lo: number, hi = xs.length - 1, compare = ascending): number {
  if (hi - lo < 2) return countWith(xs, lo, hi, compare);
  const mid = Math.floor((lo + hi) / 2);
  return selectCount(xs, lo, mid, compare) + selectCount(xs, mid + 1, hi, compare);
}
function countWith(xs: Float64Array, lo: number, hi: number, compare: (a: number, b: number) => number): number {
  let n = 0;
  for (let i = lo; i <= hi; i++) if (compare(xs[i]!, 0) < 0) n++;
  return n;
}

// A recursive entry called with an argument omitted: the recursive call passes every argument.
function depth(n: number, step?: number): number {
  if (n <= 0) return 0;
  return 1 + depth(n - (step ?? 1), 2);
}

describe('functions passed on to other calls', () => {
  it('a default function passed to a recursive call and a helper (quickselect)', () => {
    const xs = new Float64Array([-1, 2, -3, 4, -5, 6, -0, NaN, -7]);
    sameAsV8(selectCount as Fn, [
      [xs, 0],
      [xs, 2, 7],
      [xs, 0, undefined],
    ]);
  });

  it('a callback given by the caller, passed on', () => {
    const xs = new Float64Array([-1, 2, -3, 4, -5]);
    const descending = (a: number, b: number) => b - a;
    expect(jit(selectCount)(xs, 0, 4, descending)).toBe(selectCount(xs, 0, 4, descending));
  });

  it('a recursive entry specialised on an omitted argument (regression: a CFG type mismatch)', () => {
    sameAsV8(depth as Fn, [[5], [5, 1], [0], [7, undefined]]);
  });
});

// d3-array's tickSpec: a helper returning a small array literal, read at a constant index (and recursing in tail position).
function spec(start: number, stop: number, count: number): number[] {
  const step = (stop - start) / Math.max(0, count);
  const i1 = Math.round(start / step);
  const i2 = Math.round(stop / step);
  if (i2 < i1 && count < 2) return spec(start, stop, count * 2);
  return [i1, i2, step];
}
function stepOf(start: number, stop: number, count: number): number {
  return spec(start, stop, count)[2]! + spec(start, stop, count)[0]!;
}
function fallsOff(x: number): number[] | undefined {
  if (x > 0) return [x, 2 * x];
}
function secondOf(x: number): number {
  return fallsOff(x)![1]!;
}

function makeArray(n: number): Float64Array {
  const a = new Float64Array(n);
  a[0] = n;
  return a;
}
function firstOfMade(n: number): number {
  return makeArray(n)[0]!;
}

describe('small array literals returned by a helper and read at a constant index', () => {
  it('a helper returning a TypedArray is still called and indexed as before', () => {
    sameAsV8(firstOfMade as Fn, [[3], [1]]);
  });

  it('compiles as a copy of the helper returning that element (d3-array tickIncrement)', () => {
    sameAsV8(stepOf as Fn, [
      [0, 1, 10],
      [5, 1, 1],
      [-3.3, 17.2, 5],
      [0, 1, 0],
      [1, 1, NaN],
    ]);
  });

  it('a path that returns nothing throws V8’s TypeError', () => {
    expect(jit(secondOf)(2)).toBe(4);
    expect(() => secondOf(-1)).toThrow(new TypeError("Cannot read properties of undefined (reading '1')"));
    expect(() => jit(secondOf)(-1)).toThrow(new TypeError("Cannot read properties of undefined (reading '1')"));
  });
});

// d3-array's mean: nothing returned when there is no data.
function meanOf(values: Float64Array): number | undefined {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value === value) {
      ++count;
      sum += value;
    }
  }
  if (count) return sum / count;
}

// gl-matrix's invert: null for a singular input, the output array otherwise.
function reciprocal(out: Float64Array, a: Float64Array): Float64Array | null {
  if (!a[0]) return null;
  out[0] = 1 / a[0]!;
  return out;
}

function findFrom(xs: Float64Array, v: number, i: number): number | undefined {
  if (i >= xs.length) return;
  if (xs[i] === v) return i;
  return findFrom(xs, v, i + 1);
}

describe('an entry that returns a value on some paths and undefined or null on others', () => {
  it('returns undefined where V8 does (d3-array mean)', () => {
    sameAsV8(meanOf as Fn, [[new Float64Array([1, 2, 4])], [new Float64Array(0)], [new Float64Array([NaN])]]);
  });

  it('returns null or the output array where V8 does (gl-matrix invert)', () => {
    const jitted = jit(reciprocal);
    const out = new Float64Array(1);
    expect(jitted(out, new Float64Array([4]))).toBe(out);
    expect(out[0]).toBe(0.25);
    expect(jitted(out, new Float64Array([0]))).toBe(null);
    expect(jitted(out, new Float64Array([-0]))).toBe(null);
  });

  it('a recursive one is refused rather than compiled (its inner calls need the value)', () => {
    expect(() => jit(findFrom)(new Float64Array([1, 2]), 2, 0)).toThrow(CompileError);
  });

  it('the messages standing for those returns cannot be thrown by the code', () => {
    const f = jit((x: number) => {
      if (x > 0) throw new Error('rvsdg: the compiled entry returned undefined (internal)');
      return x;
    });
    expect(() => f(1)).toThrow(/reserved by the compiler/);
  });
});
