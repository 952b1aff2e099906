import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsRegistry } from '@rvsdg/frontend';
import { array, f64, u8 } from '@rvsdg/ir';
import { runPipeline } from '../manager/pass-manager.js';
import { pipeline } from '../manager/pipeline.js';
import { checkPass } from '../testing/check-pass.js';
import { runTyped } from '../testing/js-differential.js';
import { compileWithDefaultPipeline, jsLoops, loopArgs, loopVarTypes, typedLoop } from '../testing/js-loops.js';
import { narrowLoopVars } from './narrow-loop-vars.js';

const compile = compileWithDefaultPipeline;

describe('narrow-loop-vars', () => {
  it('keeps the fnv1a hash in a 32-bit integer across iterations', () => {
    const fnv1a = (data: Uint8Array): number => {
      let h = 2166136261;
      for (let i = 0; i < data.length; i++) {
        h ^= data[i] as number;
        h = Math.imul(h, 16777619) >>> 0;
      }
      return h;
    };
    const module = compile(fnv1a as never, [array(u8)]);
    const [vars] = loopVarTypes(module);
    expect(vars).toContain('u32');
    const data = new Uint8Array([1, 2, 3, 250, 0, 77]);
    expect(runTyped(module, 'fnv1a', [data])).toBe(fnv1a(data));
  });

  it('narrows a value carried through branches and nested loops', () => {
    const f = (n: number): number => {
      let x = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < 3; j++) if (j !== 1) x = (x + j * i) | 0;
      }
      return x;
    };
    const module = compile(f as never, [f64]);
    expect(loopVarTypes(module).some((vars) => vars.includes('i32'))).toBe(true);
    for (const n of [0, 1, 5, 100]) expect(runTyped(module, 'f', [n])).toBe(f(n));
  });

  it('leaves alone a variable that may hold a non-integer', () => {
    const f = (n: number): number => {
      let x = 0.5;
      for (let i = 0; i < n; i++) x = x | 0;
      return x;
    };
    const module = compile(f as never, [f64]);
    expect(loopVarTypes(module).flat()).not.toContain('i32');
    expect(runTyped(module, 'f', [0])).toBe(0.5);
    expect(runTyped(module, 'f', [2])).toBe(0);
  });

  it('leaves alone a variable that may become a non-integer', () => {
    const f = (n: number): number => {
      let x = 0;
      for (let i = 0; i < n; i++) x = (x | 0) / 2;
      return x;
    };
    const module = compile(f as never, [f64]);
    expect(loopVarTypes(module).flat()).not.toContain('i32');
  });

  it('preserves meaning on generated modules', () => {
    const report = checkPass(narrowLoopVars, { numRuns: 500 });
    expect(report.modules).toBeGreaterThanOrEqual(500);
  });

  it('preserves meaning on generated JavaScript loops, and agrees with V8', () => {
    let changed = 0;
    fc.assert(
      fc.property(jsLoops, fc.array(loopArgs, { minLength: 3, maxLength: 3 }), (loop, args) => {
        const before = typedLoop(loop);
        const after = runPipeline(pipeline([narrowLoopVars]), before, { registry: jsRegistry, check: true }).module;
        if (after !== before) changed++;
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
