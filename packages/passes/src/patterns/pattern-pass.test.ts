import { ModuleBuilder, f64, forEachNode, i32, i64, interpret, parseModule, type Module, type Origin } from '@rvsdg/ir';
import { describe, expect, it } from 'vitest';
import { typed } from '../conditions/typed.js';
import { runPipeline } from '../manager/pass-manager.js';
import { checkPass, PassCheckError } from '../testing/index.js';
import { definePatternPass, sameConstant, type Pattern } from './pattern-pass.js';

// The example of docs/writing-a-pass.md: x * 2 -> x + x (exact for integers, which both wrap,
// and for floats, which both round the same exact value once).
const mulByTwoPattern: Pattern = (node, rewriter) => {
  const [a, b] = node.inputs as [Origin, Origin];
  const x = rewriter.isConstant(b, 2) ? a : rewriter.isConstant(a, 2) ? b : undefined;
  if (x === undefined) return;
  rewriter.replace(...rewriter.op('arith.add', [x, x], node.outputs));
};

const mulByTwo = definePatternPass({
  name: 'mul-by-two',
  description: 'x * 2 -> x + x',
  preserves: [typed],
  patterns: { 'arith.mul': mulByTwoPattern },
});

/** Broken: forgets to check the constant's value, so x * c -> x + x for every constant c. */
const mulByAnyConstant = definePatternPass({
  name: 'mul-by-any-constant',
  description: 'x * c -> x + x (wrong)',
  patterns: {
    'arith.mul': (node, rewriter) => {
      const [a, b] = node.inputs as [Origin, Origin];
      if (rewriter.constantValue(b) !== undefined) rewriter.replace(...rewriter.op('arith.add', [a, a], node.outputs));
    },
  },
});

function ops(module: Module): string[] {
  const found: string[] = [];
  forEachNode(module, (node) => {
    if (node.kind === 'simple') found.push(node.op);
  });
  return found.sort();
}

function mulByConstant(build: (b: ModuleBuilder) => Module): Module {
  return build(new ModuleBuilder());
}

