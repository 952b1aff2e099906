import { ModuleBuilder, f64, i32, i64, interpret, printModule, type Module, forEachNode } from '@rvsdg/ir';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../manager/pass-manager.js';
import { pipeline } from '../manager/pipeline.js';
import { dne } from './dne.js';
import { fold } from './fold.js';

function ops(module: Module): string[] {
  const out: string[] = [];
  forEachNode(module, (n) => out.push(n.kind === 'simple' ? n.op : n.kind));
  return out;
}

describe('fold', () => {
  it('turns 1 + 2 into 3', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [], (r) => [r.op1('arith.add', [r.const(1, i32), r.const(2, i32)])]);
    const module = b.export('f', f).build();
    const out = runPipeline(pipeline([fold, dne]), module).module;
    expect(ops(out)).toEqual(['lambda', 'const']);
    expect(printModule(out)).toContain('value = 3');
    expect(interpret(out, 'f', [])).toEqual([3]);
  });

  it('compares a converted integer with -0 as an integer comparison with 0 (found by the runtime random programs)', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32], (r, [x]) => [
      r.op1('arith.lt', [r.op1('arith.convert', [x!], { type: f64 }), r.const(-0, f64)]),
    ]);
    const module = b.export('f', f).build();
    const out = runPipeline(fold, module).module;
    expect(printModule(out)).toMatch(/arith\.lt\(%a0, %\d+\.0\) : bool/);
    for (const x of [-1, 0, 1]) expect(interpret(out, 'f', [x])).toEqual(interpret(module, 'f', [x]));
  });

  it('applies exact identities and leaves float x + 0 alone', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i64, f64], (r, [n, x]) => {
      const a = r.op1('arith.mul', [r.op1('arith.add', [n!, r.const(0n, i64)]), r.const(1n, i64)]);
      const z = r.op1('arith.sub', [a, a]);
      return [
        r.op1('arith.add', [a, z]),
        r.op1('arith.add', [x!, r.const(0, f64)]),
        r.op1('arith.mul', [x!, r.const(1, f64)]),
      ];
    });
    const out = runPipeline(pipeline([fold, dne]), b.export('f', f).build()).module;
    expect(ops(out).filter((o) => o.startsWith('arith'))).toEqual(['arith.add']);
    expect(interpret(out, 'f', [5n, -0])).toEqual([5n, 0, -0]);
  });

  it('keeps x - c for a constant c that is a multiple of the bit width (only shift amounts are taken modulo it)', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i64, i32], (r, [x, y]) => [
      r.op1('arith.sub', [x!, r.const(64n, i64)]),
      r.op1('arith.sub', [x!, r.const(-(2n ** 32n), i64)]),
      r.op1('arith.sub', [y!, r.const(64, i32)]),
      r.op1('arith.sub', [y!, r.const(-(2 ** 31), i32)]),
      r.op1('arith.sub', [y!, r.const(0, i32)]),
      r.op1('arith.shl', [x!, r.const(128n, i64)]),
      r.op1('arith.shr', [y!, r.const(32, i32)]),
    ]);
    const module = b.export('f', f).build();
    const out = runPipeline(pipeline([fold, dne]), module).module;
    expect(ops(out).filter((o) => o.startsWith('arith'))).toEqual(['arith.sub', 'arith.sub', 'arith.sub', 'arith.sub']);
    for (const [x, y] of [
      [1n, 1],
      [-5n, -7],
      [2n ** 62n, 2 ** 30],
    ] as const) {
      expect(interpret(out, 'f', [x, y])).toEqual(interpret(module, 'f', [x, y]));
    }
    expect(interpret(out, 'f', [1n, 1])).toEqual([-63n, 2n ** 32n + 1n, -63, -(2 ** 31) + 1, 1, 1n, 1]);
  });

  it('folds across a gamma boundary', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32], (r, [p]) => {
      const c = r.const(20, i32);
      return r.ifElse(
        r.op1('arith.lt', [p!, r.const(0, i32)]),
        (t) => [t.op1('arith.add', [c, t.const(1, i32)])],
        () => [c],
      );
    });
    const out = runPipeline(pipeline([fold, dne]), b.export('f', f).build()).module;
    expect(ops(out)).not.toContain('arith.add');
    expect(interpret(out, 'f', [-1])).toEqual([21]);
    expect(interpret(out, 'f', [1])).toEqual([20]);
  });

  it('returns the same module when nothing folds', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32], (r, [x]) => [r.op1('arith.add', [x!, x!])]);
    const module = b.export('f', f).build();
    expect(runPipeline(fold, module).module).toBe(module);
  });
});
