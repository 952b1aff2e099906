import { ModuleBuilder } from '../builder/builder.js';
import type { Module } from '../nodes/module.js';
import { array, f64, fn, i64, io, mem, type FloatType, type IntType } from '../types/type.js';

/**
 * Small valid modules covering every node kind (`@rvsdg/ir/testing`): the
 * examples test runs them, the verifier's tests corrupt them, other
 * packages' tests can start from them.
 */

/** `value` as a constant of `type`: 64-bit integers are BigInts. */
function literal(value: number, type: IntType | FloatType): number | bigint {
  return type.kind === 'int' && type.bits === 64 ? BigInt(value) : value;
}

/**
 * Factorial with a theta loop: acc *= i while ++i <= n, in any number type
 * (i64 wraps past 2^63, f64 reaches Infinity).
 */
export function factorialModule(type: IntType | FloatType = i64): Module {
  const unit = literal(1, type);
  const b = new ModuleBuilder();
  const fact = b.lambda('fact', [type], (f, [n]) => {
    const one = f.const(unit, type);
    const [acc] = f.theta([one, one], (l, [acc, i]) => {
      const acc2 = l.op1('arith.mul', [acc!, i!]);
      const i2 = l.op1('arith.add', [i!, l.const(unit, type)]);
      return { repeat: l.op1('arith.le', [i2, n!]), next: [acc2, i2] };
    });
    return [acc!];
  });
  return b.export('fact', fact).build();
}

/** Absolute value with a gamma. */
export function absModule(): Module {
  const b = new ModuleBuilder();
  const abs = b.lambda('abs', [f64], (f, [x]) => {
    const negative = f.op1('arith.lt', [x!, f.const(0, f64)]);
    return f.ifElse(
      negative,
      (r) => [r.op1('arith.neg', [x!])],
      () => [x!],
    );
  });
  return b.export('abs', abs).build();
}

/** Recursive Fibonacci in a phi, in any integer type: the lambda calls itself through the recursion variable. */
export function fibModule(type: IntType = i64): Module {
  const b = new ModuleBuilder();
  const [fib] = b.phi([fn([type], [type])], (p, [self]) => [
    p.lambda('fib', [type], (f, [n]) => {
      const small = f.op1('arith.lt', [n!, f.const(literal(2, type), type)]);
      return f.ifElse(
        small,
        () => [n!],
        (r) => {
          const [a] = r.call(self!, [r.op1('arith.sub', [n!, r.const(literal(1, type), type)])]);
          const [c] = r.call(self!, [r.op1('arith.sub', [n!, r.const(literal(2, type), type)])]);
          return [r.op1('arith.add', [a!, c!])];
        },
      );
    }),
  ]);
  return b.export('fib', fib!).build();
}

/** Sum of a non-empty Float64Array (an empty one raises a RangeError): loads thread the memory state through a theta. */
export function sumModule(): Module {
  const b = new ModuleBuilder();
  const sum = b.lambda('sum', [array(f64), mem], (f, [values, state]) => {
    const length = f.op1('array.length', [values!]);
    const zero = f.const(0n, i64);
    const [, total, after] = f.theta([zero, f.const(0, f64), state!], (l, [i, acc, s]) => {
      const [x, s2] = l.op('array.load', [values!, i!, s!]);
      const i2 = l.op1('arith.add', [i!, l.const(1n, i64)]);
      return { repeat: l.op1('arith.lt', [i2, length]), next: [i2, l.op1('arith.add', [acc!, x!]), s2!] };
    });
    return [total!, after!];
  });
  return b.export('sum', sum).build();
}

/**
 * Sum of a Float64Array of any length: a gamma skips the loop when it is
 * empty; the state enters it as an entry variable, used once in each branch.
 */
export function guardedSumModule(): Module {
  const b = new ModuleBuilder();
  const sum = b.lambda('sum', [array(f64), mem], (f, [values, state]) => {
    const zero = f.const(0, f64);
    const length = f.op1('array.length', [values!]);
    const nonEmpty = f.op1('arith.gt', [length, f.const(0n, i64)]);
    return f.gamma(
      nonEmpty,
      [
        (_e, [s]) => [zero, s!],
        (t, [s]) => {
          const [total, , after] = t.theta([zero, t.const(0n, i64), s!], (l, [acc, i, st]) => {
            const [x, st2] = l.op('array.load', [values!, i!, st!]);
            const i2 = l.op1('arith.add', [i!, l.const(1n, i64)]);
            return { repeat: l.op1('arith.lt', [i2, length]), next: [l.op1('arith.add', [acc!, x!]), i2, st2!] };
          });
          return [total!, after!];
        },
      ],
      [state!],
    );
  });
  return b.export('sum', sum).build();
}

/** Imports, a delta global and an io state passed through: the module-level parts of the IR. */
export function globalsModule(): Module {
  const b = new ModuleBuilder();
  const scale = b.import('scale', f64);
  const twice = b.delta('twice', (d) => d.op1('arith.mul', [scale, d.const(2, f64)]));
  const apply = b.lambda('apply', [f64, io], (f, [x, state]) => [f.op1('arith.mul', [x!, twice]), state!]);
  return b.export('apply', apply).export('twice', twice).build();
}

export const exampleModules: Readonly<Record<string, () => Module>> = {
  factorial: factorialModule,
  abs: absModule,
  fib: fibModule,
  sum: sumModule,
  guardedSum: guardedSumModule,
  globals: globalsModule,
};
