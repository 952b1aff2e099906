import { describe, expect, it } from 'vitest';
import { ModuleBuilder } from './builder/builder.js';
import {
  FuelExhausted,
  InterpreterError,
  instantiate,
  interpret,
  type InterpretOptions,
} from './interpreter/interpret.js';
import type { FunctionValue, Value } from './interpreter/value.js';
import type { Module } from './nodes/module.js';
import { OpError } from './ops/op.js';
import { parseModule } from './text/parse.js';
import { printModule } from './text/print.js';
import { absModule, factorialModule, fibModule, guardedSumModule } from './testing/examples.js';
import { formatDiagnostic, verify } from './verifier/verify.js';
import { array, bool, f64, fn, i32, i64, io, mem } from './types/type.js';

/**
 * Small programs built with the builder, each checked end to end: it
 * verifies, it prints and parses back to the same text, and the parsed
 * module computes the same results as the built one.
 */
function pipeline(module: Module): Module[] {
  expect(verify(module).map(formatDiagnostic)).toEqual([]);
  const text = printModule(module);
  const parsed = parseModule(text);
  expect(printModule(parsed)).toBe(text);
  expect(verify(parsed).map(formatDiagnostic)).toEqual([]);
  return [module, parsed];
}

function run(module: Module, name: string, args: readonly Value[]): readonly Value[] {
  const results = pipeline(module).map((m) => interpret(m, name, args));
  for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  return results[0] as readonly Value[];
}

/** The error every form of the module raises; they must agree on it. */
function raisedBy(
  module: Module,
  name: string,
  args: readonly Value[],
  options: InterpretOptions = {},
): InterpreterError {
  const errors = pipeline(module).map((m) => raised(() => interpret(m, name, args, options)));
  for (const e of errors.slice(1)) {
    expect([e.errorName, e.message, e.loc, e.nodeId, e.op]).toEqual([
      errors[0]!.errorName,
      errors[0]!.message,
      errors[0]!.loc,
      errors[0]!.nodeId,
      errors[0]!.op,
    ]);
  }
  return errors[0]!;
}

function raised(body: () => unknown): InterpreterError {
  try {
    body();
  } catch (error) {
    expect(error).toBeInstanceOf(InterpreterError);
    return error as InterpreterError;
  }
  throw new Error('expected an InterpreterError');
}

/** BigInt semantics: the exact product must fit in i64, or a RangeError is raised. */
function factorialChecked(): Module {
  const b = new ModuleBuilder();
  const fact = b.lambda('fact', [i64, io], (f, [n, s]) => {
    const one = f.const(1n, i64);
    const [acc, , state] = f.theta([one, one, s!], (l, [acc, i, st]) => {
      const [acc2, st2] = l.op('arith.checked_mul', [acc!, i!, st!]);
      const i2 = l.op1('arith.add', [i!, l.const(1n, i64)]);
      return { repeat: l.op1('arith.le', [i2, n!]), next: [acc2!, i2, st2!] };
    });
    return [acc!, state!];
  });
  return b.export('fact', fact).build();
}

describe('example: factorial (theta)', () => {
  it('computes i64 factorials, wrapping past 2^63', () => {
    const m = factorialModule();
    expect(run(m, 'fact', [0n])).toEqual([1n]);
    expect(run(m, 'fact', [5n])).toEqual([120n]);
    expect(run(m, 'fact', [20n])).toEqual([2432902008176640000n]);
    expect(run(m, 'fact', [21n])).toEqual([BigInt.asIntN(64, 51090942171709440000n)]);
  });

  it('computes f64 factorials up to Infinity', () => {
    const m = factorialModule(f64);
    expect(run(m, 'fact', [10])).toEqual([3628800]);
    expect(run(m, 'fact', [170])[0]).toBeCloseTo(7.257415615307994e306, -290);
    expect(run(m, 'fact', [171])).toEqual([Infinity]);
  });

  it('raises a RangeError when checked i64 multiplication overflows', () => {
    const m = factorialChecked();
    const [value, state] = run(m, 'fact', [20n, { kind: 'state', state: 'io' }]);
    expect(value).toBe(2432902008176640000n);
    expect(state).toEqual({ kind: 'state', state: 'io' });
    const error = raisedBy(m, 'fact', [21n, { kind: 'state', state: 'io' }]);
    expect(error.errorName).toBe('RangeError');
    expect(error.message).toMatch(/i64 overflow/);
    expect(error.op).toBe('arith.checked_mul');
    expect(error).toBeInstanceOf(OpError);
  });
});

