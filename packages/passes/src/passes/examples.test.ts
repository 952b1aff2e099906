import {
  ModuleBuilder,
  bool,
  forEachNode,
  i32,
  i64,
  interpret,
  mem,
  array,
  f64,
  type Module,
  type Node,
} from '@rvsdg/ir';
import { describe, expect, it } from 'vitest';
import { noDeadNodes } from '../conditions/no-dead-nodes.js';
import { runPipeline } from '../manager/pass-manager.js';
import { pipeline } from '../manager/pipeline.js';
import { cne } from './cne.js';
import { dne } from './dne.js';
import { hoistInvariants } from './hoist-invariants.js';
import { inline } from './inline.js';
import { simplifyGamma } from './simplify-gamma.js';
import { simplifyTheta } from './simplify-theta.js';
import { unroll } from './unroll.js';
import { fold } from './fold.js';
import { nestedModule } from '../bench/nested-module.js';
import { defaultRegistry } from '@rvsdg/ir';

function count(module: Module, predicate: (n: Node) => boolean): number {
  let k = 0;
  forEachNode(module, (n) => {
    if (predicate(n)) k++;
  });
  return k;
}
const isOp = (op: string) => (n: Node) => n.kind === 'simple' && n.op === op;
const isKind = (kind: Node['kind']) => (n: Node) => n.kind === kind;

describe('dne', () => {
  it('is linear in loop nesting depth: 24 nested loops with a dead value each (it re-trimmed bodies per level: 2^24)', () => {
    const module = nestedModule(24);
    const result = runPipeline(dne, module, { check: true });
    // Per level: the dead product, its constant and the sum using it.
    expect(result.statistics.get('dne', 'nodes-removed')).toBe(3 * 24);
    expect(noDeadNodes.check(result.module, { registry: defaultRegistry })).toEqual([]);
  });

  it('removes a dead gamma exit and what only it used', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [bool, i32], (r, [c, x]) => {
      const [used] = r.ifElse(
        c!,
        (t) => [t.op1('arith.add', [x!, x!]), t.op1('arith.mul', [x!, x!])],
        (e) => [x!, e.op1('arith.neg', [x!])],
      );
      return [used!];
    });
    const module = b.export('f', f).build();
    const { module: out, statistics } = runPipeline(dne, module);
    expect(statistics.get('dne', 'gamma-exits-removed')).toBe(1);
    expect(count(out, isOp('arith.mul'))).toBe(0);
    expect(count(out, isOp('arith.neg'))).toBe(0);
    expect(noDeadNodes.check(out, { registry: defaultRegistry })).toEqual([]);
    expect(interpret(out, 'f', [true, 3])).toEqual([6]);
  });

  it('removes a loop variable that only feeds itself, and keeps memory effects', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [array(f64), mem], (r, [a, s]) => {
      const zero = r.const(0n, i64);
      const [, , s2] = r.theta([zero, r.const(0, i32), s!], (l, [i, junk, st]) => {
        const st2 = l.op('array.store', [a!, i!, l.const(1, f64), st!])[0]!;
        const i2 = l.op1('arith.add', [i!, l.const(1n, i64)]);
        return {
          repeat: l.op1('arith.lt', [i2, l.const(2n, i64)]),
          next: [i2, l.op1('arith.add', [junk!, junk!]), st2],
        };
      });
      return [s2!];
    });
    const module = b.export('f', f).build();
    const { module: out, statistics } = runPipeline(dne, module);
    expect(statistics.get('dne', 'loop-vars-removed')).toBe(1);
    expect(count(out, isOp('array.store'))).toBe(1);
    const data = new Float64Array(2);
    interpret(out, 'f', [data, { kind: 'state', state: 'mem' }]);
    expect([...data]).toEqual([1, 1]);
  });

  it('returns the same module when nothing is dead', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32], (r, [x]) => [r.op1('arith.add', [x!, x!])]);
    const module = b.export('f', f).build();
    expect(runPipeline(dne, module).module).toBe(module);
  });
});

describe('cne', () => {
  it('merges equal nodes in a region and computations repeated in every gamma branch', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [bool, i32, i32], (r, [c, x, y]) => {
      const a1 = r.op1('arith.mul', [x!, y!]);
      const a2 = r.op1('arith.mul', [x!, y!]);
      const [g] = r.ifElse(
        c!,
        (t) => [t.op1('arith.add', [t.op1('arith.sub', [x!, y!]), a1])],
        (e) => [e.op1('arith.mul', [e.op1('arith.sub', [x!, y!]), a2])],
      );
      return [g!];
    });
    const module = b.export('f', f).build();
    const { module: out, statistics } = runPipeline(pipeline([cne, dne]), module);
    expect(statistics.get('cne', 'merged')).toBe(1);
    expect(statistics.get('cne', 'hoisted-from-branches')).toBe(1);
    expect(count(out, isOp('arith.mul'))).toBe(2);
    expect(count(out, isOp('arith.sub'))).toBe(1);
    expect(interpret(out, 'f', [true, 5, 3])).toEqual([17]);
    expect(interpret(out, 'f', [false, 5, 3])).toEqual([30]);
  });

  it('reuses a value of the enclosing region inside a loop', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32, i32], (r, [x, n]) => {
      const outside = r.op1('arith.mul', [x!, x!]);
      const [acc] = r.theta([r.const(0, i32), r.const(0, i32)], (l, [acc, i]) => {
        const i2 = l.op1('arith.add', [i!, l.const(1, i32)]);
        return {
          repeat: l.op1('arith.lt', [i2, n!]),
          next: [l.op1('arith.add', [acc!, l.op1('arith.mul', [x!, x!])]), i2],
        };
      });
      return [r.op1('arith.add', [acc!, outside])];
    });
    const out = runPipeline(pipeline([cne, dne]), b.export('f', f).build()).module;
    expect(count(out, isOp('arith.mul'))).toBe(1);
    expect(interpret(out, 'f', [3, 4])).toEqual([45]);
  });
});

