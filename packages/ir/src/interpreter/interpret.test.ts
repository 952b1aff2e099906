import { describe, expect, it } from 'vitest';
import { ModuleBuilder } from '../builder/builder.js';
import { pureOp } from '../ops/define.js';
import { defaultRegistry } from '../ops/default-registry.js';
import { OpError } from '../ops/op.js';
import { array, bool, fn, i32, i64, io, mem } from '../types/type.js';
import { FuelExhausted, InterpreterError, instantiate, interpret } from './interpret.js';
import { ioToken, memToken, type FunctionValue } from './value.js';

describe('interpret', () => {
  it('raises program errors as native code does: the JavaScript class, its message with the line', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [array(i32), i64, mem], (r, [a, i, s]) =>
      r.op('array.load', [a!, i!, s!], {}, { line: 13, column: 5 }),
    );
    const m = b.export('f', f).build();
    let error: unknown;
    try {
      interpret(m, 'f', [new Int32Array(2), 5n, memToken]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(InterpreterError);
    expect(error).toBeInstanceOf(OpError);
    expect(error).not.toBeInstanceOf(TypeError);
    const e = error as InterpreterError;
    expect([e.name, e.message, e.reason, e.errorName]).toEqual([
      'RangeError',
      'index 5 is out of bounds for an array of length 2 (line 13)',
      'index 5 is out of bounds for an array of length 2',
      'RangeError',
    ]);
    expect(e.stack).toMatch(/^RangeError: index 5 is out of bounds for an array of length 2 \(line 13\)\n/);
    // Neither a plain JavaScript error nor an op's own OpError is an InterpreterError.
    expect(new RangeError('x')).not.toBeInstanceOf(OpError);
    expect(new OpError('RangeError', 'x')).not.toBeInstanceOf(InterpreterError);
    expect(new InterpreterError('TypeError', 'no line')).toMatchObject({ name: 'TypeError', message: 'no line' });
  });

  it('charges one step per node and per theta iteration, exactly', () => {
    const b = new ModuleBuilder();
    // Root: 1 lambda node. Body: const, theta (1 + 3 iterations x (1 + 5 body nodes)).
    const f = b.lambda('f', [i32], (r) => {
      const [out] = r.theta([r.const(0, i32)], (l, [i]) => {
        const next = l.op1('arith.add', [i!, l.const(1, i32)]);
        const repeat = l.match(l.op1('arith.lt', [next, l.const(3, i32)]));
        return { repeat, next: [next] };
      });
      return [out!];
    });
    const m = b.export('f', f).build();
    const steps = 1 + 1 + 1 + 3 * (1 + 5);
    expect(interpret(m, 'f', [0], { fuel: steps })).toEqual([3]);
    expect(() => interpret(m, 'f', [0], { fuel: steps - 1 })).toThrow(FuelExhausted);
  });

  it('refuses a fuel that is not a number >= 0 instead of running without a limit', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32], (r, [x]) => [x!]);
    const m = b.export('f', f).build();
    for (const fuel of [NaN, -5, Number('abc')]) {
      expect(() => interpret(m, 'f', [0], { fuel })).toThrow(new RangeError(`fuel must be a number >= 0, got ${fuel}`));
    }
    expect(interpret(m, 'f', [4], { fuel: Infinity })).toEqual([4]);
  });

  it('chooses gamma regions by ctrl value, evaluating only the chosen one', () => {
    const b = new ModuleBuilder();
    const pick = b.lambda('pick', [i64, io], (r, [k, s]) =>
      r.gamma(
        r.match(k!, 3),
        [
          (g, [st]) => [g.const(10, i32), st!],
          (g, [st]) => [g.const(11, i32), st!],
          (g, [st]) => [g.const(12, i32), g.op1('raise', [st!], { error: 'Error', message: 'branch 2' })],
        ],
        [s!],
      ),
    );
    const m = b.export('pick', pick).build();
    expect(interpret(m, 'pick', [0n, ioToken])).toEqual([10, ioToken]);
    expect(interpret(m, 'pick', [1n, ioToken])).toEqual([11, ioToken]);
    // match sends everything outside 0..n-1 to the last alternative.
    expect(() => interpret(m, 'pick', [-5n, ioToken])).toThrow('branch 2');
  });

  it('runs mutual recursion through one phi', () => {
    const b = new ModuleBuilder();
    const t = fn([i64], [bool]);
    const [even] = b.phi([t, t], (p, [isEven, isOdd]) => {
      const body = (name: string, other: typeof isEven, atZero: boolean) =>
        p.lambda(name, [i64], (f, [n]) =>
          f.ifElse(
            f.op1('arith.eq', [n!, f.const(0n, i64)]),
            (z) => [z.const(atZero, bool)],
            (e) => e.call(other!, [e.op1('arith.sub', [n!, e.const(1n, i64)])]),
          ),
        );
      return [body('even', isOdd, true), body('odd', isEven, false)];
    });
    const m = b.export('even', even!).build();
    expect([0n, 1n, 10n, 77n].map((n) => interpret(m, 'even', [n])[0])).toEqual([true, false, true, false]);
  });

  it('closes lambdas over their context values', () => {
    const b = new ModuleBuilder();
    const makeAdder = b.lambda('makeAdder', [i32], (r, [k]) => [
      r.lambda('add', [i32], (f, [x]) => [f.op1('arith.add', [x!, k!])]),
    ]);
    const m = b.export('makeAdder', makeAdder).build();
    const [add5] = interpret(m, 'makeAdder', [5]) as [FunctionValue];
    const [add7] = interpret(m, 'makeAdder', [7]) as [FunctionValue];
    expect([add5.invoke([1]), add7.invoke([1])]).toEqual([[6], [8]]);
    expect(() => add5.invoke([1.5])).toThrow(InterpreterError);
  });

  it('reports argument errors at the lambda that was called', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32, bool], (_r, [x]) => [x!], { line: 4, column: 2 });
    const m = b.export('f', f).build();
    const lambdaId = m.region.nodes[0]!.id;
    try {
      interpret(m, 'f', [1, 0]);
      expect.unreachable();
    } catch (error) {
      const e = error as InterpreterError;
      expect([e.errorName, e.message, e.loc, e.nodeId]).toEqual([
        'TypeError',
        "argument 1 of 'f' must be bool, got 0 (line 4)",
        { line: 4, column: 2 },
        lambdaId,
      ]);
    }
  });

  it('evaluates third-party ops through the given registry', () => {
    const registry = defaultRegistry.extend({
      name: 'demo',
      ops: [
        pureOp({
          name: 'demo.triple',
          summary: 'Three times an i32, wrapping.',
          typeOf: (operands) => (operands.length === 1 && operands[0] === i32 ? [i32] : 'expects one i32'),
          evaluate: ([x]) => [((x as number) * 3) | 0],
        }),
      ],
    });
    const b = new ModuleBuilder({ registry });
    const f = b.lambda('f', [i32], (r, [x]) => [r.op1('demo.triple', [x!])]);
    const m = b.export('f', f).build();
    expect(interpret(m, 'f', [14], { registry })).toEqual([42]);
    expect(() => interpret(m, 'f', [14])).toThrow(/unknown op 'demo.triple'/);
  });

  it('wraps an OpError thrown by an imported function at the call node', () => {
    const b = new ModuleBuilder();
    const check = b.import('check', fn([i32], [i32]));
    let callId = -1;
    const f = b.lambda('f', [i32], (r, [x]) => {
      const [y] = r.call(check, [x!], { line: 9, column: 4 });
      callId = (y!.origin as { node: number }).node;
      return [y!];
    });
    const m = b.export('f', f).build();
    const checkFn: FunctionValue = {
      kind: 'function',
      name: 'check',
      type: fn([i32], [i32]),
      invoke([x]) {
        if ((x as number) < 0) throw new OpError('RangeError', 'negative');
        return [x];
      },
    };
    expect(interpret(m, 'f', [3], { imports: { check: checkFn } })).toEqual([3]);
    try {
      interpret(m, 'f', [-1], { imports: { check: checkFn } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InterpreterError);
      const e = error as InterpreterError;
      expect([e.errorName, e.message, e.reason, e.nodeId, e.op, e.loc]).toEqual([
        'RangeError',
        'negative (line 9)',
        'negative',
        callId,
        'call',
        { line: 9, column: 4 },
      ]);
    }
    expect(() => instantiate(m, { imports: { check: 3 } })).toThrow("import 'check' must be fn(i32) -> (i32), got 3");
  });
});

describe('bool arrays', () => {
  it('load elements as bool values, as compiled code does', () => {
    const b = new ModuleBuilder();
    const get = b.lambda('get', [array(bool), i64, mem], (f, [a, i, s]) => f.op('array.load', [a!, i!, s!]));
    const m = b.export('get', get).build();
    expect(interpret(m, 'get', [new Uint8Array([0, 1]), 1n, memToken])[0]).toBe(true);
    expect(interpret(m, 'get', [new Uint8Array([0, 1]), 0n, memToken])[0]).toBe(false);
  });
});