describe('example: absolute value (gamma)', () => {
  it('negates negative numbers only', () => {
    const m = absModule();
    expect(run(m, 'abs', [-3])).toEqual([3]);
    expect(run(m, 'abs', [2.5])).toEqual([2.5]);
    expect(run(m, 'abs', [-Infinity])).toEqual([Infinity]);
    expect(run(m, 'abs', [NaN])).toEqual([NaN]);
    // -0 < 0 is false, so the value passes through unchanged, sign included.
    expect(Object.is(run(m, 'abs', [-0])[0], -0)).toBe(true);
  });
});

describe('example: recursive Fibonacci (phi)', () => {
  it('computes fib through the recursion variable', () => {
    const m = fibModule();
    expect([0n, 1n, 2n, 10n, 20n].map((n) => run(m, 'fib', [n])[0])).toEqual([0n, 1n, 1n, 55n, 6765n]);
  });
});

describe('example: sum over a Float64Array (theta with memory state)', () => {
  it('sums the elements and returns the state', () => {
    const m = guardedSumModule();
    const token = { kind: 'state', state: 'mem' } as const;
    expect(run(m, 'sum', [new Float64Array([1, 2, 3.5]), token])).toEqual([6.5, token]);
    expect(run(m, 'sum', [new Float64Array([]), token])).toEqual([0, token]);
    const big = Float64Array.from({ length: 1000 }, (_, i) => i);
    expect(run(m, 'sum', [big, token])[0]).toBe(499500);
  });

  it('rejects an array of the wrong element type', () => {
    const error = raisedBy(guardedSumModule(), 'sum', [new Int32Array(3), { kind: 'state', state: 'mem' }]);
    expect(error.errorName).toBe('TypeError');
    expect(error.message).toBe("argument 0 of 'sum' must be f64[], got Int32Array(3)");
  });
});

describe('program errors', () => {
  it('raises a RangeError for an out-of-bounds load, naming the node', () => {
    const b = new ModuleBuilder();
    let loadId = -1;
    const get = b.lambda('get', [array(i32), i64, mem], (f, [a, i, s]) => {
      const [v, s2] = f.op('array.load', [a!, i!, s!], {}, { line: 3, column: 7 });
      loadId = (v!.origin as { node: number }).node;
      return [v!, s2!];
    });
    const m = b.export('get', get).build();
    const token = { kind: 'state', state: 'mem' } as const;
    expect(run(m, 'get', [new Int32Array([4, 5]), 1n, token])).toEqual([5, token]);
    const error = raisedBy(m, 'get', [new Int32Array([4, 5]), 2n, token]);
    expect(error.errorName).toBe('RangeError');
    // What native code throws: the JavaScript class, and the message with the node's line.
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(OpError);
    expect(String(error)).toBe('RangeError: index 2 is out of bounds for an array of length 2 (line 3)');
    expect(error.reason).toBe('index 2 is out of bounds for an array of length 2');
    expect(error.nodeId).toBe(loadId);
    expect(error.op).toBe('array.load');
    expect(error.loc).toEqual({ line: 3, column: 7 });
    expect(raisedBy(m, 'get', [new Int32Array([4, 5]), -1n, token]).errorName).toBe('RangeError');
  });

  it('raises the error class and message of a raise op', () => {
    const b = new ModuleBuilder();
    const fail = b.lambda('fail', [bool, io], (f, [c, s]) =>
      f.gamma(
        c!,
        [
          (_e, [st]) => [st!],
          (t, [st]) => [t.op1('raise', [st!], { error: 'TypeError', message: 'not a number' }, { line: 1, column: 2 })],
        ],
        [s!],
      ),
    );
    const m = b.export('fail', fail).build();
    expect(run(m, 'fail', [false, { kind: 'state', state: 'io' }])).toHaveLength(1);
    const error = raisedBy(m, 'fail', [true, { kind: 'state', state: 'io' }]);
    expect([error.errorName, error.message, error.loc]).toEqual([
      'TypeError',
      'not a number (line 1)',
      { line: 1, column: 2 },
    ]);
    expect(error).toBeInstanceOf(TypeError);
  });

  it('passes an error raised in a callee through the calls unchanged', () => {
    const b = new ModuleBuilder();
    const inner = b.lambda('inner', [io], (f, [s]) => [f.op1('raise', [s!], { error: 'Error', message: 'deep' })]);
    const outer = b.lambda('outer', [io], (f, [s]) => f.call(inner, [s!]));
    const m = b.export('outer', outer).build();
    const error = raisedBy(m, 'outer', [{ kind: 'state', state: 'io' }]);
    expect([error.errorName, error.message, error.op]).toEqual(['Error', 'deep', 'raise']);
  });

  it('checks the number and types of arguments', () => {
    const m = factorialModule();
    const wrongType = raisedBy(m, 'fact', [5]);
    expect(wrongType.errorName).toBe('TypeError');
    expect(wrongType.message).toBe("argument 0 of 'fact' must be i64, got 5");
    const wrongCount = raisedBy(m, 'fact', [5n, 6n]);
    expect(wrongCount.message).toBe("'fact' expects 1 argument(s), got 2");
    expect(raisedBy(m, 'fact', [2n ** 63n]).errorName).toBe('TypeError');
  });

  it('stops an endless loop when the fuel runs out', () => {
    const b = new ModuleBuilder();
    const spin = b.lambda('spin', [i32], (f, [x]) =>
      f.theta([x!], (l, [v]) => ({ repeat: l.const(true, bool), next: [l.op1('arith.add', [v!, l.const(1, i32)])] })),
    );
    const m = b.export('spin', spin).build();
    for (const form of pipeline(m)) expect(() => interpret(form, 'spin', [0], { fuel: 10_000 })).toThrow(FuelExhausted);
    // An empty body consumes fuel too: every iteration costs a step.
    const b2 = new ModuleBuilder();
    const idle = b2.lambda('idle', [bool], (f, [c]) => f.theta([c!], (_l, [v]) => ({ repeat: v!, next: [v!] })));
    const m2 = b2.export('idle', idle).build();
    for (const form of pipeline(m2)) {
      expect(interpret(form, 'idle', [false], { fuel: 100 })).toEqual([false]);
      expect(() => interpret(form, 'idle', [true], { fuel: 100 })).toThrow(FuelExhausted);
    }
  });

  it('reports JavaScript stack overflow of runaway recursion as a RangeError', () => {
    const b = new ModuleBuilder();
    const [loop] = b.phi([fn([i64], [i64])], (p, [self]) => [p.lambda('loop', [i64], (f, [n]) => f.call(self!, [n!]))]);
    const m = b.export('loop', loop!).build();
    const error = raisedBy(m, 'loop', [1n]);
    expect([error.errorName, error.message]).toEqual(['RangeError', 'Maximum call stack size exceeded']);
  });
});

