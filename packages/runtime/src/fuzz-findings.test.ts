/* eslint-disable no-var -- `var` declared inside a loop is one of the findings */
import { describe, expect, it } from 'vitest';
import { CompileError, jit } from './index.js';

/**
 * Programs an independent differential fuzzer found to diverge from V8 or
 * to be refused wrongly (issue 10). Each runs in V8 and through `jit` on
 * the same arguments and must give the same value.
 */

type Fn = (...args: never[]) => unknown;

/** A scope constant of the test below: the functions are compiled from their source, where it is free. */
declare const BIG: bigint;

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

  it('an entry that falls off its end on some paths returns undefined there, as V8 does', () => {
    function fallsOff(n: number, p: number) {
      for (let i = 0; i < n; i++) {
        var v = 32 + i;
        if (i !== p) return v;
      }
    }
    sameAsV8(fallsOff, [
      [3, 0],
      [3, 1],
      [0, 0],
      [1, 0],
    ]);
  });

  it('is refused with an accurate message when a callee really returns undefined on a path', () => {
    function fallsOff(n: number, p: number) {
      for (let i = 0; i < n; i++) {
        var v = 32 + i;
        if (i !== p) return v;
      }
    }
    const outer = (n: number, p: number) => 1 + fallsOff(n, p)!;
    const error = compileError(outer, [3, 0]);
    expect(error.message).toMatch(/a number on one path and undefined on another/);
  });
});

function thrown(body: () => unknown): Error {
  try {
    body();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an exception');
}

describe('BigInt constants at and beyond the 64-bit edges', () => {
  it('-9223372036854775808n and 9223372036854775807n compile to the edges of i64', () => {
    function edges(x: bigint) {
      return x === -9223372036854775808n ? 9223372036854775807n : x + -9223372036854775807n;
    }
    sameAsV8(edges, [[-(2n ** 63n)], [5n], [0n]]);
  });

  it('a literal outside 64 bits is a RangeError where it is evaluated, never an internal error', () => {
    function beyond(x: bigint) {
      return x > 0n ? x : x - 9223372036854775808n;
    }
    sameAsV8(beyond, [[1n], [7n]]);
    const error = thrown(() => jit(beyond)(-1n));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('BigInt overflow: the constant 9223372036854775808n does not fit in 64 signed bits');
  });

  it('a scope constant outside 64 bits (2n ** 64n) too', () => {
    function wrapped(x: bigint) {
      return x < 0n ? BIG : BigInt.asIntN(64, x * 2n);
    }
    const compiled = jit(wrapped, { scope: { BIG: 2n ** 64n } });
    expect(compiled(3n)).toBe(6n);
    expect(thrown(() => compiled(-3n))).toBeInstanceOf(RangeError);
  });
});

describe('messages', () => {
  it('tell jit users to pass a free identifier with jit(fn, { scope })', () => {
    function usesFree(a: number) {
      // @ts-expect-error `offset` is deliberately undefined here
      return a + offset;
    }
    const error = compileError(usesFree, [1]);
    expect(error.reason).toBe("'offset' is not defined in the scope: pass it as jit(fn, { scope: { offset } })");
  });

  it('say that a JavaScript built-in cannot be compiled', () => {
    const error = compileError((a: number) => parseFloat(String(a)), [1]);
    expect(error.reason).toMatch(/^'(parseFloat|String)' is a JavaScript built-in that jit cannot compile$/);
  });

  it('BigInt(±Infinity) and BigInt(NaN) throw V8 RangeError', () => {
    const toBig = (x: number) => BigInt(x);
    const compiled = jit(toBig);
    for (const x of [Infinity, -Infinity, NaN]) {
      const expected = thrown(() => toBig(x));
      const actual = thrown(() => compiled(x));
      expect(actual).toBeInstanceOf(RangeError);
      expect(actual.message).toBe(expected.message);
    }
  });
});
