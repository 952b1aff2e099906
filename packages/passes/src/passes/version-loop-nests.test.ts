import { describe, expect, it } from 'vitest';
import { array, f64, forEachNode, type Module, type Type } from '@rvsdg/ir';
import { affineAdd, affineFactor, affineKey, affineMul, affineMagnitude } from '../analysis/affine.js';
import { checkPass } from '../testing/check-pass.js';
import { compileWithDefaultPipeline } from '../test-support/js-loops.js';
import { versionLoopNests } from './version-loop-nests.js';
import { fromFunction, jsRegistry } from '@rvsdg/frontend';
import { pipeline } from '../manager/pipeline.js';
import { runPipeline } from '../manager/pass-manager.js';
import { dropBoundsChecks } from './drop-bounds-checks.js';
import { inferTypesFor } from './infer-types.js';
import { inline } from './inline.js';
import { integerRepresentation } from './integer-representation.js';
import { simplify } from './standard.js';
import { unroll } from './unroll.js';

interface Backend {
  compileModule(
    module: Module,
    options: { optLevel: number; lowerings: unknown },
  ): { functions: Record<string, (...args: unknown[]) => unknown> };
  v8MathLowerings: unknown;
}
// The backend depends on this package, so this package's build cannot see its types; vitest resolves it from source.
const { compileModule, v8MathLowerings } = (await import('@rvsdg/backend-llvm' as string)) as Backend;

function inboundsAccesses(module: Module): number {
  let n = 0;
  forEachNode(module, (node) => {
    if (node.kind === 'simple' && (node.op === 'array.load' || node.op === 'array.store') && node.attrs['inbounds'])
      n++;
  });
  return n;
}

type Fn = (...args: never[]) => unknown;

/**
 * Runs the nest natively with and without the pass on copies of `args`: the same result or the same error
 * class, and the same arrays after (so a RangeError comes at the same iteration); in range, V8's result too.
 */
function differential(fn: Fn, compiled: Compiled, args: readonly unknown[]): void {
  const copy = (): unknown[] => args.map((a) => (a instanceof Float64Array ? a.slice() : a));
  const run = (f: (...a: unknown[]) => unknown, a: unknown[]): unknown => {
    try {
      return { value: f(...a) };
    } catch (e) {
      return { error: (e as Error).constructor.name };
    }
  };
  const expectedArgs = copy();
  const actualArgs = copy();
  const expected = run(compiled.checked, expectedArgs);
  expect(run(compiled.native, actualArgs)).toEqual(expected);
  expect(actualArgs).toEqual(expectedArgs);
  if ('value' in (expected as object)) {
    const v8Args = copy();
    expect(run(fn as never, v8Args)).toEqual(expected);
    expect(v8Args).toEqual(expectedArgs);
  }
}

interface Compiled {
  module: Module;
  native: (...args: unknown[]) => unknown;
  checked: (...args: unknown[]) => unknown;
}

function compile(fn: Fn, params: Type[]): Compiled {
  const module = compileWithDefaultPipeline(fn as never, params);
  const c = fromFunction(fn as never);
  const without = pipeline([
    inferTypesFor(c.entry, params),
    inline,
    simplify,
    unroll,
    simplify,
    integerRepresentation,
    simplify,
    dropBoundsChecks,
  ]);
  const checkedModule = runPipeline(without, c.module, { registry: jsRegistry, check: true }).module;
  const native = (m: Module): ((...args: unknown[]) => unknown) =>
    compileModule(m, { optLevel: 3, lowerings: v8MathLowerings }).functions[fn.name] as never;
  return { module, native: native(module), checked: native(checkedModule) };
}

const grid = (n: number): Float64Array => new Float64Array(n).map((_, i) => ((i * 37) % 101) / 101);

describe('affine expressions', () => {
  it('keep one counter per monomial and print stably', () => {
    const i = affineFactor('c:1.5');
    const n = affineFactor('v:a3');
    const j = affineFactor('c:2.6');
    const index = affineAdd(affineMul(i, n) as never, j) as never;
    expect(affineKey(index)).toBe('1*c:1.5*v:a3+1*c:2.6');
    expect(affineMul(i, j)).toBeUndefined();
    expect(affineMagnitude(index, (f) => (f === 'v:a3' ? 10 : 9))).toBe(99);
  });
});