describe('definePatternPass', () => {
  it('rewrites x * 2 in any constant form and keeps the meaning', () => {
    const module = parseModule(`module {
  %9 = lambda @f : fn(i32, f64) -> (i32, f64) {
    ^(%a0: i32, %a1: f64)
    %1 = const {value = 2, type = i32} : i32
    %2 = arith.mul(%1.0, %a0) : i32
    %3 = const {value = -2.0, type = f64} : f64
    %4 = arith.neg(%3.0) : f64
    %5 = arith.mul(%a1, %4.0) : f64
    %6 = const {value = 2, type = i32} : i32
    %7 = arith.convert(%6.0) {type = f64} : f64
    %8 = arith.mul(%5.0, %7.0) : f64
    yield (%2.0, %8.0)
  }
  export @f = %9.0
}`);
    const result = runPipeline(mulByTwo, module);
    expect(result.changed).toBe(true);
    expect(result.statistics.get('mul-by-two', 'rewrites')).toBe(3);
    expect(ops(result.module).filter((op) => op === 'arith.mul')).toEqual([]);
    expect(interpret(result.module, 'f', [-7, 1.5])).toEqual(interpret(module, 'f', [-7, 1.5]));
  });

  it('reports no change and returns its input when nothing matches', () => {
    const module = mulByConstant((b) => {
      const f = b.lambda('f', [i32], (r, [x]) => [r.op1('arith.mul', [x!, r.const(3, i32)])]);
      return b.export('f', f).build();
    });
    const result = runPipeline(mulByTwo, module);
    expect(result.module).toBe(module);
    expect(result.changed).toBe(false);
    expect(result.records[0]?.changed).toBe(false);
  });

  it('rewrites nodes in nested regions', () => {
    const module = mulByConstant((b) => {
      const f = b.lambda('f', [i64, i32], (r, [x, n]) => {
        const [out] = r.theta([x!, n!], (body, [v, k]) => {
          const twice = body.op1('arith.mul', [v!, body.const(2n, i64)]);
          const left = body.op1('arith.sub', [k!, body.const(1, i32)]);
          return { repeat: body.op1('arith.gt', [left, body.const(0, i32)]), next: [twice, left] };
        });
        return [out!];
      });
      return b.export('f', f).build();
    });
    const result = runPipeline(mulByTwo, module);
    expect(ops(result.module)).not.toContain('arith.mul');
    expect(interpret(result.module, 'f', [3n, 5])).toEqual([96n]);
  });

  it('offers the nodes a pattern built to the patterns, until nothing fires', () => {
    const addToShift: Pattern = (node, rewriter) => {
      const [a, b] = node.inputs as [Origin, Origin];
      if (a !== b || rewriter.typeOf(a) !== i32) return;
      rewriter.replace(...rewriter.op('arith.shl', [a, rewriter.constant(1, i32)], node.outputs));
    };
    const pass = definePatternPass({
      name: 'mul-by-two-then-shift',
      description: 'x * 2 -> x + x -> x << 1',
      patterns: { 'arith.mul': mulByTwoPattern, 'arith.add': addToShift },
    });
    const module = mulByConstant((b) => {
      const f = b.lambda('f', [i32], (r, [x]) => [r.op1('arith.mul', [x!, r.const(2, i32)])]);
      return b.export('f', f).build();
    });
    const result = runPipeline(pass, module);
    expect(ops(result.module)).toEqual(['arith.shl', 'const', 'const']);
    expect(interpret(result.module, 'f', [0x7fffffff])).toEqual([-2]);
  });

  it('stops patterns that undo each other with a clear error', () => {
    const pass = definePatternPass({
      name: 'ping-pong',
      description: 'x * 2 <-> x + x',
      patterns: {
        'arith.mul': mulByTwoPattern,
        'arith.add': (node, rewriter) => {
          const [a, b] = node.inputs as [Origin, Origin];
          if (a === b) rewriter.replace(...rewriter.op('arith.mul', [a, rewriter.constant(2, i32)], node.outputs));
        },
      },
    });
    const module = mulByConstant((b) => {
      const f = b.lambda('f', [i32], (r, [x]) => [r.op1('arith.add', [x!, x!])]);
      return b.export('f', f).build();
    });
    expect(() => runPipeline(pass, module)).toThrow(/still rewrote a region after 100 sweeps/);
  });

  it('rejects a replacement of the wrong type or count, naming the node', () => {
    const module = mulByConstant((b) => {
      const f = b.lambda('f', [f64], (r, [x]) => [r.op1('arith.mul', [x!, r.const(2, f64)])]);
      return b.export('f', f).build();
    });
    const wrongType = definePatternPass({
      name: 'wrong-type',
      description: 'replaces an f64 with an i32',
      patterns: { 'arith.mul': (_node, rewriter) => rewriter.replace(rewriter.constant(2, i32)) },
    });
    expect(() => runPipeline(wrongType, module)).toThrow(/replaced output 0 of arith.mul %\d+ \(f64\) with a i32/);
    const wrongCount = definePatternPass({
      name: 'wrong-count',
      description: 'replaces one output with two values',
      patterns: { 'arith.mul': (node, rewriter) => rewriter.replace(node.inputs[0]!, node.inputs[0]!) },
    });
    expect(() => runPipeline(wrongCount, module)).toThrow(/replaced the 1 output\(s\) of arith.mul/);
  });

  it('passes checkPass with default settings, and checkPass catches the broken variant', () => {
    // Seeded for reproducibility only. Measured: the broken variant is caught with each of seeds 1-10;
    // x * 2 -> x + 2 would be caught with 4 of them (checkPass's generator rarely lets that value reach a result).
    const report = checkPass(mulByTwo, { seed: 1 });
    expect(report.changed).toBeGreaterThan(0);
    expect(() => checkPass(mulByAnyConstant, { seed: 1 })).toThrow(PassCheckError);
    expect(() => checkPass(mulByAnyConstant, { seed: 1 })).toThrow(/before the pass but .* after it/);
  });
});

describe('sameConstant', () => {
  it('compares numbers and bigints by value, floats with Object.is', () => {
    expect(sameConstant(2, 2)).toBe(true);
    expect(sameConstant(2n, 2)).toBe(true);
    expect(sameConstant(2, 2n)).toBe(true);
    expect(sameConstant(2.5, 2n)).toBe(false);
    expect(sameConstant(-0, 0)).toBe(false);
    expect(sameConstant(NaN, NaN)).toBe(true);
    expect(sameConstant(true, 1)).toBe(false);
    expect(sameConstant(undefined, 0)).toBe(false);
  });
});
