/* eslint-disable no-var -- `var` declared inside a loop is one of the findings */
import { describe, expect, it } from 'vitest';
import { CompileError, jit } from './index.js';

/**
 * Programs an independent differential fuzzer found to diverge from V8 or
 * to be refused wrongly (issue 10). Each runs in V8 and through `jit` on
 * the same arguments and must give the same value.
 */

type Fn = (...args: never[]) => unknown;

function sameAsV8(
  fn: Fn,
  argumentLists: readonly (readonly unknown[])[],
  scope?: Readonly<Record<string, unknown>>,
): void {
  const compiled = jit(fn, scope ? { scope } : {}) as unknown as (...args: unknown[]) => unknown;
  for (const args of argumentLists) {
    const expected = (fn as (...a: unknown[]) => unknown)(...args);
    expect(compiled(...args), `${fn.name}(${args.map(String).join(', ')})`).toBe(expected);
  }
}

function compileError(fn: Fn, args: readonly unknown[]): CompileError {
  try {
    (jit(fn) as unknown as (...a: unknown[]) => unknown)(...args);
  } catch (error) {
    if (error instanceof CompileError) return error;
    throw error;
  }
  throw new Error('expected a CompileError');
}

describe('integer x - c with c a multiple of 64 is not folded to x', () => {
  it('BigInt.asIntN(64, x - 64n)', () => {
    function minus64(x: bigint) {
      return BigInt.asIntN(64, x - 64n);
    }
    function minus128(x: bigint) {
      return BigInt.asIntN(64, x - 128n) + (x - 2n ** 32n);
    }
    sameAsV8(minus64, [[1n], [0n], [-(2n ** 63n)], [2n ** 62n]]);
    sameAsV8(minus128, [[1n], [-3n]]);
  });

  it('an integer loop counter minus 64, 2**31, -(2**31), 2**32 or 1e10', () => {
    function last(n: number) {
      let r = 0;
      for (let i = 0; i < n; i++) r = i - 64;
      return r;
    }
    function sum(n: number) {
      let r = 0;
      for (let i = 0; i < n; i++) r += i - 2 ** 31 + (i - -(2 ** 31)) + (i - 2 ** 32) + (i - 1e10) + (i + 128);
      return r;
    }
    sameAsV8(last, [[3], [0], [100]]);
    sameAsV8(sum, [[3], [1], [70]]);
  });
});

describe('BigInt.asIntN / asUintN over ?:, && and ||', () => {
  it('take the literal width although the operand branches', () => {
    function conditional(p: bigint) {
      return BigInt.asIntN(64, p > 0n ? p : -7n);
    }
    function logical(p: bigint, q: bigint) {
      return BigInt.asUintN(64, (p > 0n && q > 0n) || p === q ? p * 3n : q) + BigInt.asIntN(32, p || q);
    }
    function wraps(p: bigint) {
      // The width is the constant 64, so the multiplication wraps as in JavaScript instead of overflowing.
      return BigInt.asIntN(64, (p > 0n ? p : -p) * 4n);
    }
    sameAsV8(conditional, [[3n], [-3n], [0n]]);
    sameAsV8(logical, [
      [1n, 2n],
      [-1n, 2n],
      [5n, 5n],
      [0n, 9n],
    ]);
    sameAsV8(wraps, [[2n ** 62n + 5n], [-(2n ** 62n) - 1n], [3n]]);
  });

  it('take a scope constant as the width', () => {
    const bits = 16;
    const wrap16 = (p: bigint) => BigInt.asUintN(bits, p > 0n ? p : p - 1n);
    sameAsV8(wrap16, [[70000n], [-1n], [0n]], { bits });
  });
});

describe('a var declared and returned inside a loop', () => {
  it('compiles when every return path returns a number', () => {
    function firstOther(n: number, p: number) {
      for (let i = 0; i < n; i++) {
        var v = 32 + i;
        if (i !== p) return v;
      }
      return -1;
    }
    sameAsV8(firstOther, [
      [3, 0],
      [3, 1],
      [0, 0],
      [1, 0],
    ]);
  });

  it('keeps undefined when the var is read before its assignment', () => {
    function early(n: number) {
      if (n > 0) return v === undefined ? -1 : 1;
      var v: number | undefined = n;
      return v;
    }
    sameAsV8(early, [[3], [-2]]);
  });

  it('is refused with an accurate message when a path really returns undefined', () => {
    function fallsOff(n: number, p: number) {
      for (let i = 0; i < n; i++) {
        var v = 32 + i;
        if (i !== p) return v;
      }
    }
    const error = compileError(fallsOff, [3, 0]);
    expect(error.message).toMatch(/'fallsOff' returns a number on one path and undefined on another/);
    // The undefined comes from the end of the function body, where it returns without a value.
    expect(error.message).toMatch(/undefined from line 6, column 5\b/);
  });
});
