import { afterAll, describe, expect, it } from 'vitest';
import { defaultRegistry, f64, interpret, ModuleBuilder, pureOp, type Dialect, type Module } from '@rvsdg/ir';
import * as llvm from '../llvm-ir/index.js';
import { compileModule, type CompiledRvsdgModule } from './compile-module.js';
import { LoweringBug } from './errors.js';
import { lowerModule } from './lower-module.js';
import { defaultLowerings, LoweringRegistry, type Lowering } from './lowering-registry.js';

/** A third-party dialect: clamp to [0, 1] (NaN stays NaN), and |x| + |y|. */
const dsl: Dialect = {
  name: 'dsl',
  ops: [
    pureOp({
      name: 'dsl.clamp01',
      summary: 'x clamped to [0, 1]; NaN stays NaN.',
      typeOf: (operands) => (operands.length === 1 && operands[0] === f64 ? [f64] : 'expects one f64 operand'),
      evaluate: ([x]) => [(x as number) < 0 ? 0 : (x as number) > 1 ? 1 : x],
    }),
    pureOp({
      name: 'dsl.manhattan',
      summary: '|x| + |y|',
      typeOf: (operands) => (operands.length === 2 && operands.every((t) => t === f64) ? [f64] : 'expects two f64'),
      evaluate: ([x, y]) => [Math.abs(x as number) + Math.abs(y as number)],
    }),
  ],
};
const registry = defaultRegistry.extend(dsl);

const clamp01: Lowering = (ctx, _node, [x]) => {
  const b = ctx.builder;
  const v = x as llvm.Value;
  const low = b.CreateSelect(b.CreateFCmpOLT(v, ctx.f64c(0)), ctx.f64c(0), v);
  return [b.CreateSelect(b.CreateFCmpOGT(v, ctx.f64c(1)), ctx.f64c(1), low)];
};

function dslModule(): Module {
  const mb = new ModuleBuilder({ registry });
  const f = mb.lambda('squash', [f64], (r, [x]) => [r.op1('dsl.clamp01', [r.op1('arith.mul', [x!, r.const(2, f64)])])]);
  return mb.export('squash', f).build();
}

const compiled: CompiledRvsdgModule[] = [];
afterAll(() => compiled.forEach((c) => c.dispose()));

