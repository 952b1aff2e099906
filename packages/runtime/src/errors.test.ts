import { describe, expect, it } from 'vitest';
import { CompileError, jit } from './index.js';

function thrown(body: () => unknown): Error & { line?: number } {
  try {
    body();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an exception');
}

describe('errors raised in native code', () => {
  it('keep the JS class and message; the source line moves into the stack', () => {
    function get(xs: Float64Array, i: number) {
      let s = 0;
      s += xs[i]!;
      return s;
    }
    const jget = jit(get, { signatures: ['(Float64Array, number)'] });
    const error = thrown(() => jget(new Float64Array(3), 3));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('index 3 is out of bounds for an array of length 3');
    expect(error.line).toBe(3);
    expect(error.stack?.split('\n')[1]).toMatch(/at get \(jitted source, line 3: s \+= xs\[i\]/);
    expect(jget(new Float64Array([1, 2, 3]), 2)).toBe(3);
  });

  it('throw new RangeError/TypeError/Error in the source arrive as those classes with the same message', () => {
    function check(a: number) {
      if (a < 0) throw new RangeError('negative input');
      if (a > 100) throw new TypeError('too large');
      if (a === 50) throw new Error('fifty');
      return a * 2;
    }
    const jcheck = jit(check);
    for (const [arg, Class, message] of [
      [-1, RangeError, 'negative input'],
      [101, TypeError, 'too large'],
      [50, Error, 'fifty'],
    ] as const) {
      const error = thrown(() => jcheck(arg));
      const expected = thrown(() => check(arg));
      expect(error).toBeInstanceOf(Class);
      expect(error.constructor).toBe(expected.constructor);
      expect(error.message).toBe(message);
      expect(error.stack).toMatch(/jitted source, line \d+: if \(a/);
    }
    expect(jcheck(3)).toBe(6);
  });

  it('BigInt results beyond 64 bits are a RangeError, not a wrong value', () => {
    const square = jit((a: bigint) => a * a);
    expect(square(3n)).toBe(9n);
    const error = thrown(() => square(2n ** 40n));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toMatch(/64 bits/);
    const outside = thrown(() => square(2n ** 64n));
    expect(outside).toBeInstanceOf(RangeError);
    expect(outside.message).toBe(
      "anonymous: parameter 'a' (1st) is a BigInt outside the 64-bit signed range, which compiled code represents BigInts in",
    );
  });
});

describe('source the compiler cannot handle', () => {
  it('is a CompileError with a code frame, on the first call', () => {
    const f = jit((a: number) => {
      const o = { a };
      return o.a;
    });
    const error = thrown(() => f(1));
    expect(error).toBeInstanceOf(CompileError);
    expect(error.message).toMatch(/\n.*\|/);
    // The failure is remembered: the next call fails the same way without compiling again.
    expect(thrown(() => f(2))).toBe(error);
  });

  it('a value that is a number on one path and undefined on another is a CompileError naming both lines', () => {
    const f = jit((a: number) => {
      let x;
      if (a > 0) x = 1;
      return x;
    });
    const error = thrown(() => f(1)) as CompileError;
    expect(error).toBeInstanceOf(CompileError);
    expect(error.reason).toMatch(/undefined on one path and a number on another/);
    expect(error.message).toContain('> 2 |');
  });

  it('is the same CompileError, eagerly, when signatures are given', () => {
    expect(() => jit((a: number) => [a], { signatures: ['(f64)'] })).toThrow(CompileError);
  });
});

describe('errors raised in a callee', () => {
  it('name the line without quoting the entry source, which the line may not belong to', () => {
    const at = jit((xs: Float64Array, i: number) => xs[i] as number);
    const sum = jit((xs: Float64Array) => at(xs, 0) + at(xs, 1), { scope: { at } });
    let error: (Error & { line?: number }) | undefined;
    try {
      sum(new Float64Array(1));
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect(error?.message).toBe('index 1 is out of bounds for an array of length 1');
    expect(error?.stack?.split('\n')[1]).toBe(
      "    at anonymous (jitted source, line 1 of 'anonymous' or of a function compiled with it)",
    );
  });
});
