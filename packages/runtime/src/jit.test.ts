import { describe, expect, it } from 'vitest';
import { isJitted, jit, JitTypeError, specializationCache } from './index.js';

function dot(x: ArrayLike<number>, y: ArrayLike<number>) {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

describe('specializations', () => {
  it('compiles one specialization per argument kinds, on first use', () => {
    const jdot = jit(dot, { cache: false });
    expect(jdot.signatures).toEqual([]);
    expect(jdot(new Float64Array([1, 2]), new Float64Array([3, 4]))).toBe(11);
    expect(jdot.signatures).toEqual(['(f64[], f64[]) -> f64']);
    expect(jdot(new Float64Array([1, 2]), new Float64Array([3, 4, 5]))).toBe(11);
    expect(jdot(new Int32Array([1, 2]), new Float32Array([0.5, 4]))).toBe(8.5);
    expect(jdot.signatures).toEqual(['(f64[], f64[]) -> f64', '(i32[], f32[]) -> f64']);
    expect(isJitted(jdot)).toBe(true);
    expect(isJitted(dot)).toBe(false);
  });

  it('returns numbers, booleans, BigInts, undefined and new TypedArrays', () => {
    expect(jit((a: number) => a > 1)(2)).toBe(true);
    expect(jit((a: bigint) => a * 2n)(21n)).toBe(42n);
    expect(jit((xs: Float64Array) => void (xs[0] = 1))(new Float64Array(1))).toBe(undefined);
    const prefix = jit((xs: Float64Array) => {
      const out = new Float64Array(xs.length);
      let s = 0;
      for (let i = 0; i < xs.length; i++) {
        s += xs[i]!;
        out[i] = s;
      }
      return out;
    });
    const out = prefix(new Float64Array([1, 2, 3]));
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out)).toEqual([1, 3, 6]);
    // An ordinary TypedArray: its memory belongs to the JS heap's ArrayBuffer.
    expect(out.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(out.slice(1))).toEqual([3, 6]);
  });

  it('with signatures: compiles them at once and refuses the others with a TypeError', () => {
    const jdot = jit(dot, { signatures: ['(f64[], f64[]) -> f64', '(Float32Array, Float32Array)'], cache: false });
    expect(jdot.signatures).toEqual(['(f64[], f64[]) -> f64', '(f32[], f32[]) -> f64']);
    expect(jdot(new Float32Array([2]), new Float32Array([3]))).toBe(6);
    let error: unknown;
    try {
      jdot(new Float64Array(1), new Int32Array(1));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JitTypeError);
    expect((error as Error).message).toBe(
      "dot: parameter 'y' (2nd) expects Float64Array; got Int32Array (compiled signatures: (f64[], f64[]) -> f64, (f32[], f32[]) -> f64)",
    );
    expect(() => jdot(1 as never, 2 as never)).toThrow(
      "dot: parameter 'x' (1st) expects Float64Array or Float32Array; got number",
    );
    expect(jdot.signatures).toHaveLength(2);
    expect(() => jit(dot, { signatures: ['(f64[])'] })).toThrow(/has 1 parameter\(s\); the function has 2/);
    expect(() => jit(dot, { signatures: ['(f64[], f64[]) -> bigint'] })).toThrow(
      /promises bigint, but the compiled function returns number/,
    );
  });

  it('shares compiled code between jit() calls of the same source and options', () => {
    const sq = (a: number) => a * a;
    const first = jit(sq);
    first(3);
    const size = specializationCache.size;
    const second = jit(sq);
    expect(second(4)).toBe(16);
    expect(specializationCache.size).toBe(size);
    expect(second.signatures).toEqual(first.signatures);
  });

  it('compile() compiles ahead of the first call', () => {
    const f = jit((a: number, b: boolean) => (b ? a : -a));
    expect(f.compile('(number, boolean)')).toBe('(f64, bool) -> f64');
    expect(f.signatures).toEqual(['(f64, bool) -> f64']);
    expect(f(2, false)).toBe(-2);
  });
});