describe('unroll', () => {
  it('fully unrolls a 4-trip loop', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32], (r, [x]) => {
      const [, acc] = r.theta([r.const(0, i32), x!], (l, [i, acc]) => {
        const i2 = l.op1('arith.add', [i!, l.const(1, i32)]);
        return {
          repeat: l.op1('arith.lt', [i2, l.const(4, i32)]),
          next: [i2, l.op1('arith.mul', [acc!, l.const(3, i32)])],
        };
      });
      return [acc!];
    });
    const module = b.export('f', f).build();
    const { module: out, statistics } = runPipeline(pipeline([unroll, fold, dne]), module);
    expect(statistics.get('unroll', 'copies')).toBe(4);
    expect(count(out, isKind('theta'))).toBe(0);
    expect(count(out, isOp('arith.mul'))).toBe(4);
    expect(interpret(out, 'f', [2])).toEqual([162]);
  });

  it('leaves loops with an unknown trip count alone', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32], (r, [n]) => {
      const [i] = r.theta([r.const(0, i32)], (l, [i]) => {
        const i2 = l.op1('arith.add', [i!, l.const(1, i32)]);
        return { repeat: l.op1('arith.lt', [i2, n!]), next: [i2] };
      });
      return [i!];
    });
    const module = b.export('f', f).build();
    expect(runPipeline(unroll, module).module).toBe(module);
  });
});

describe('inline', () => {
  it('inlines a small function and respects maxSize', () => {
    const b = new ModuleBuilder();
    const sq = b.lambda('sq', [i32], (r, [x]) => [r.op1('arith.mul', [x!, x!])]);
    const f = b.lambda('f', [i32], (r, [x]) => [r.op1('arith.add', [r.call(sq, [x!])[0]!, r.const(1, i32)])]);
    const module = b.export('f', f).build();
    const out = runPipeline(pipeline([inline, dne]), module).module;
    expect(count(out, isOp('call'))).toBe(0);
    expect(count(out, isKind('lambda'))).toBe(1);
    expect(interpret(out, 'f', [7])).toEqual([50]);
    expect(runPipeline(inline.with({ maxSize: 0 }), module).module).toBe(module);
  });
});

describe('hoist-invariants', () => {
  it('moves an invariant computation out of a loop', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32, i32], (r, [x, n]) => {
      const [acc] = r.theta([r.const(0, i32), r.const(0, i32)], (l, [acc, i]) => {
        const k = l.op1('arith.mul', [x!, l.const(10, i32)]);
        const i2 = l.op1('arith.add', [i!, l.const(1, i32)]);
        return { repeat: l.op1('arith.lt', [i2, n!]), next: [l.op1('arith.add', [acc!, k]), i2] };
      });
      return [acc!];
    });
    const module = b.export('f', f).build();
    const { module: out, statistics } = runPipeline(pipeline([hoistInvariants, dne]), module);
    expect(statistics.get('hoist-invariants', 'nodes-hoisted')).toBe(1);
    const theta = out.region.nodes.find(isKind('lambda'))!.regions[0]!.nodes.find(isKind('theta'))!;
    expect(theta.regions[0]!.nodes.some(isOp('arith.mul'))).toBe(false);
    expect(interpret(out, 'f', [2, 3])).toEqual([60]);
  });
});

describe('simplify-gamma and simplify-theta', () => {
  it('replaces a gamma with a constant predicate by its branch', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32], (r, [x]) =>
      r.ifElse(
        r.const(true, bool),
        (t) => [t.op1('arith.add', [x!, x!])],
        (e) => [e.op1('arith.neg', [x!])],
      ),
    );
    const out = runPipeline(pipeline([simplifyGamma, dne]), b.export('f', f).build()).module;
    expect(count(out, isKind('gamma'))).toBe(0);
    expect(count(out, isOp('arith.neg'))).toBe(0);
    expect(interpret(out, 'f', [4])).toEqual([8]);
  });

  it('removes a state passed unchanged through a gamma', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [bool, i32, mem], (r, [c, x, s]) =>
      r.gamma(r.match(c!), [(g, [v, st]) => [v!, st!], (g, [v, st]) => [g.op1('arith.neg', [v!]), st!]], [x!, s!]),
    );
    const module = b.export('f', f).build();
    const out = runPipeline(simplifyGamma, module).module;
    const gamma = out.region.nodes.find(isKind('lambda'))!.regions[0]!.nodes.find(isKind('gamma'))!;
    expect(gamma.outputs).toEqual([i32]);
    expect(interpret(out, 'f', [true, 4, { kind: 'state', state: 'mem' }])[0]).toBe(-4);
  });

  it('replaces a loop that stops after one iteration by its body', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32], (r, [x]) => {
      const [y] = r.theta([x!], (l, [v]) => ({ repeat: l.const(false, bool), next: [l.op1('arith.mul', [v!, v!])] }));
      return [y!];
    });
    const out = runPipeline(pipeline([simplifyTheta, dne]), b.export('f', f).build()).module;
    expect(count(out, isKind('theta'))).toBe(0);
    expect(interpret(out, 'f', [5])).toEqual([25]);
  });
});