describe('LoweringRegistry', () => {
  it('lets a third-party dialect register its lowerings and compile with them', () => {
    const module = dslModule();
    const lowerings = defaultLowerings.extend({ 'dsl.clamp01': clamp01 });
    const c = compileModule(module, { lowerings, optLevel: 2 });
    compiled.push(c);
    const squash = c.functions['squash'] as (x: number) => number;
    for (const x of [-1, 0.25, 0.75, 3, NaN, -0]) {
      expect(Object.is(squash(x), interpret(module, 'squash', [x], { registry })[0])).toBe(true);
    }
  });

  it('lets a lowering declare and call intrinsics through the llvm-ir builder', () => {
    const manhattan: Lowering = (ctx, _node, [x, y]) => {
      const b = ctx.builder;
      const fabs = ctx.intrinsic(llvm.Intrinsic.fabs, [ctx.f64]);
      return [b.CreateFAdd(b.CreateCall(fabs, [x as llvm.Value]), b.CreateCall(fabs, [y as llvm.Value]))];
    };
    const mb = new ModuleBuilder({ registry });
    const f = mb.lambda('m', [f64, f64], (r, [x, y]) => [r.op1('dsl.manhattan', [x!, y!])]);
    const module = mb.export('m', f).build();
    const c = compileModule(module, { lowerings: defaultLowerings.extend({ 'dsl.manhattan': manhattan }) });
    compiled.push(c);
    expect(c.irBefore).toContain('declare double @llvm.fabs.f64(double)');
    const m = c.functions['m'] as (x: number, y: number) => number;
    for (const [x, y] of [
      [-1.5, 2],
      [-0, -0],
      [NaN, 1],
      [-Infinity, 3],
    ] as const) {
      expect(Object.is(m(x, y), interpret(module, 'm', [x, y], { registry })[0])).toBe(true);
    }
  });

  it('lowers an op by the lowering its definition carries, so the dialect is registered once', () => {
    const bundled = defaultRegistry.extend({
      name: 'bundled',
      ops: [
        pureOp({
          name: 'bundled.clamp01',
          summary: 'x clamped to [0, 1]; NaN stays NaN.',
          typeOf: (operands) => (operands.length === 1 && operands[0] === f64 ? [f64] : 'expects one f64 operand'),
          evaluate: ([x]) => [(x as number) < 0 ? 0 : (x as number) > 1 ? 1 : x],
          lowerings: { llvm: clamp01 },
        }),
      ],
    });
    const mb = new ModuleBuilder({ registry: bundled });
    const f = mb.lambda('squash', [f64], (r, [x]) => [r.op1('bundled.clamp01', [x!])]);
    const module = mb.export('squash', f).build();
    const c = compileModule(module, { registry: bundled, optLevel: 2 });
    compiled.push(c);
    const squash = c.functions['squash'] as (x: number) => number;
    for (const x of [-1, 0.25, 3, NaN, -0]) {
      expect(Object.is(squash(x), interpret(module, 'squash', [x], { registry: bundled })[0])).toBe(true);
    }
    // Without its registry the backend cannot know the op, and says what to pass.
    expect(() => compileModule(module)).toThrow(/no LLVM lowering for op 'bundled.clamp01'.*the `registry` option/);
    expect(() => interpret(module, 'squash', [1])).toThrow(
      /unknown op 'bundled.clamp01': dialect 'bundled' is not registered here .*the `registry` option/,
    );
  });

  it('keeps registries apart: the default one does not see an extension', () => {
    const extended = new LoweringRegistry(defaultLowerings).register('dsl.clamp01', clamp01);
    expect(extended.has('dsl.clamp01')).toBe(true);
    expect(extended.has('arith.add')).toBe(true);
    expect(defaultLowerings.has('dsl.clamp01')).toBe(false);
    expect(() => extended.register('dsl.clamp01', clamp01)).toThrow(/already registered/);
  });

  it('reports a lowering that throws as a LoweringBug naming the op', () => {
    const lowerings = defaultLowerings.extend({
      'dsl.clamp01': () => {
        throw new TypeError('oops');
      },
    });
    expect(() => lowerModule(dslModule(), { lowerings })).toThrow(
      /the lowering of 'dsl.clamp01' \(node \d+\) threw: oops/,
    );
  });

  it('reports LLVM IR that does not verify as a LoweringBug carrying the IR', () => {
    // A broken lowering: an i32 where the op's type says f64.
    const broken: Lowering = (ctx) => [ctx.i32c(1)];
    const lowerings = defaultLowerings.extend({ 'dsl.clamp01': broken });
    let bug: unknown;
    try {
      lowerModule(dslModule(), { lowerings });
    } catch (error) {
      bug = error;
    }
    expect(bug).toBeInstanceOf(LoweringBug);
    expect((bug as LoweringBug).irText).toContain('define internal double @squash');
    expect((bug as LoweringBug).message).toContain('does not verify');
    // LLVM's own diagnostic, from the native engine's parser.
    expect((bug as LoweringBug).message).toMatch(/does not verify: .*doesn't match function result type/);
    // compileModule, which leaves the verification to the engine's compile, reports it the same way.
    expect(() => compileModule(dslModule(), { lowerings })).toThrow(LoweringBug);
    expect(() => compileModule(dslModule(), { lowerings })).toThrow(/doesn't match function result type/);
  });

  it('reports a module the verifier (not the parser) rejects as a LoweringBug', () => {
    // Well-formed text, but the value is used in a block it does not dominate.
    const broken: Lowering = (ctx, _node, [x]) => {
      const b = ctx.builder;
      const other = ctx.newBlock('unreachable.def');
      const saved = b.GetInsertBlock() as llvm.BasicBlock;
      b.SetInsertPoint(other);
      const y = b.CreateFAdd(x as llvm.Value, ctx.f64c(1));
      b.CreateUnreachable();
      b.SetInsertPoint(saved);
      return [y];
    };
    const lowerings = defaultLowerings.extend({ 'dsl.clamp01': broken });
    for (const run of [
      () => lowerModule(dslModule(), { lowerings }),
      () => compileModule(dslModule(), { lowerings }),
    ]) {
      let bug: unknown;
      try {
        run();
      } catch (error) {
        bug = error;
      }
      expect(bug).toBeInstanceOf(LoweringBug);
      expect((bug as LoweringBug).message).toMatch(
        /does not verify: LLVM IR verification failed: Instruction does not dominate all uses/,
      );
      expect((bug as LoweringBug).irText).toContain('unreachable.def');
    }
  });
});