describe('scope', () => {
  it('compiles jitted and plain callees together, recursion and mutual recursion included', () => {
    const square = jit((x: number) => x * x);
    const sumSquares = jit(
      (xs: Float64Array) => {
        let s = 0;
        for (let i = 0; i < xs.length; i++) s += square(xs[i]!) * K;
        return s;
      },
      { scope: { square, K: 2 } },
    );
    expect(sumSquares(new Float64Array([1, 2]))).toBe(10);

    function fib(n: number): number {
      return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
    expect(jit(fib)(20)).toBe(6765);

    // Mutual recursion between jitted functions: the scope is read when compiling.
    const scope: Record<string, unknown> = {};
    const isEven = jit((n: number): boolean => (n === 0 ? true : isOdd(n - 1)), { scope });
    const isOdd = jit((n: number): boolean => (n === 0 ? false : isEven(n - 1)), { scope });
    Object.assign(scope, { isEven, isOdd });
    expect(isEven(10)).toBe(true);
    expect(isOdd(7)).toBe(true);
  });

  it('resolves each function in its own scope: a name may mean different things in a caller and its callee', () => {
    const scaled = jit((x: number) => x * K, { scope: { K: 3 } });
    expect(jit((x: number) => scaled(x) + 1, { scope: { scaled } })(2)).toBe(7);
    const f = jit((x: number) => scaled(x) + K, { scope: { scaled, K: 4 } });
    expect(f(1)).toBe(7);
  });
});

declare const K: number;

describe('options', () => {
  it('boundscheck: false drops the index checks', () => {
    const get = (xs: Int32Array, i: number) => xs[i];
    const checked = jit(get);
    const unchecked = jit(get, { boundscheck: false });
    const xs = new Int32Array([5, 6, 7]);
    expect(unchecked(xs, 2)).toBe(7);
    expect(() => checked(xs, 3)).toThrow(RangeError);
    const checkedIR = checked.inspect('(i32[], f64)').llvmIR;
    const uncheckedIR = unchecked.inspect('(i32[], f64)').llvmIR;
    expect(checkedIR).toMatch(/out of bounds/);
    expect(uncheckedIR).not.toMatch(/is out of bounds for an array/);
  });

  it('fastmath marks float arithmetic reassociable and contractible, nothing more', () => {
    const sum = (xs: Float64Array) => {
      let s = 0;
      for (let i = 0; i < xs.length; i++) s += xs[i]!;
      return s;
    };
    const exact = jit(sum).inspect('(f64[])').llvmIR;
    const fast = jit(sum, { fastmath: true }).inspect('(f64[])').llvmIR;
    expect(exact).toMatch(/= fadd double/);
    expect(exact).not.toMatch(/reassoc/);
    expect(fast).toMatch(/= fadd reassoc contract double/);
    // NaN, infinities and signed zeros keep their meaning.
    expect(fast).not.toMatch(/\b(fast|nnan|ninf|nsz)\b/);
    expect(jit(sum, { fastmath: true })(new Float64Array([1, NaN]))).toBeNaN();
  });

  it('debug prints the RVSDG after each pass and the LLVM IR before and after optimization, for each tier', async () => {
    const chunks: string[] = [];
    const f = jit((a: number) => a + 1, { debug: (text) => chunks.push(text), cache: false });
    expect(f(1)).toBe(2);
    expect(chunks.join('')).toMatch(/;; LLVM IR of anonymous after optimization \(O1\)/);
    await f.whenOptimized();
    const text = chunks.join('');
    expect(text).toMatch(/;; ---- jit anonymous \(f64\)/);
    expect(text).toMatch(/;; RVSDG after 'infer-types'/);
    expect(text).toMatch(/lambda @anonymous/);
    expect(text).toMatch(/;; LLVM IR of anonymous before optimization\n[\s\S]*define /);
    expect(text).toMatch(/;; LLVM IR of anonymous after optimization \(O3, optimized tier installed\)\n[\s\S]*define /);
  });
});

describe('inspect', () => {
  it('shows the RVSDG after each pass, the LLVM IR before and after optimization, and the assembly', () => {
    const jdot = jit(dot);
    jdot(new Float64Array(1), new Float64Array(1));
    const view = jdot.inspect();
    expect(view.signature).toBe('(f64[], f64[]) -> f64');
    expect(view.rvsdg).toMatch(/js\./);
    expect(view.passes[0]?.pass).toBe('infer-types');
    expect(view.passes.length).toBeGreaterThan(3);
    for (const p of view.passes) expect(p.ir).toMatch(/lambda @dot/);
    expect(view.typed).not.toMatch(/js\./);
    expect(view.typed).toMatch(/f64\[\]/);
    expect(view.llvmIR).toMatch(/define .*dot/);
    expect(view.optimizedLLVMIR).toMatch(/define /);
    expect(view.assembly).toMatch(/\b(v?mulsd|vfmadd\w*)\b/);
    expect(jdot.inspect('(Float64Array, Float64Array)').signature).toBe(view.signature);
    expect(() => jdot.inspect('(f64)')).toThrow(/has 1 parameter/);
  });
});
