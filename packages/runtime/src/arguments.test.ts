import { afterEach, describe, expect, it } from 'vitest';
import { CompileError, jit, JitTypeError } from './index.js';

function thrown(body: () => unknown): Error {
  try {
    body();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an exception');
}

function dot(x: Float64Array, y: Float64Array) {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

// These calls are refused before any compilation: no specialization exists afterwards.
describe('arguments refused before native code', () => {
  const jdot = jit(dot);

  it('names the parameter, its position and the expected kinds', () => {
    const error = thrown(() => jdot('a' as never, new Float64Array(1)));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(JitTypeError);
    expect(error.message).toBe(
      "dot: parameter 'x' (1st) expects number, boolean, bigint, a TypedArray or an Array of numbers; got string",
    );
    expect((error as JitTypeError).parameterIndex).toBe(0);
    expect(thrown(() => jdot(new Float64Array(1), [1, 'a'] as never)).message).toBe(
      "dot: parameter 'y' (2nd) is an Array holding string at index 1; jitted code takes Arrays of numbers only (use a TypedArray for other element types)",
    );
    for (const [bad, got] of [
      [null, 'null'],
      [{}, 'object'],
      [new DataView(new ArrayBuffer(8)), 'DataView'],
      [Symbol('s'), 'symbol'],
    ] as const) {
      expect(thrown(() => jdot(bad as never, new Float64Array(1))).message).toMatch(new RegExp(`got ${got}$`));
    }
    expect(jdot.signatures).toEqual([]);
  });

  it('takes a function argument only where the code calls it (a callback), else a CompileError', () => {
    expect(thrown(() => jit(dot)((() => 1) as never, new Float64Array(1)))).toBeInstanceOf(CompileError);
  });

  it('checks the argument count: more arguments than parameters are refused', () => {
    const error = thrown(() => (jdot as (...a: unknown[]) => unknown)(new Float64Array(1), new Float64Array(1), 3));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('dot: expects 2 arguments (x, y); got 3');
    expect(thrown(() => (jit(() => 1) as (...a: unknown[]) => unknown)(1)).message).toBe(
      'anonymous: expects 0 arguments (none); got 1',
    );
  });

  it('refuses detached, shared and resizable buffers', () => {
    const detached = new Float64Array(4);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    expect(thrown(() => jdot(detached, new Float64Array(1))).message).toBe(
      "dot: parameter 'x' (1st) is on a detached ArrayBuffer",
    );
    const shared = new Float64Array(new SharedArrayBuffer(16));
    const sharedError = thrown(() => jdot(new Float64Array(2), shared));
    expect(sharedError).toBeInstanceOf(TypeError);
    expect(sharedError.message).toMatch(/^dot: parameter 'y' \(2nd\) is backed by a SharedArrayBuffer/);
    const resizable = new Float64Array(
      new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(16, { maxByteLength: 64 }),
    );
    expect(thrown(() => jdot(resizable, new Float64Array(2))).message).toMatch(/resizable ArrayBuffer/);
    expect(jdot.signatures).toEqual([]);
  });

  it('sees through subclasses that lie about their buffer', () => {
    class Lying extends Float64Array {
      override get buffer(): ArrayBuffer {
        return new ArrayBuffer(8);
      }
    }
    const lying = new Lying(new SharedArrayBuffer(16) as unknown as ArrayBuffer);
    expect(thrown(() => jdot(lying, new Float64Array(2))).message).toMatch(/SharedArrayBuffer/);
  });

  // Defect 8 of issue 10: V8 runs a subclass's `length` getter, compiled code read the real length.
  it('refuses a TypedArray whose length or iterator is not the built-in, naming the parameter', () => {
    class Short extends Float64Array {
      override get length(): number {
        return 1;
      }
    }
    const short = new Short([1, 2, 3]);
    expect(dot(short, new Float64Array(3))).toBe(0); // V8 reads one element through the getter
    const error = thrown(() => jdot(new Float64Array(3), short));
    expect(error).toBeInstanceOf(JitTypeError);
    expect(error.message).toMatch(
      /^dot: parameter 'y' \(2nd\) has its own length \(a subclass or the object redefines it\)/,
    );
    expect((error as JitTypeError).parameterIndex).toBe(1);

    const own = new Float64Array([1, 2]);
    Object.defineProperty(own, 'length', { value: 1 });
    expect(thrown(() => jdot(own, own)).message).toMatch(/^dot: parameter 'x' \(1st\) has its own length/);

    class Iterating extends Float64Array {
      override *[Symbol.iterator](): ArrayIterator<number> {
        yield 42;
      }
    }
    expect(thrown(() => jdot(new Iterating(1), new Float64Array(1))).message).toMatch(
      /^dot: parameter 'x' \(1st\) has its own \[Symbol.iterator\]/,
    );

    const proxied = new Float64Array(2);
    Object.setPrototypeOf(proxied, new Proxy(Float64Array.prototype, {}));
    expect(thrown(() => jdot(proxied, proxied)).message).toMatch(/has its own length/);
    expect(jdot.signatures).toEqual([]);
  });

  it('accepts subclasses that keep the built-in length, and arrays of another realm', async () => {
    class Plain extends Float64Array {}
    const plain = new Plain([1, 2]);
    expect(jdot(plain, plain)).toBe(dot(plain, plain));
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('new Float64Array([3, 4])') as Float64Array;
    expect(jdot(foreign, foreign)).toBe(25);
    const moved = new Float64Array([5]);
    Object.setPrototypeOf(moved, Int32Array.prototype); // still resolves length to the built-in getter
    expect(jdot(moved, moved)).toBe(25);
  });

  it('keeps the name and arity of the original', () => {
    expect(jdot.name).toBe('dot');
    expect(jdot.length).toBe(2);
    expect(jdot.original).toBe(dot);
    expect(jit(jdot).original).toBe(dot);
  });
});

describe('options', () => {
  it('rejects unknown options and wrong types', () => {
    expect(() => jit(dot, { fastMath: true } as never)).toThrow("jit: unknown option 'fastMath'");
    expect(() => jit(dot, { boundscheck: 'no' } as never)).toThrow(/boundscheck' must be a boolean/);
    expect(() => jit(dot, { optLevel: 4 } as never)).toThrow(/optLevel must be 0, 1, 2 or 3/);
    expect(() => jit(dot, { signatures: '(f64)' } as never)).toThrow(/array of strings/);
    expect(() => jit('x' as never)).toThrow('jit: expected a function, got string');
  });
});

describe('running the plain function instead', () => {
  const saved = process.env['RVSDG_JIT_DISABLE'];
  afterEach(() => {
    if (saved === undefined) delete process.env['RVSDG_JIT_DISABLE'];
    else process.env['RVSDG_JIT_DISABLE'] = saved;
  });

  it('runs the original with option disable, whatever the arguments', () => {
    const f = jit((a: unknown, b: unknown) => `${a}${b}`, { disable: true });
    expect(f.disabled).toBe(true);
    expect(f('x', [1])).toBe('x1');
    expect(f.signatures).toEqual([]);
    expect(() => f.inspect('(f64, f64)')).toThrow(/compilation is disabled/);
  });

  it('runs the original when RVSDG_JIT_DISABLE is set, not when it is 0', () => {
    process.env['RVSDG_JIT_DISABLE'] = '1';
    const f = jit((s: string) => s.toUpperCase());
    expect(f.disabled).toBe(true);
    expect(f('abc')).toBe('ABC');
    process.env['RVSDG_JIT_DISABLE'] = '0';
    expect(jit((s: string) => s).disabled).toBe(false);
  });
});

describe('undefined and omitted arguments', () => {
  it('run as in V8: a constant of their specialization', () => {
    const jdot = jit(dot) as (...a: unknown[]) => unknown;
    const v8 = thrown(() => (dot as (...a: unknown[]) => unknown)(undefined, new Float64Array(1)));
    const compiled = thrown(() => jdot(undefined, new Float64Array(1)));
    expect(compiled).toBeInstanceOf(TypeError);
    expect(compiled.message).toBe(v8.message);
    const lengthOf = jit((xs: Float64Array | undefined, fallback: number) => (xs === undefined ? fallback : xs.length));
    expect((lengthOf as (...a: unknown[]) => unknown)(undefined, 3)).toBe(3);
    expect(lengthOf(new Float64Array(2), 3)).toBe(2);
  });

  it('an omitted argument is undefined', () => {
    const orZero = jit((x: number, y?: number) => (y === undefined ? x : x + y));
    expect((orZero as (...a: unknown[]) => unknown)(2)).toBe(2);
    expect(orZero(2, 3)).toBe(5);
  });
});
