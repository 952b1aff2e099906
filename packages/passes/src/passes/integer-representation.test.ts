import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFunction, jsRegistry } from '@rvsdg/frontend';
import { array, f64, forEachNode, i32, u8, type Module } from '@rvsdg/ir';
import { runPipeline } from '../manager/pass-manager.js';
import { pipeline } from '../manager/pipeline.js';
import { inferTypesFor } from './infer-types.js';
import { simplify } from './standard.js';
import { checkPass } from '../testing/check-pass.js';
import { runTyped } from '../test-support/js-differential.js';
import { jsLoops, loopArgs, loopVarTypes, typedLoop } from '../test-support/js-loops.js';
import { integerRepresentation } from './integer-representation.js';

/** Through type inference, simplify, this pass and simplify again (no other integer pass). */
function compile(fn: (...args: never[]) => unknown, params: Parameters<typeof inferTypesFor>[1]): Module {
  const c = fromFunction(fn);
  return runPipeline(pipeline([inferTypesFor(c.entry, params), simplify, integerRepresentation, simplify]), c.module, {
    registry: jsRegistry,
    check: true,
  }).module;
}

function countOps(module: Module, op: string): number {
  let n = 0;
  forEachNode(module, (node) => {
    if (node.kind === 'simple' && node.op === op) n++;
  });
  return n;
}

const jacobi = (a: Float64Array, b: Float64Array, n: number, sweeps: number): void => {
  for (let s = 0; s < sweeps; s++) {
    for (let i = 1; i < n - 1; i++) {
      for (let j = 1; j < n - 1; j++) {
        const c = i * n + j;
        b[c] = 0.2 * ((a[c] as number) + (a[c - 1] as number) + (a[c + 1] as number) + (a[c - n] as number));
      }
    }
  }
};

