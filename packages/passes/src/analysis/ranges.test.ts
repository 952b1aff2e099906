import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFunction, jsRegistry } from '@rvsdg/frontend';
import {
  array,
  bool,
  defaultRegistry,
  f64,
  interpret,
  memToken,
  nextNodeId,
  OpError,
  FuelExhausted,
  outOrigin,
  pureOp,
  type Dialect,
  type Module,
  type Node,
  type OpRegistry,
  type Origin,
  type Region,
  type ThetaNode,
  type Type,
} from '@rvsdg/ir';
import { arbArgsFor, arbModule, generatedFuel } from '@rvsdg/ir/testing';
import { runPipeline } from '../manager/pass-manager.js';
import { pipeline } from '../manager/pipeline.js';
import { inferTypesFor } from '../passes/infer-types.js';
import { simplify } from '../passes/standard.js';
import { jsLoops, loopArgs, typedLoop } from '../test-support/js-loops.js';
import { freeze, makeSimple } from '../util/build.js';
import { IdAllocator } from '../util/ir.js';
import { isExactInteger, type Interval } from './interval.js';
import { analyzeRanges, type RangeFacts } from './ranges.js';

/** What the probes saw: value per probe label. */
let seen: { label: number; value: unknown }[] = [];
const probeDialect: Dialect = {
  name: 'probe',
  ops: [
    pureOp({
      name: 'probe.see',
      summary: 'Records its operand (test only).',
      attrs: { label: 'number' },
      typeOf: () => [bool],
      evaluate(operands, { attrs }) {
        seen.push({ label: attrs['label'] as number, value: operands[0] });
        return [true];
      },
    }),
  ],
};

/**
 * A copy of `module` with a probe after every numeric value of every
 * region, and the interval the analysis gives each probe's value.
 */
function instrument(module: Module, facts: RangeFacts): { module: Module; expected: Interval[]; what: string[] } {
  const ids = new IdAllocator(nextNodeId(module));
  const expected: Interval[] = [];
  const what: string[] = [];
  const visit = (region: Region): Region => {
    const probes: Node[] = [];
    const probe = (o: Origin, type: Type | undefined, desc: string): void => {
      if (type?.kind !== 'int' && type?.kind !== 'float') return;
      const r = facts.of(region, o);
      if (!r) return;
      expected.push(r);
      what.push(desc);
      probes.push(makeSimple(ids.next(), 'probe.see', [o], [bool], { label: expected.length - 1 }));
    };
    region.arguments.forEach((t, i) => probe({ kind: 'arg', index: i }, t, `argument ${i}`));
    const nodes = region.nodes.map((node) => {
      node.outputs.forEach((t, i) =>
        probe(outOrigin(node.id, i), t, `${node.kind === 'simple' ? node.op : node.kind} %${node.id}.${i}`),
      );
      if (node.regions.length === 0) return node;
      return freeze({ ...node, regions: freeze(node.regions.map(visit)) }) as Node;
    });
    return freeze({ ...region, nodes: freeze([...nodes, ...probes]) });
  };
  return { module: freeze({ ...module, region: visit(module.region) }), expected, what };
}

function contains(r: Interval, value: unknown): boolean {
  const v = typeof value === 'bigint' ? Number(value) : (value as number);
  if (Number.isNaN(v)) return r.nan;
  if (Object.is(v, -0) && !r.negZero) return false;
  if (r.int && !Number.isInteger(v) && Number.isFinite(v)) return false;
  return v >= r.lo && v <= r.hi;
}

/** Runs `call` on the instrumented module and checks every value a probe saw. */
function checkObserved(module: Module, registry: OpRegistry, call: (m: Module, r: OpRegistry) => void): void {
  const { module: probed, expected, what } = instrument(module, analyzeRanges(module));
  seen = [];
  try {
    call(probed, registry.extend(probeDialect));
  } catch (error) {
    // Program errors end the run; what the probes saw until then is checked.
    if (!(error instanceof OpError) && !(error instanceof FuelExhausted)) throw error;
  }
  for (const { label, value } of seen) {
    const r = expected[label] as Interval;
    if (!contains(r, value)) throw new Error(`${what[label]} is ${String(value)} outside ${JSON.stringify(r)}`);
  }
}

function typed(fn: (...args: never[]) => unknown, params: Type[]): Module {
  const c = fromFunction(fn);
  return runPipeline(pipeline([inferTypesFor(c.entry, params), simplify]), c.module, { registry: jsRegistry }).module;
}

/** Intervals of the loop variables at the start of an iteration, for every theta, outermost first. */
function loopVars(module: Module): Interval[][] {
  const facts = analyzeRanges(module);
  const out: Interval[][] = [];
  const visit = (region: Region): void => {
    for (const node of region.nodes) {
      if (node.kind === 'theta') {
        const body = (node as ThetaNode).regions[0];
        out.push(body.arguments.map((_, i) => facts.of(body, { kind: 'arg', index: i })).filter((r) => !!r));
      }
      node.regions.forEach(visit);
    }
  };
  visit(module.region);
  return out;
}

