import {
  ModuleBuilder,
  defaultRegistry,
  forEachNode,
  i32,
  mapRegions,
  parseModule,
  printModule,
  pureOp,
  withNodes,
  type Module,
  type Node,
} from '@rvsdg/ir';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { noDeadNodes } from '../conditions/no-dead-nodes.js';
import { verified } from '../conditions/verified.js';
import { cne } from '../passes/cne.js';
import { dne } from '../passes/dne.js';
import { fold } from '../passes/fold.js';
import { inline } from '../passes/inline.js';
import { standardPasses } from '../passes/standard.js';
import { defineCondition } from './condition.js';
import { AnalysisCache, defineAnalysis } from './context.js';
import { diffModules } from './diff.js';
import { diffAfterPasses, printAfterPasses, reportStatistics, timePasses } from './instrumentation.js';
import { definePass } from './pass.js';
import {
  checkingByDefault,
  ConditionFailedError,
  OutputConditionError,
  PassRefusedError,
  planPipeline,
  runPipeline,
  UndeclaredOpsError,
} from './pass-manager.js';
import { parsePipeline, pipeline, printPipeline, PipelineSyntaxError } from './pipeline.js';

function sample(): Module {
  const b = new ModuleBuilder();
  const f = b.lambda('f', [i32], (r, [x]) => {
    const three = r.op1('arith.add', [r.const(1, i32), r.const(2, i32)]);
    return [r.op1('arith.mul', [x!, three])];
  });
  return b.export('f', f).build();
}

const needsClean = definePass({
  name: 'needs-clean',
  description: 'a pass that requires no dead nodes',
  requires: [verified, noDeadNodes],
  ensures: [verified],
  run: (m) => m,
});