describe('module-level values', () => {
  it('evaluates deltas and imports, and returns non-function exports as one value', () => {
    const b = new ModuleBuilder();
    const scale = b.import('scale', fn([f64], [f64]));
    const offset = b.delta('offset', (r) => r.const(0.5, f64));
    const g = b.lambda('g', [f64], (f, [x]) => {
      const [y] = f.call(scale, [x!]);
      return [f.op1('arith.add', [y!, offset])];
    });
    const m = b.export('g', g).export('offset', offset).build();
    const double: FunctionValue = {
      kind: 'function',
      name: 'double',
      type: fn([f64], [f64]),
      invoke: ([x]) => [(x as number) * 2],
    };
    for (const form of pipeline(m)) {
      expect(interpret(form, 'g', [3], { imports: { scale: double } })).toEqual([6.5]);
      expect(interpret(form, 'offset', [], { imports: { scale: double } })).toEqual([0.5]);
      expect(() => interpret(form, 'g', [3])).toThrow(/missing import 'scale'/);
      expect(() => interpret(form, 'nope', [], { imports: { scale: double } })).toThrow(/no export 'nope'/);
    }
    const exports = instantiate(m, { imports: { scale: double } });
    expect((exports['g'] as FunctionValue).invoke([1])).toEqual([2.5]);
  });
});

describe('interpreter scale', () => {
  it('evaluates a region of 100k nodes without deep recursion', () => {
    const b = new ModuleBuilder();
    const chain = b.lambda('chain', [i64], (f, [x]) => {
      let v = x!;
      const one = f.const(1n, i64);
      for (let i = 0; i < 100_000; i++) v = f.op1('arith.add', [v, one]);
      return [v];
    });
    const m = b.export('chain', chain).build();
    expect(interpret(m, 'chain', [5n])).toEqual([100_005n]);
  });

  it('runs a theta of a million iterations iteratively, without running out of stack', () => {
    const b = new ModuleBuilder();
    const count = b.lambda('count', [i32], (f, [n]) => {
      const [total] = f.theta([f.const(0, i32), f.const(0, i32)], (l, [acc, i]) => {
        const i2 = l.op1('arith.add', [i!, l.const(1, i32)]);
        return { repeat: l.op1('arith.lt', [i2, n!]), next: [l.op1('arith.add', [acc!, i!]), i2] };
      });
      return [total!];
    });
    const m = b.export('count', count).build();
    // Speed is measured by the benchmarks, not asserted here.
    expect(interpret(m, 'count', [1_000_000])).toEqual([(499_999_500_000 % 2 ** 32) | 0]);
  });
});