describe('integer-representation', () => {
  it('runs every loop of a nest over i * n + j in i64 in the integer version of jacobi', () => {
    const module = compile(jacobi as never, [array(f64), array(f64), f64, f64]);
    const loops = loopVarTypes(module);
    // The original loops (slow version) and the integer ones, which carry no f64 at all.
    expect(loops.length).toBe(6);
    expect(loops.filter((vars) => !vars.includes('f64') && vars.includes('i64')).length).toBe(3);
    // Products of counters are integer products.
    let intMuls = 0;
    forEachNode(module, (node) => {
      if (node.kind === 'simple' && node.op === 'arith.mul' && node.outputs[0]?.kind === 'int') intMuls++;
    });
    expect(intMuls).toBeGreaterThan(0);
  });

  it('gives jacobi the results of the unchanged module on integer, large, non-integer, -0 and NaN sizes', () => {
    const c = fromFunction(jacobi);
    const params = [array(f64), array(f64), f64, f64];
    const before = runPipeline(pipeline([inferTypesFor(c.entry, params), simplify]), c.module, {
      registry: jsRegistry,
    }).module;
    const after = compile(jacobi as never, params);
    const outcome = (module: Module, n: number, sweeps: number): unknown[] => {
      const a = new Float64Array(49).map((_, i) => (i * 37) % 11);
      const b = new Float64Array(49);
      try {
        runTyped(module, 'jacobi', [a, b, n, sweeps]);
        return [[...a], [...b]];
      } catch (error) {
        return [String(error)];
      }
    };
    for (const [n, sweeps] of [
      [6, 2],
      [7, 1],
      [5.5, 1],
      [-0, 1],
      [4, -0],
      [NaN, 1],
      [2 ** 27, 0],
      [2 ** 27, 1],
      [-3, 2],
    ] as const) {
      expect(outcome(after, n, sweeps)).toEqual(outcome(before, n, sweeps));
    }
  });

  it('versions a 3-D stencil on parameters within ±2^17, so z * n * n + y * n + x is an integer index', () => {
    const stencil = (a: Float64Array, b: Float64Array, n: number): void => {
      const plane = n * n;
      for (let z = 1; z < n - 1; z++)
        for (let y = 1; y < n - 1; y++)
          for (let x = 1; x < n - 1; x++) {
            const c = z * plane + y * n + x;
            b[c] = (a[c - 1] as number) + (a[c + plane] as number) + (a[c - n] as number);
          }
    };
    const params = [array(f64), array(f64), f64];
    const after = compile(stencil as never, params);
    expect(loopVarTypes(after).filter((vars) => !vars.includes('f64') && vars.includes('i64')).length).toBe(3);
    const before = runPipeline(
      pipeline([inferTypesFor(fromFunction(stencil).entry, params), simplify]),
      fromFunction(stencil).module,
      {
        registry: jsRegistry,
      },
    ).module;
    const outcome = (module: Module, n: number): unknown[] => {
      const a = new Float64Array(125).map((_, i) => (i * 37) % 11);
      const b = new Float64Array(125);
      try {
        runTyped(module, 'stencil', [a, b, n]);
        return [[...b]];
      } catch (error) {
        return [String(error)];
      }
    };
    for (const n of [5, 4, 4.5, -0, NaN, 2 ** 17 + 1, 2 ** 27, -2])
      expect(outcome(after, n)).toEqual(outcome(before, n));
  });

  it('holds int32 idioms and integer TypedArray loads in integers', () => {
    const hash = (data: Uint8Array): number => {
      let h = 2166136261;
      for (let i = 0; i < data.length; i++) {
        h ^= data[i] as number;
        h = Math.imul(h, 16777619) >>> 0;
      }
      return h;
    };
    const module = compile(hash as never, [array(u8)]);
    expect(loopVarTypes(module).some((vars) => !vars.includes('f64'))).toBe(true);
    const data = new Uint8Array(50).map((_, i) => (i * 71) % 256);
    expect(runTyped(module, 'hash', [data])).toBe(hash(data));
  });

  it('rounds a Uint8ClampedArray store of a half-integer average half to even, without float remainders', () => {
    const average = (src: Uint8ClampedArray, dst: Uint8ClampedArray): void => {
      for (let i = 1; i < src.length; i++) dst[i] = ((src[i - 1] as number) + (src[i] as number)) / 2;
    };
    const module = compile(average as never, [array(u8, { clamped: true }), array(u8, { clamped: true })]);
    expect(countOps(module, 'arith.rem') + countOps(module, 'math.floor')).toBe(0);
    const src = new Uint8ClampedArray(64).map((_, i) => (i * 97) % 256);
    const expected = new Uint8ClampedArray(64);
    average(src, expected);
    const actual = new Uint8ClampedArray(64);
    runTyped(module, 'average', [src, actual]);
    expect([...actual]).toEqual([...expected]);
  });

  it('clamps an integer stored into a Uint8ClampedArray with integer operations only', () => {
    const shifted = (src: Uint8ClampedArray, dst: Uint8ClampedArray): void => {
      for (let i = 1; i < src.length; i++) dst[i] = (src[i - 1] as number) + (src[i] as number) - 100;
    };
    const module = compile(shifted as never, [array(u8, { clamped: true }), array(u8, { clamped: true })]);
    const floatOps: string[] = [];
    forEachNode(module, (node) => {
      if (node.kind === 'simple' && node.op !== 'const' && node.outputs.includes(f64)) floatOps.push(node.op);
    });
    expect(floatOps).toEqual([]);
    const src = new Uint8ClampedArray(256).map((_, i) => (i * 97) % 256);
    const expected = new Uint8ClampedArray(256);
    shifted(src, expected);
    const actual = new Uint8ClampedArray(256);
    runTyped(module, 'shifted', [src, actual]);
    expect([...actual]).toEqual([...expected]);
  });

  it('adds integer loads in integers and converts once where a double is needed (a box filter)', () => {
    const box = (src: Uint8Array, dst: Float64Array): void => {
      for (let i = 1; i < src.length - 1; i++)
        dst[i] = ((src[i - 1] as number) + (src[i] as number) + (src[i + 1] as number)) / 3;
    };
    const module = compile(box as never, [array(u8), array(f64)]);
    let floatAdds = 0;
    forEachNode(module, (node) => {
      if (node.kind === 'simple' && node.op === 'arith.add' && node.outputs[0] === f64) floatAdds++;
    });
    expect(floatAdds).toBe(0);
    // The sum (at most 765) converts to double through i32, so LLVM can add in 32-bit lanes.
    let throughI32 = 0;
    forEachNode(module, (node) => {
      if (node.kind === 'simple' && node.op === 'arith.convert' && node.outputs[0] === i32) throughI32++;
    });
    expect(throughI32).toBeGreaterThan(0);
    const src = new Uint8Array(40).map((_, i) => (i * 97) % 256);
    const expected = new Float64Array(40);
    box(src, expected);
    const actual = new Float64Array(40);
    runTyped(module, 'box', [src, actual]);
    expect([...actual]).toEqual([...expected]);
  });

  it('does not hold in integers a value that may be -0', () => {
    const f = (n: number): number => {
      let s = 0;
      for (let i = 0; i < n; i++) s = i * -1;
      return 1 / s;
    };
    const module = compile(f as never, [f64]);
    for (const n of [0, 1, 2, 5.5, -0, NaN]) expect(Object.is(runTyped(module, 'f', [n]), f(n))).toBe(true);
    expect(countOps(module, 'arith.div')).toBeGreaterThan(0);
  });

  it('preserves meaning on generated modules', () => {
    const report = checkPass(integerRepresentation, { numRuns: 500 });
    expect(report.modules).toBeGreaterThanOrEqual(500);
  });

  it('preserves meaning on generated JavaScript loops, and agrees with V8', () => {
    let changed = 0;
    fc.assert(
      fc.property(jsLoops, fc.array(loopArgs, { minLength: 3, maxLength: 3 }), (loop, args) => {
        const before = typedLoop(loop);
        const after = runPipeline(pipeline([integerRepresentation, simplify]), before, {
          registry: jsRegistry,
          check: true,
        }).module;
        if (loopVarTypes(after).flat().includes('i64')) changed++;
        for (const n of args) {
          const expected = loop.fn(n);
          expect(Object.is(runTyped(before, 'f', [n]), expected)).toBe(true);
          expect(Object.is(runTyped(after, 'f', [n]), expected)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    expect(changed).toBeGreaterThan(10);
  });
});
