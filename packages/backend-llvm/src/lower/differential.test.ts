import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  forEachNode,
  ioToken,
  isTypedArray,
  memToken,
  type ErrorName,
  type FunctionType,
  type IRValue,
  type Module,
} from '@rvsdg/ir';
import {
  arbArgsFor,
  arbModule,
  cloneArgs,
  exportType,
  generatedFuel,
  observe,
  sameOutcome,
  type Outcome,
} from '@rvsdg/ir/testing';
import { optimize, runPipeline } from '@rvsdg/passes';
import { compileModule } from './compile-module.js';
import type { LoweringRegistry } from './lowering-registry.js';
import { libmFunctions } from './ops/math-lowerings.js';
import { v8MathLowerings } from './ops/v8-math-lowerings.js';

const libmOps = new Set(libmFunctions.map((name) => `math.${name}`));

function usesLibm(module: Module): boolean {
  let found = false;
  forEachNode(module, (node) => {
    if (node.kind === 'simple' && libmOps.has(node.op)) found = true;
  });
  return found;
}

/** The native call seen like `observe` sees the interpreter's: state results are tokens; messages as thrown, line included. */
function nativeOutcome(fn: (...args: unknown[]) => unknown, type: FunctionType, args: readonly IRValue[]): Outcome {
  const copy = cloneArgs(args);
  try {
    const returned = fn(...copy.filter((v, i) => type.params[i]?.kind !== 'state'));
    const live = type.results.filter((t) => t.kind !== 'state').length;
    const values = live === 0 ? [] : live === 1 ? [returned as IRValue] : (returned as IRValue[]);
    let k = 0;
    const results = type.results.map((t) =>
      t.kind === 'state' ? (t.state === 'mem' ? memToken : ioToken) : values[k++],
    );
    return { kind: 'return', results, arrays: copy.filter(isTypedArray) };
  } catch (error) {
    const e = error as Error;
    return { kind: 'raise', errorName: e.name as ErrorName, message: e.message };
  }
}

function show(outcome: Outcome): string {
  if (outcome.kind === 'raise') return `${outcome.errorName}: ${outcome.message}`;
  return outcome.results.map((v) => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : String(v))).join(', ');
}

const modulesToCompile = 300;
const argsPerExport = 4;
const libmModules = 100;
const pipelineModules = 100;

function sampleModules(count: number, keep: (m: Module) => boolean, firstSeed = 1): Module[] {
  const modules: Module[] = [];
  for (let seed = firstSeed; modules.length < count; seed++) {
    for (const m of fc.sample(arbModule(), { numRuns: 100, seed })) {
      if (keep(m) && modules.length < count) modules.push(m);
    }
  }
  return modules;
}

/**
 * Compiles each module (after `transform`, e.g. a pass pipeline), runs every
 * export on generated arguments natively and in the interpreter (on the
 * module as generated), and compares.
 */
function compare(
  modules: readonly Module[],
  lowerings?: LoweringRegistry,
  transform: (m: Module) => Module = (m) => m,
): { calls: number; errors: number } {
  let calls = 0;
  let errors = 0;
  modules.forEach((module, k) => {
    const compiled = compileModule(transform(module), { optLevel: 2, ...(lowerings ? { lowerings } : {}) });
    try {
      for (const name of module.exports) {
        const fn = compiled.functions[name];
        if (!fn) throw new Error(`no native function for export '${name}'`);
        for (const args of fc.sample(arbArgsFor(module, name), { numRuns: argsPerExport, seed: k })) {
          const expected = observe(module, name, args, { fuel: generatedFuel(module) ?? 1e6 });
          const actual = nativeOutcome(fn, exportType(module, name) as FunctionType, args);
          calls++;
          if (expected.kind === 'raise') errors++;
          if (!sameOutcome(expected, actual)) {
            expect.fail(
              `module ${k}, export ${name}, args ${args.map((a) => (typeof a === 'bigint' ? `${a}n` : String(a))).join(', ')}: ` +
                `interpreter ${show(expected)}, native ${show(actual)}\n${compiled.irBefore}`,
            );
          }
        }
      }
    } finally {
      compiled.dispose();
    }
  });
  return { calls, errors };
}

describe('native code agrees with the interpreter', () => {
  it(`on ${modulesToCompile} generated modules without libm transcendental ops (exact results, thrown errors, array contents)`, () => {
    // libm's transcendental functions may differ from V8's in the last bit, so modules using them are left out here.
    const { calls, errors } = compare(sampleModules(modulesToCompile, (m) => !usesLibm(m)));
    expect(calls).toBeGreaterThanOrEqual(modulesToCompile);
    // The generators raise errors on purpose; the error path must have been exercised.
    expect(errors).toBeGreaterThan(0);
  });

  it(`on ${libmModules} generated modules with transcendental ops, lowered to calls of V8's Math (v8MathLowerings)`, () => {
    const { calls } = compare(sampleModules(libmModules, usesLibm), v8MathLowerings);
    expect(calls).toBeGreaterThanOrEqual(libmModules);
  });

  it(`on ${pipelineModules} generated modules after the passes' optimize pipeline (inline, simplify, unroll)`, () => {
    const optimized = (m: Module) => runPipeline(optimize, m, { check: false }).module;
    const { calls } = compare(
      sampleModules(pipelineModules, () => true, 1000),
      v8MathLowerings,
      optimized,
    );
    expect(calls).toBeGreaterThanOrEqual(pipelineModules);
  });
});
