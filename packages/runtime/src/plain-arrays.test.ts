import { describe, expect, it } from 'vitest';
import { JitTypeError, jit } from './index.js';

/*
 * Dense plain Arrays of numbers, as simple-statistics' users pass them and
 * as module-level tables: compared with V8 on copies of the same arguments
 * (Object.is on the result and on every element left in the Arrays).
 */

type Fn = (...args: never[]) => unknown;

function sameAsV8(fn: Fn, argumentSets: readonly (() => unknown[])[]): void {
  const jitted = jit(fn) as unknown as (...args: unknown[]) => unknown;
  for (const make of argumentSets) {
    const v8Args = make();
    const jitArgs = make();
    const expected = (fn as unknown as (...a: unknown[]) => unknown)(...v8Args);
    const actual = jitted(...jitArgs);
    // A returned argument must be the same argument on the jitted side.
    const returned = v8Args.indexOf(expected);
    if (returned >= 0) expect(actual).toBe(jitArgs[returned]);
    else expect(Object.is(actual, expected), `${fn.name}: ${String(actual)} vs ${String(expected)}`).toBe(true);
    expect(jitArgs).toEqual(v8Args);
    jitArgs.forEach((a, i) => {
      if (Array.isArray(a)) a.forEach((v, k) => expect(Object.is(v, (v8Args[i] as number[])[k])).toBe(true));
    });
  }
}

// simple-statistics' sum (Kahan summation), as its users call it: with an Array.
function sum(x: number[]): number {
  if (x.length === 0) return 0;
  let sum = x[0]!;
  let correction = 0;
  let transition;
  for (let i = 1; i < x.length; i++) {
    transition = sum + x[i]!;
    if (Math.abs(sum) >= Math.abs(x[i]!)) correction += sum - transition + x[i]!;
    else correction += x[i]! - transition + sum;
    sum = transition;
  }
  return sum + correction;
}

function scaleInPlace(x: number[], factor: number): number[] {
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * factor;
  return x;
}

function addInto(out: number[], a: number[], b: number[]): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! + b[i]!;
}

// A module-level table, read the way simple-statistics reads standardNormalTable.
const TABLE = [0.5, 0.25, 0.125, -0];
function lookup(i: number): number {
  return TABLE[i]! * 2;
}

describe('plain Arrays of numbers as arguments', () => {
  it('reads them as V8 does (Kahan sum, empty, -0, NaN)', () => {
    sameAsV8(sum, [() => [[1, 2, 3.5]], () => [[]], () => [[1e100, 1, -1e100]], () => [[-0]], () => [[NaN, 1]]]);
  });

  it('writes are visible to the caller, and a returned argument is the Array itself', () => {
    const xs = [1, 2, -3];
    const result = jit(scaleInPlace)(xs, -0.5);
    expect(result).toBe(xs);
    expect(xs).toEqual([-0.5, -1, 1.5]);
    sameAsV8(scaleInPlace, [() => [[1, 2, 3], 2], () => [[0, 1], -0]]);
  });

  it('the same Array passed twice stays one object', () => {
    const shared = [1, 2, 3];
    jit(addInto)(shared, shared, [10, 20, 30]);
    expect(shared).toEqual([11, 22, 33]);
    const again = [1, 2, 3];
    addInto(again, again, [10, 20, 30]);
    expect(shared).toEqual(again);
  });

  it('writes made before an error are still written back', () => {
    const writeThenFail = (x: number[]): number => {
      x[0] = 7;
      throw new RangeError('after the write');
    };
    const xs = [1, 2];
    expect(() => jit(writeThenFail)(xs)).toThrow(RangeError);
    expect(xs).toEqual([7, 2]);
  });

  it('mixes with TypedArrays and shares their specialization', () => {
    const dot = jit((x: ArrayLike<number>, y: ArrayLike<number>) => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
      return s;
    });
    expect(dot([1, 2], new Float64Array([3, 4]))).toBe(11);
    expect(dot(new Float64Array([1, 2]), [3, 4])).toBe(11);
  });

  it('refuses holes, other elements and subclasses with a JitTypeError naming the parameter', () => {
    const jitted = jit(sum);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => jitted([1, , 3] as number[])).toThrow(
      /parameter 'x' \(1st\) is an Array with a hole at index 1; jitted code takes dense Arrays of numbers/,
    );
    expect(() => jitted([1, '2'] as unknown as number[])).toThrow(JitTypeError);
    expect(() => jitted([1, 2n] as unknown as number[])).toThrow(/holding bigint at index 1/);
    class Numbers extends Array<number> {}
    expect(() => jitted(Numbers.from([1, 2]) as number[])).toThrow(/Array subclass/);
  });
});

// @stdlib's pattern: a module-level scratch Array the helpers write into.
const WORDS = [0, 0];
function split(x: number): number {
  WORDS[0] = Math.floor(x / 65536);
  WORDS[1] = x % 65536;
  return WORDS[0] + WORDS[1];
}

describe('plain Arrays of numbers in a scope', () => {
  it('writes into a module-level Array are visible after every call (first call and the fast path)', () => {
    const jitted = jit(split);
    for (const x of [70000, 3, 131073.5, -0]) {
      const expected = split(x);
      const words = [...WORDS];
      WORDS.fill(9);
      expect(Object.is(jitted(x), expected)).toBe(true);
      expect(WORDS).toEqual(words);
      expect(Object.is(WORDS[1], words[1])).toBe(true);
    }
  });

  it('a module-level table is read at every call, never a stale snapshot', () => {
    const jitted = jit(lookup);
    expect(Object.is(jitted(3), lookup(3))).toBe(true);
    expect(jitted(1)).toBe(0.5);
    TABLE[1] = 4;
    try {
      expect(jitted(1)).toBe(8);
      TABLE.push(1.5);
      expect(jitted(4)).toBe(3);
    } finally {
      TABLE.length = 4;
      TABLE[1] = 0.25;
    }
  });

  it('a table that no longer holds only numbers is refused at the call', () => {
    const table = [1, 2];
    const jitted = jit((i: number) => table[i]! + 1);
    expect(jitted(1)).toBe(3);
    (table as unknown[])[0] = 'one';
    expect(() => jitted(1)).toThrow(/an Array it reads from its scope is an Array holding string at index 0/);
  });
});
