import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runInThisContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { jit } from './index.js';
import { freeName } from './free-names.js';

/*
 * Free names resolve by themselves, each function in its own scope (the
 * closure and module bindings the inspector shows). The bindings below are
 * module-level on purpose.
 */

function count(n: number): number {
  return n <= 0 ? 0 : 1 + count(n - 1);
}

const isOdd = jit(function isOdd(n: number): boolean {
  return n === 0 ? false : isEven(n - 1);
});
function isEven(n: number): boolean {
  return n === 0 ? true : isOdd(n - 1);
}

const OFFSET = 10;
const samples = new Float64Array([1, 2, 3, 4]);
function twice(x: number): number {
  return 2 * x;
}
function sumTwice(n: number): number {
  let s = OFFSET;
  for (let i = 0; i < n; i++) s += twice(samples[i]!);
  return s;
}

let reassigned = 1;
function readsReassigned(x: number): number {
  return x + reassigned;
}
export function setReassigned(value: number): void {
  reassigned = value;
}
// eslint-disable-next-line prefer-const -- a `let` that is never assigned is as fixed as a const
let neverAssigned = 5;

// simple-statistics' pattern: a module-level helper, and a local of another function with the same name that is assigned.
function total(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}
function average(x: Float64Array): number {
  return total(x) / x.length;
}
export function runningTotal(x: Float64Array): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += x[i]!;
  return total;
}

// gl-matrix's glMatrix.EPSILON (a writable property of a module object) and @stdlib's toWords.assign (read-only).
const common = { EPSILON: 0.000001 };
function nearlyZero(x: number): boolean {
  return Math.abs(x) <= common.EPSILON;
}
function toHigh(x: number): number {
  return Math.floor(x / 2);
}
function words(x: number): number {
  return x;
}
Object.defineProperty(words, 'high', { value: toHigh, writable: false, configurable: false, enumerable: true });
const withHigh = words as typeof words & { high: (x: number) => number };
function highOf(x: number): number {
  return withHigh.high(x) + 1;
}
const withGetter = {
  get scale(): number {
    return 2;
  },
};
function scaled(x: number): number {
  return x * withGetter.scale;
}

// Only in the scope option of the regression test below.
declare const g: (n: number) => number;

const { sqrt } = Math;
const floor = Math.floor;
const isInteger = Number.isInteger;

describe('free names resolve by themselves, each function in its own scope', () => {
  it('a callee reads its own scope, not its caller’s (regression: the flat scope returned 1000)', () => {
    const top = jit(
      function top(n: number) {
        return 1000 + g(n);
      },
      { scope: { g: jit(count), count: (_n: number) => -1 } },
    );
    expect(top(3)).toBe(1003);
  });

  it('mutual recursion through scope: isOdd finds isEven in its own module scope', () => {
    const even = jit(isEven, { scope: { isOdd } });
    for (const n of [0, 1, 7, 8]) expect(even(n)).toBe(isEven(n));
  });

  it('module constants, helpers and a live module Float64Array, with no scope option', () => {
    const jitted = jit(sumTwice);
    expect(jitted(4)).toBe(sumTwice(4));
    samples[0] = 100;
    expect(jitted(4)).toBe(sumTwice(4));
    expect(jitted(4)).toBe(10 + 2 * (100 + 2 + 3 + 4));
    samples[0] = 1;
  });

  it('writes to a module TypedArray are visible to JavaScript', () => {
    const data = new Int32Array(3);
    const fill = jit((v: number) => {
      for (let i = 0; i < data.length; i++) data[i] = v + i;
      return data.length;
    });
    expect(fill(7)).toBe(3);
    expect(Array.from(data)).toEqual([7, 8, 9]);
  });

  it('a closure variable is a compile-time value', () => {
    const makeScaler = (k: number) => (x: number) => x * k;
    expect(jit(makeScaler(3))(5)).toBe(15);
    expect(jit(makeScaler(4))(5)).toBe(20);
  });

  it('built-ins are recognised by identity under any name', () => {
    const f = jit((x: number) => floor(sqrt(x)) + (isInteger(x) ? 1 : 0));
    for (const x of [10, 10.5, -1]) expect(Object.is(f(x), floor(sqrt(x)) + (isInteger(x) ? 1 : 0))).toBe(true);
  });

  it('refuses a binding that is assigned after compilation could read it, naming the fix', () => {
    setReassigned(2);
    expect(() => jit(readsReassigned)(1)).toThrow(/'reassigned' is a binding that can change after compilation/);
    expect(() => jit(readsReassigned)(1)).toThrow(/jit\(fn, \{ scope: \{ reassigned \} \}\)/);
    // The scope option overrides the module binding, and is then the user's snapshot.
    expect(jit(readsReassigned, { scope: { reassigned: 3 } })(1)).toBe(4);
  });

  it('an assignment to another binding of the same name (a local) does not make a module function stale', () => {
    const xs = new Float64Array([1, 2, 4]);
    expect(jit(average)(xs)).toBe(average(xs));
    expect(runningTotal(xs)).toBe(7);
  });

  it('properties of scope objects: read-only ones are constants, writable ones are checked at every call', () => {
    expect(jit(highOf)(9)).toBe(5);
    const near = jit(nearlyZero);
    expect(near(0.0000005)).toBe(true);
    expect(near(0.01)).toBe(false);
    common.EPSILON = 0.1;
    try {
      // The specialization compiled with the old value is dropped and compiled again.
      expect(near(0.01)).toBe(true);
      expect(near.signatures).toEqual(['(f64) -> bool']);
    } finally {
      common.EPSILON = 0.000001;
    }
    expect(near(0.01)).toBe(false);
  });

  it('a getter on a scope object is refused, naming it', () => {
    expect(() => jit(scaled)(1)).toThrow(/'withGetter.scale' is not an own data property of 'withGetter'/);
  });

  it('compiles a let that is never assigned as a constant', () => {
    expect(jit((x: number) => x + neverAssigned)(1)).toBe(6);
    expect(freeName((x: number) => x + neverAssigned, 'neverAssigned')).toEqual({ found: true, value: 5, fixed: true });
  });

  it('refuses a top-level binding of another classic script (a later script could assign it)', () => {
    runInThisContext('let rvsdgFreeNamesTop = 1;');
    const f = runInThisContext('(x) => x + rvsdgFreeNamesTop') as (x: number) => number;
    expect(() => jit(f)(1)).toThrow(/top-level binding another script can assign/);
    runInThisContext('rvsdgFreeNamesTop = 2;');
    expect(f(1)).toBe(3);
  });

  it('a name missing from every scope is still an error', () => {
    // @ts-expect-error -- deliberately undefined
    expect(() => jit((x: number) => x + nowhere)(1)).toThrow(/'nowhere' is not defined/);
  });

  it('works in plain node for ES modules (imported helper included) and CommonJS', () => {
    const run = (file: string): unknown =>
      JSON.parse(execFileSync(process.execPath, [fileURLToPath(new URL(file, import.meta.url))], { encoding: 'utf8' }));
    expect(run('./testing/free-names-fixture.mjs')).toEqual({
      first: [34, 34],
      afterWrite: [198, 198],
      closure: [8, 8],
    });
    expect(run('./testing/free-names-fixture.cjs')).toEqual({ first: [9, 9], afterWrite: [11, 11] });
  });
});
