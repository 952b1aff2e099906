import { describe, expect, it } from 'vitest';
import { array, f64, forEachNode, type Module } from '@rvsdg/ir';
import { checkPass } from '../testing/check-pass.js';
import { fromFunction, jsRegistry } from '@rvsdg/frontend';
import { runPipeline } from '../manager/pass-manager.js';
import { pipeline } from '../manager/pipeline.js';
import { dropBoundsChecks } from './drop-bounds-checks.js';
import { inferTypesFor } from './infer-types.js';
import { inline } from './inline.js';
import { integerRepresentation } from './integer-representation.js';
import { simplify } from './standard.js';
import { unroll } from './unroll.js';

/** The default pipeline up to this pass (version-loop-nests, after it, unchecks more). */
function compileWithDefaultPipeline(
  fn: (...args: never[]) => unknown,
  params: Parameters<typeof inferTypesFor>[1],
): Module {
  const c = fromFunction(fn);
  const upTo = pipeline([
    inferTypesFor(c.entry, params),
    inline,
    simplify,
    unroll,
    simplify,
    integerRepresentation,
    simplify,
    dropBoundsChecks,
  ]);
  return runPipeline(upTo, c.module, { registry: jsRegistry, check: true }).module;
}

interface Backend {
  compileModule(
    module: Module,
    options: { optLevel: number; lowerings: unknown },
  ): { functions: Record<string, (...args: unknown[]) => unknown> };
  v8MathLowerings: unknown;
}
// The backend depends on this package, so this package's build cannot see its types; vitest resolves it from source.
const { compileModule, v8MathLowerings } = (await import('@rvsdg/backend-llvm' as string)) as Backend;

/** [inbounds, checked] accesses. */
function accesses(module: Module): [number, number] {
  let inbounds = 0;
  let checked = 0;
  forEachNode(module, (node) => {
    if (node.kind !== 'simple' || (node.op !== 'array.load' && node.op !== 'array.store')) return;
    if (node.attrs['inbounds'] === true) inbounds++;
    else checked++;
  });
  return [inbounds, checked];
}

function native(module: Module, name: string): (...args: unknown[]) => unknown {
  return compileModule(module, { optLevel: 3, lowerings: v8MathLowerings }).functions[name] as never;
}

describe('drop-bounds-checks', () => {
  it('drops the checks of a[i] under i < a.length, and keeps those of other arrays and other indices', () => {
    const axpy = (a: number, x: Float64Array, y: Float64Array): number => {
      for (let i = 0; i < x.length; i++) y[i] = a * (x[i] as number) + (y[i] as number);
      return y[0] as number;
    };
    const module = compileWithDefaultPipeline(axpy as never, [f64, array(f64), array(f64)]);
    // x[i] is proven; y[i] (load and store) is not: y may be shorter; y[0] is not guarded.
    expect(accesses(module)).toEqual([1, 3]);
    const run = native(module, 'axpy');
    const x = new Float64Array([1, 2, 3]);
    const y = new Float64Array([4, 5, 6]);
    expect(run(2, x, y)).toBe(6);
    expect([...y]).toEqual([6, 9, 12]);
    // A shorter y still raises the same RangeError, at the same iteration (y[0..1] already written).
    const short = new Float64Array([1, 1]);
    expect(() => run(1, x, short)).toThrow(RangeError);
    expect([...short]).toEqual([2, 3]);
  });

  it('does not drop a check under i <= a.length or for a[i + 1]', () => {
    const sum = (a: Float64Array): number => {
      let s = 0;
      for (let i = 0; i <= a.length; i++) s += a[i] as number;
      for (let i = 0; i < a.length; i++) s += a[i + 1] as number;
      return s;
    };
    const module = compileWithDefaultPipeline(sum as never, [array(f64)]);
    expect(accesses(module)[0]).toBe(0);
    expect(() => native(module, 'sum')(new Float64Array([1, 2]))).toThrow(RangeError);
  });

  it('drops the checks of dot and fnv1a, which then give V8 results natively', () => {
    const dot = (a: Float64Array, b: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
      return s;
    };
    const module = compileWithDefaultPipeline(dot as never, [array(f64), array(f64)]);
    expect(accesses(module)).toEqual([1, 1]);
    const a = new Float64Array(100).map((_, i) => i / 7);
    expect(native(module, 'dot')(a, a)).toBe(dot(a, a));
    expect(() => native(module, 'dot')(a, new Float64Array(3))).toThrow(RangeError);
  });

  // The generated modules have no `i < a.length` loops, so the pass does not fire there; the tests
  // above show it firing on JS loops. This one checks that it changes nothing it has no proof for.
  it('preserves meaning on generated modules', () => {
    const report = checkPass(dropBoundsChecks, { numRuns: 300, allowNoChange: true });
    expect(report.modules).toBeGreaterThanOrEqual(300);
  });
});
