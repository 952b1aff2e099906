import { describe, expect, it } from 'vitest';
import { jit, JitTypeError } from './index.js';
import { unpackArguments } from './fast-call.js';

function thrown(body: () => unknown): Error {
  try {
    body();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an exception');
}

function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

const Resizable = ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer;

// Each test makes the fast path of one signature current (a few calls), then passes what its guards must refuse.
describe('the fast path of the last signature', () => {
  it('switches between argument kinds in any order, with the same results as V8', () => {
    const add = (a: never, b: never) => (a as number) + (b as number);
    const jadd = jit(add);
    const calls: [unknown, unknown][] = [
      [1, 2],
      [true, false],
      [1, 2.5],
      [3n, 4n],
      [true, 2],
      [1, 2],
      [-(2n ** 63n), 0n],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [a, b] of calls) expect(jadd(a as never, b as never)).toBe(add(a as never, b as never));
    }
    expect(jadd.signatures.length).toBe(4);
  });

  it('refuses a BigInt outside i64 after BigInts that fit', () => {
    const jneg = jit((a: bigint) => -a);
    for (let i = 0; i < 3; i++) expect(jneg(5n)).toBe(-5n);
    const error = thrown(() => jneg(2n ** 63n));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toMatch(/parameter 'a' \(1st\) is a BigInt outside the 64-bit signed range/);
    expect(jneg(-(2n ** 63n) + 1n)).toBe(2n ** 63n - 1n);
  });

  it('names the parameter of a wrong kind after a compiled signature', () => {
    const jfirst = jit((v: Float64Array, i: number) => v[i]);
    const x = new Float64Array([1, 2, 3]);
    for (let i = 0; i < 3; i++) expect(jfirst(x, i)).toBe(i + 1);
    const error = thrown(() => jfirst(x, 'a' as never));
    expect(error).toBeInstanceOf(JitTypeError);
    expect(error.message).toBe(
      "anonymous: parameter 'i' (2nd) expects number, boolean, bigint, a TypedArray or an Array of numbers; got string",
    );
    // Too many arguments are refused; an omitted one is undefined, a kind of its own (here an index V8 reads as undefined).
    expect(thrown(() => (jfirst as (...a: unknown[]) => unknown)(x, 1, 2)).message).toMatch(
      /expects 2 arguments \(v, i\); got 3$/,
    );
    expect(thrown(() => (jfirst as (...a: unknown[]) => unknown)(x)).message).toMatch(
      /a TypedArray index must be a number/,
    );
    expect(jfirst(new Int32Array([7, 8]) as never, 1)).toBe(8);
    expect(jfirst(x, 2)).toBe(3);
  });

  it('appends the TypedArrays read from scope to every call, each with its buffer, and refuses one detached', () => {
    const weights = new Float64Array([1, 2, 3]);
    const offset = new Int32Array([10]);
    const jw = jit((v: Float64Array, i: number) => (v[i] as number) * (weights[i] as number) + (offset[0] as number));
    const v = new Float64Array([4, 5, 6]);
    for (let i = 0; i < 3; i++) expect(jw(v, i)).toBe((v[i] as number) * (weights[i] as number) + 10);
    weights[1] = -1;
    offset[0] = 7;
    expect(jw(v, 1)).toBe(-5 + 7);
    structuredClone(weights.buffer, { transfer: [weights.buffer] });
    for (let k = 0; k < 2; k++) {
      const error = thrown(() => jw(v, 0));
      expect(error).toBeInstanceOf(JitTypeError);
      expect(error.message).toBe('anonymous: a TypedArray it reads from its scope is on a detached ArrayBuffer');
    }
  });

  it('alternates plain signatures with undefined and function arguments, as V8 does', () => {
    const add = (x: number, y?: number): number => (y === undefined ? x : x + y);
    const apply = (f: (z: number) => number, x: number): number => f(x) + 1;
    const jadd = jit(add) as (...a: unknown[]) => unknown;
    const japply = jit(apply);
    const twice = (z: number): number => 2 * z;
    const square = (z: number): number => z * z;
    const calls: (number | undefined)[][] = [[1, 2], [1], [3, 4], [6, undefined], [7, 8], [9], [10, 0.5]];
    for (let round = 0; round < 2; round++) {
      for (const [i, args] of calls.entries()) {
        expect(jadd(...args)).toBe(add(...(args as [number, number?])));
        const f = i % 2 === 0 ? twice : square;
        expect(japply(f, i)).toBe(apply(f, i));
      }
    }
  });

  it('refuses a buffer detached between calls, and takes the same array again once refilled', () => {
    const jsum = jit((v: Float64Array) => {
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i]!;
      return s;
    });
    const x = new Float64Array([1, 2, 3]);
    for (let i = 0; i < 3; i++) expect(jsum(x)).toBe(6);
    detach(x.buffer);
    expect(thrown(() => jsum(x)).message).toBe("anonymous: parameter 'v' (1st) is on a detached ArrayBuffer");
    expect(jsum(new Float64Array(0))).toBe(0);
    expect(jsum(new Float64Array([4, 5]))).toBe(9);
  });

  it('reads the current contents and view of each array: offsets, lengths and on-heap arrays', () => {
    const jlast = jit((x: Float64Array) => x[x.length - 1]);
    const buffer = new ArrayBuffer(64);
    const whole = new Float64Array(buffer);
    whole.forEach((_, i) => (whole[i] = i));
    for (let i = 0; i < 3; i++) expect(jlast(whole)).toBe(7);
    expect(jlast(new Float64Array(buffer, 8, 2))).toBe(2);
    expect(jlast(new Float64Array(buffer, 48))).toBe(7);
    expect(jlast(new Float64Array([5]))).toBe(5);
    whole[7] = 42;
    expect(jlast(whole)).toBe(42);
  });

  it('refuses shared and resizable buffers after plain ones', () => {
    const jfirst = jit((x: Float64Array) => x[0]);
    for (let i = 0; i < 3; i++) expect(jfirst(new Float64Array([1]))).toBe(1);
    expect(thrown(() => jfirst(new Float64Array(new SharedArrayBuffer(8)))).message).toMatch(
      /^anonymous: parameter 'x' \(1st\) is backed by a SharedArrayBuffer/,
    );
    expect(thrown(() => jfirst(new Float64Array(new Resizable(8, { maxByteLength: 16 })))).message).toMatch(
      /resizable ArrayBuffer/,
    );
    expect(jfirst(new Float64Array([2]))).toBe(2);
  });

  it('checks subclasses and own members after plain arrays', () => {
    const jlen = jit((x: Float64Array) => x.length);
    const plain = new Float64Array(3);
    for (let i = 0; i < 3; i++) expect(jlen(plain)).toBe(3);
    class Plain extends Float64Array {}
    expect(jlen(new Plain(5))).toBe(5);
    class Longer extends Float64Array {
      override get length(): number {
        return 99;
      }
    }
    expect(thrown(() => jlen(new Longer(2))).message).toMatch(/has its own length/);
    expect(jlen(plain)).toBe(3);
    Object.defineProperty(plain, 'length', { value: 3 });
    expect(thrown(() => jlen(plain)).message).toMatch(/has its own length/);
    const iterable = new Float64Array(2);
    expect(jlen(iterable)).toBe(2);
    (iterable as unknown as Record<symbol, unknown>)[Symbol.iterator] = function* () {};
    expect(thrown(() => jlen(iterable)).message).toMatch(/has its own \[Symbol\.iterator\]/);
    // An object that only looks like a Float64Array.
    const fake = Object.create(Float64Array.prototype) as Float64Array;
    expect(thrown(() => jlen(fake)).message).toMatch(/got object/);
  });

  it('relocates errors the native code raises on the fast path', () => {
    const jat = jit((x: Float64Array, i: number) => {
      if (i > 10) throw new RangeError('too far');
      return x[i];
    });
    const x = new Float64Array(2);
    for (let i = 0; i < 3; i++) expect(jat(x, 1)).toBe(0);
    const error = thrown(() => jat(x, 11));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toMatch(/too far/);
  });

  it('keeps the fast paths of several jitted functions apart', () => {
    const jx = jit((a: number) => a + 1);
    const jy = jit((a: number) => a * 2);
    for (let i = 0; i < 50; i++) {
      expect(jx(i)).toBe(i + 1);
      expect(jy(i)).toBe(i * 2);
    }
  });
});

describe('unpackArguments', () => {
  it('passes each TypedArray followed by its buffer, other values as they are', () => {
    const buffer = new ArrayBuffer(32);
    const view = new Float64Array(buffer, 8, 2);
    const args = unpackArguments([1, view, true], [1, 12, 2]);
    expect(args).toEqual([1, view, buffer, true]);
    expect(args[2]).toBe(buffer);
  });
});