describe('version-loop-nests', () => {
  function matmul(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        const aik = a[i * n + k] as number;
        for (let j = 0; j < n; j++) c[i * n + j] = (c[i * n + j] as number) + aik * (b[k * n + j] as number);
      }
    }
  }

  it('unchecks the accesses of matmul behind one test, and raises at the same iteration on short arrays', () => {
    const compiled = compile(matmul, [array(f64), array(f64), array(f64), f64]);
    expect(inboundsAccesses(compiled.module)).toBe(4);
    const n = 7;
    differential(matmul, compiled, [grid(n * n), grid(n * n), new Float64Array(n * n), n]);
    // c too short: the checked copy runs, and writes what V8 writes before the RangeError.
    differential(matmul, compiled, [grid(n * n), grid(n * n), new Float64Array(n * n - 3), n]);
    differential(matmul, compiled, [grid(n * n - 1), grid(n * n), new Float64Array(n * n), n]);
    differential(matmul, compiled, [grid(4), grid(4), new Float64Array(4), 0]);
    // Not an integer, or large: the f64 version.
    differential(matmul, compiled, [grid(9), grid(9), new Float64Array(9), 2.5]);
  });

  function stencil(a: Float64Array, b: Float64Array, n: number): void {
    for (let i = 1; i < n - 1; i++) {
      for (let j = 1; j < n - 1; j++) {
        b[i * n + j] =
          ((a[(i - 1) * n + j] as number) + (a[(i + 1) * n + j] as number) + (a[i * n + j - 1] as number)) / 3;
      }
    }
  }

  it('handles offsets, counters from 1 and bounds n - 1', () => {
    const compiled = compile(stencil, [array(f64), array(f64), f64]);
    // (i - 1) * n may be -0 in f64 (n < 0), so integer-representation leaves it f64 and it stays checked.
    expect(inboundsAccesses(compiled.module)).toBe(3);
    for (const [la, lb, n] of [
      [100, 100, 10],
      [100, 95, 10],
      [89, 100, 10],
      [0, 0, 1],
      [0, 0, 3],
    ] as const)
      differential(stencil, compiled, [grid(la), new Float64Array(lb), n]);
  });

  function reversed(a: Float64Array, b: Float64Array, n: number, m: number): void {
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) b[i * m + j] = a[(n - 1 - i) * m + (m - 1 - j)] as number;
  }

  it('takes the ends by the coefficients’ signs', () => {
    const compiled = compile(reversed, [array(f64), array(f64), f64, f64]);
    expect(inboundsAccesses(compiled.module)).toBe(2);
    for (const [la, n, m] of [
      [12, 3, 4],
      [11, 3, 4],
      [12, 4, 3],
      [12, 2, 6],
      [12, 3, -4],
    ] as const)
      differential(reversed, compiled, [grid(la), new Float64Array(12), n, m]);
  });

  // The n-body layout: records of 3 numbers, a count that is length / 3 (not an integer for other lengths).
  function pairs(a: Float64Array): number {
    const n = a.length / 3;
    let s = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const d = (a[3 * i] as number) - (a[3 * j] as number);
        a[3 * j + 2] = (a[3 * j + 2] as number) + d * (a[3 * i + 1] as number);
        s += d;
      }
    return s;
  }

  it('bounds counters by a non-integer count (length / 3) through its ceiling, computed before the nest', () => {
    const compiled = compile(pairs, [array(f64)]);
    expect(inboundsAccesses(compiled.module)).toBe(5);
    // 10 is not a multiple of 3: the last record is short, and the checked copy raises where it did.
    for (const length of [12, 10, 11, 3, 1, 0]) differential(pairs, compiled, [grid(length)]);
  });

  function squares(a: Float64Array, n: number): number {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i * i] as number;
    return s;
  }

  it('leaves non-affine indices checked', () => {
    const compiled = compile(squares, [array(f64), f64]);
    expect(inboundsAccesses(compiled.module)).toBe(0);
    differential(squares, compiled, [grid(20), 5]);
    differential(squares, compiled, [grid(20), 6]);
  });

  // Generated modules have no counted loops over arrays, so the pass does not fire there; the tests above
  // show it firing on JS loop nests. This one checks that it leaves alone what it cannot prove.
  it('preserves meaning on generated modules', () => {
    const report = checkPass(versionLoopNests, { numRuns: 200, allowNoChange: true });
    expect(report.modules).toBeGreaterThanOrEqual(200);
  });
});