describe('refusal', () => {
  it('refuses a pass whose requirement an earlier pass does not keep, naming pass, condition and an establisher', () => {
    const p = pipeline([dne, fold, needsClean]);
    expect(() => runPipeline(p, sample())).toThrow(PassRefusedError);
    try {
      runPipeline(p, sample());
    } catch (e) {
      const error = e as PassRefusedError;
      expect(error.pass).toBe('needs-clean');
      expect(error.condition).toBe('no-dead-nodes');
      expect(error.establishers).toContain('dne');
      expect(error.message).toMatch(/pass 'needs-clean' \(#3 in the pipeline\) requires condition 'no-dead-nodes'/);
      expect(error.message).toMatch(/'fold' \(#2\) neither ensures nor preserves it/);
      expect(error.message).toMatch(/'dne'/);
    }
  });

  it('refuses when the input does not satisfy a requirement, and runs once an earlier pass establishes it', () => {
    const module = runPipeline(fold, sample()).module;
    expect(() => runPipeline(needsClean, module)).toThrow(/the input does not satisfy it/);
    expect(() => runPipeline(pipeline([dne, needsClean]), module)).not.toThrow();
  });

  it('refuses a module that does not verify before running anything', () => {
    const broken = { ...sample(), exports: ['f', 'g'] };
    expect(() => runPipeline(fold, broken)).toThrow(/requires condition 'verified'.*input does not satisfy/s);
  });
});

describe('checking ensured conditions', () => {
  const liar = definePass({
    name: 'liar',
    description: 'claims to remove dead nodes but adds one',
    requires: [verified],
    ensures: [verified, noDeadNodes],
    run: (m) => runPipeline(fold, m).module,
  });

  it('stops at the pass that breaks its promise, naming pass and condition, with the module before it', () => {
    const module = sample();
    let error: ConditionFailedError | undefined;
    try {
      runPipeline(pipeline([cne, liar, dne]), module);
    } catch (e) {
      error = e as ConditionFailedError;
    }
    expect(error).toBeInstanceOf(ConditionFailedError);
    expect(error?.pass).toBe('liar');
    expect(error?.condition).toBe('no-dead-nodes');
    expect(error?.message).toMatch(/pass 'liar' did not ensure condition 'no-dead-nodes'/);
    expect(error?.before).toBe(module);
    expect(printModule(parseModule(error!.beforeText))).toBe(printModule(module));
    expect(error?.message).toContain(error!.beforeText.trim());
  });

  it('costs nothing when checking is off', () => {
    let checks = 0;
    const counted = defineCondition('counted', 'counts its checks', () => {
      checks++;
      return [];
    });
    const p = definePass({ name: 'ensures-counted', description: 'x', ensures: [counted], run: (m) => ({ ...m }) });
    runPipeline(p, sample(), { check: false });
    expect(checks).toBe(0);
    runPipeline(p, sample(), { check: true });
    expect(checks).toBe(1);
  });
});

describe("checking once on the output (check: 'output')", () => {
  afterEach(() => vi.unstubAllEnvs());
  let checks = 0;
  const counted = defineCondition('counted', 'counts its checks', () => {
    checks++;
    return [];
  });
  const copy = (name: string) =>
    definePass({ name, description: 'returns a copy', ensures: [verified, counted], run: (m) => ({ ...m }) });
  const liar = definePass({
    name: 'liar',
    description: 'claims to remove dead nodes but adds one',
    requires: [verified],
    ensures: [verified, noDeadNodes],
    run: (m) => runPipeline(fold, m).module,
  });

  it('checks each established condition once, after the last pass, not after each pass', () => {
    vi.stubEnv('RVSDG_CHECK', '');
    checks = 0;
    runPipeline(pipeline([copy('a'), copy('b'), copy('c')]), sample(), { check: 'output' });
    expect(checks).toBe(1);
    checks = 0;
    runPipeline(pipeline([copy('a'), copy('b'), copy('c')]), sample(), { check: true });
    expect(checks).toBe(3);
  });

  it('reports a broken condition of the output, naming the last pass that changed the module', () => {
    vi.stubEnv('RVSDG_CHECK', '');
    const module = sample();
    const run = () => runPipeline(pipeline([cne, liar]), module, { check: 'output' });
    expect(run).toThrow(OutputConditionError);
    expect(run).toThrow(/the pipeline's output fails condition 'no-dead-nodes'.*RVSDG_CHECK=1/s);
  });

  it('RVSDG_CHECK=1 turns it into checking after each pass, which names the pass', () => {
    vi.stubEnv('RVSDG_CHECK', '1');
    expect(() => runPipeline(pipeline([liar, cne]), sample(), { check: 'output' })).toThrow(ConditionFailedError);
    checks = 0;
    runPipeline(copy('a'), sample(), { check: false });
    expect(checks).toBe(0);
  });

  it('checkingByDefault follows RVSDG_CHECK, then NODE_ENV', () => {
    expect(checkingByDefault({ RVSDG_CHECK: '1', NODE_ENV: 'production' })).toBe(true);
    expect(checkingByDefault({ RVSDG_CHECK: 'false' })).toBe(false);
    expect(checkingByDefault({ RVSDG_CHECK: '0' })).toBe(false);
    expect(checkingByDefault({ NODE_ENV: 'production' })).toBe(false);
    expect(checkingByDefault({})).toBe(true);
  });
});

describe('instrumentation', () => {
  it('times passes, prints IR only after changing passes, diffs and reports statistics', () => {
    const timing = timePasses();
    const printed: string[] = [];
    const diffs: string[] = [];
    const stats: string[] = [];
    const result = runPipeline(pipeline([fold, cne, dne, dne]), sample(), {
      instrumentation: [
        timing,
        printAfterPasses((t) => printed.push(t), { onlyChanged: true }),
        diffAfterPasses((t) => diffs.push(t)),
        reportStatistics((l) => stats.push(l)),
      ],
    });
    expect(timing.entries.map((e) => e.pass)).toEqual(['fold', 'cne', 'dne', 'dne']);
    expect(timing.report()).toMatch(/^fold\s+\d+\.\d\d ms/m);
    expect(timing.report()).toMatch(/total/);
    expect(result.records.map((r) => r.changed)).toEqual([true, false, true, false]);
    expect(printed).toHaveLength(2);
    expect(printed[0]).toMatch(/^\/\/ IR after 'fold'/);
    expect(diffs[1]).toMatch(/changes by 'dne'/);
    expect(diffs[1]).toMatch(/^- {3}%\d+ = const \{value = 1, type = i32\}/m);
    expect(stats).toContain('fold: folded=1');
  });

  it('diffs show added and removed nodes by region', () => {
    const before = sample();
    const after = runPipeline(fold, before).module;
    const diff = diffModules(before, after);
    expect(diff).toMatch(/%\d+\/0:/);
    expect(diff).toMatch(/^\+ {3}%\d+ = const\{?.*value = 3/m);
    expect(diffModules(before, before)).toBe('');
  });
});

describe('pipeline text', () => {
  it('prints and parses pipelines with options and nesting', () => {
    const p = parsePipeline('inline{maxSize=10}, (fold,cne), dne, simplify', standardPasses);
    expect(printPipeline(p, standardPasses)).toBe('inline{maxSize=10},(fold,cne),dne,simplify');
    expect(printPipeline(parsePipeline(printPipeline(p, standardPasses), standardPasses), standardPasses)).toBe(
      printPipeline(p, standardPasses),
    );
    const first = p.items[0];
    expect(first?.kind === 'pass' && first.options).toEqual({ maxSize: 10 });
    expect(printPipeline(pipeline([inline, fold]), standardPasses)).toBe('inline,fold');
  });

  it('reports unknown passes and bad options with their position', () => {
    expect(() => parsePipeline('fold,frobnicate', standardPasses)).toThrow(PipelineSyntaxError);
    expect(() => parsePipeline('fold,frobnicate', standardPasses)).toThrow(/unknown pass 'frobnicate' .* at offset 5/);
    expect(() => parsePipeline('inline{size=3}', standardPasses)).toThrow(/has no option 'size'/);
    expect(() => parsePipeline('inline{maxSize=big}', standardPasses)).toThrow(/needs a number/);
  });
});

describe('analyses', () => {
  it('caches results by module identity', () => {
    let computed = 0;
    const nodeCount = defineAnalysis('node-count', (m: Module) => {
      computed++;
      return m.region.nodes.length;
    });
    const cache = new AnalysisCache();
    const uses = definePass({
      name: 'uses-analysis',
      description: 'reads an analysis twice',
      run: (m, ctx) => {
        ctx.analysis(nodeCount, m);
        ctx.analysis(nodeCount, m);
        return m;
      },
    });
    const module = sample();
    runPipeline(uses, module, { analyses: cache, registry: defaultRegistry });
    runPipeline(uses, module, { analyses: cache });
    expect(computed).toBe(1);
    expect(cache.hits).toBe(3);
  });
});

describe('open-world conditions', () => {
  const clamp = pureOp({
    name: 'loopy.clamp',
    summary: 'x clamped to [0, 1].',
    typeOf: (operands) => [operands[0]!],
    evaluate: ([x]) => [Math.min(Math.max(x as number, 0), 1)],
  });
  const registry = defaultRegistry.extend({ name: 'loopy', ops: [clamp] });
  const noClamp = defineCondition(
    'no-loopy-clamp',
    'no node applies loopy.clamp',
    (module) => {
      const problems: string[] = [];
      forEachNode(module, (n) => {
        if (n.kind === 'simple' && n.op === 'loopy.clamp') problems.push(`node ${n.id} applies loopy.clamp`);
      });
      return problems;
    },
    { dialects: ['loopy'] },
  );
  const noClampClosed = defineCondition('no-loopy-clamp-closed', 'no node applies loopy.clamp', noClamp.check);
  const needs = (condition: typeof noClamp) =>
    definePass({ name: 'needs-no-clamp', description: 'requires no clamp', requires: [condition], run: (m) => m });
  /** Replaces x * 3 by clamp(x): a pass that creates ops of its own dialect. */
  const makeClamps = (introduces: readonly string[] | undefined) =>
    definePass({
      name: 'make-clamps',
      description: 'x * three -> loopy.clamp(x)',
      requires: [verified],
      ensures: [verified],
      ...(introduces ? { introduces } : {}),
      run: (module) =>
        mapRegions(module, (region) => {
          if (!region.nodes.some((n) => n.kind === 'simple' && n.op === 'arith.mul')) return region;
          const nodes = region.nodes.map((n): Node =>
            n.kind === 'simple' && n.op === 'arith.mul' ? { ...n, op: 'loopy.clamp', inputs: [n.inputs[0]!] } : n,
          );
          return withNodes(region, nodes);
        }),
    });

  it('keeps a third-party condition through the standard passes, which declare the dialects they introduce', () => {
    const result = runPipeline(pipeline([fold, dne, cne, inline, needs(noClamp)]), sample(), { registry });
    expect(result.records.map((r) => r.pass)).toEqual(['fold', 'dne', 'cne', 'inline', 'needs-no-clamp']);
    const passes = standardPasses.names().map((name) => standardPasses.get(name));
    const open = passes.filter((p) => p?.kind === 'pass' && p.introduces === undefined).map((p) => p?.name);
    expect(passes.length).toBeGreaterThan(10);
    expect(open).toEqual([]);
  });

  it('forgets a condition that names no dialects, as before, and says which pass may break it', () => {
    expect(() => runPipeline(pipeline([fold, needs(noClampClosed)]), sample(), { registry })).toThrow(
      /'fold' \(#1\) neither ensures nor preserves it/,
    );
  });

  it('forgets the condition after a pass that may introduce its dialect, or any dialect', () => {
    for (const introduces of [['loopy'], undefined]) {
      expect(() => planPipeline(pipeline([makeClamps(introduces), needs(noClamp)]))).toThrow(
        new RegExp(
          `'make-clamps' \\(#1\\) neither ensures nor preserves it and may introduce ops of ${introduces ? 'loopy' : 'any dialect'}`,
        ),
      );
    }
  });

  it('checks that a pass creates ops only of the dialects it declares', () => {
    expect(() => runPipeline(makeClamps(['arith']), sample(), { registry, check: true })).toThrow(UndeclaredOpsError);
    expect(() => runPipeline(makeClamps(['arith']), sample(), { registry, check: true })).toThrow(
      "pass 'make-clamps' created 'loopy.clamp', of a dialect it does not declare: it declares introduces: ['arith']",
    );
    expect(runPipeline(makeClamps(['loopy']), sample(), { registry, check: true }).changed).toBe(true);
  });
});