describe('range analysis', () => {
  it('bounds a counter by the array length it is compared with, and its sum stays exact', () => {
    const sum = (a: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] as number;
      return s;
    };
    const [vars] = loopVars(typed(sum, [array(f64)]));
    const counters = (vars as Interval[]).filter((r) => r.int && !r.nan && r.lo === 0);
    expect(counters.some((r) => r.hi <= 2 ** 53 && !r.negZero)).toBe(true);
  });

  it('bounds nested counters by constant trip counts, and their products exactly', () => {
    const nest = (): number => {
      let s = 0;
      for (let i = 0; i < 100; i++) for (let j = 0; j < 50; j++) s = (s + i * 50 + j) | 0;
      return s;
    };
    const module = typed(nest, []);
    const loops = loopVars(module);
    expect(loops.length).toBe(2);
    for (const vars of loops) for (const r of vars) expect(isExactInteger(r)).toBe(true);
    expect(loops[1]?.some((r) => r.lo === 0 && r.hi === 50)).toBe(true);
    expect(loops[0]?.some((r) => r.lo === 0 && r.hi === 100)).toBe(true);
  });

  it('bounds an accumulator by the trip count of the counter beside it', () => {
    const sum = (): number => {
      let b = 0;
      let i = 0;
      while (i < 1000) {
        b = b + i;
        i = i + 1;
      }
      return b;
    };
    const [vars] = loopVars(typed(sum, []));
    // i in [0, 1000]; b at most 1001 iterations of at most 999 each.
    expect(vars?.some((r) => r.lo === 0 && r.hi === 1000)).toBe(true);
    expect(vars?.some((r) => r.lo === 0 && r.hi === 1001 * 999 && isExactInteger(r))).toBe(true);
  });

  it('keeps int32 idioms in int32 range and masks in their mask', () => {
    const f = (x: number, y: number): number => ((x + y) | 0) + (x & 0xff) + (y >>> 28) + Math.imul(x, y);
    const module = typed(f, [f64, f64]);
    checkObserved(module, jsRegistry, (m, r) => interpret(m, 'f', [3.5, -7, memToken], { registry: r }));
    const facts = analyzeRanges(module);
    const lambda = module.region.nodes.find((n) => n.kind === 'lambda') as Node;
    const body = lambda.regions[0] as Region;
    const masks = body.nodes.filter((n) => n.kind === 'simple' && n.op === 'arith.and');
    expect(masks.length).toBeGreaterThan(0);
    for (const m of masks) expect(facts.of(body, outOrigin(m.id, 0))).toMatchObject({ lo: 0, hi: 255 });
  });

  it('tracks -0: 0 * -1 may be -0, a counter from 0 may not', () => {
    const f = (x: number): number => {
      let s = 0;
      for (let i = 0; i < 10; i++) s = s + i * x;
      return s;
    };
    const [vars] = loopVars(typed(f, [f64]));
    expect((vars as Interval[]).some((r) => r.int && !r.negZero && r.lo === 0 && r.hi === 10)).toBe(true);
  });

  it('knows a square is never negative and never -0', () => {
    const f = (x: number, n: number): number => {
      let s = 0;
      for (let i = 0; i < n; i++) s = x * x;
      return s;
    };
    const [vars] = loopVars(typed(f, [f64, f64]));
    expect((vars as Interval[]).some((r) => r.lo === 0 && !r.negZero && !r.int)).toBe(true);
  });

  it('contains every value the interpreter sees on generated modules', () => {
    fc.assert(
      fc.property(
        arbModule().chain((m) =>
          fc.tuple(fc.constant(m), m.exports.length > 0 ? arbArgsFor(m, m.exports[0] as string) : fc.constant([])),
        ),
        ([module, args]) => {
          const name = module.exports[0];
          if (name === undefined) return;
          // Probes take steps too.
          const fuel = 10 * (generatedFuel(module) ?? 100_000);
          checkObserved(module, defaultRegistry, (m, r) => interpret(m, name, args, { registry: r, fuel }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('contains every value the interpreter sees on JavaScript loops', () => {
    fc.assert(
      fc.property(jsLoops, loopArgs, (loop, n) => {
        checkObserved(typedLoop(loop), jsRegistry, (m, r) => interpret(m, 'f', [n, memToken], { registry: r }));
      }),
      { numRuns: 300 },
    );
  });

  it('contains every value the interpreter sees on nested loops over an array', () => {
    const kernel = (a: Float64Array, n: number, m: number): number => {
      let s = 0;
      for (let i = 1; i < n - 1; i++) {
        for (let j = 0; j < m; j += 2) {
          const c = i * m + j;
          s += a[c % a.length] as number;
          s += (c * 3) >>> 1;
        }
      }
      return s;
    };
    const module = typed(kernel, [array(f64), f64, f64]);
    const a = new Float64Array(37).map((_, i) => i / 3);
    for (const [n, m] of [
      [5, 6],
      [1.5, 3.5],
      [-0, 4],
      [4, -0],
      [NaN, 3],
      [7, 2 ** 31],
      [2.5, 40],
    ] as const) {
      checkObserved(module, jsRegistry, (mod, r) =>
        interpret(mod, 'kernel', [a, n, m, memToken], { registry: r, fuel: 100_000 }),
      );
    }
  });
});
