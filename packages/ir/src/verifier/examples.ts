import { ModuleBuilder } from '../builder/builder.js';
import type { Module } from '../nodes/module.js';
import { array, f64, fn, i64, io, mem } from '../types/type.js';

/**
 * Small valid modules covering every node kind, used by the verifier's
 * tests as the starting points of corruptions.
 */

/** Factorial with a theta loop: acc *= i while ++i <= n. */
export function factorialModule(): Module {
  const b = new ModuleBuilder();
  const fact = b.lambda('fact', [i64], (f, [n]) => {
    const one = f.const(1n, i64);
    const [acc] = f.theta([one, one], (l, [acc, i]) => {
      const acc2 = l.op1('arith.mul', [acc!, i!]);
      const i2 = l.op1('arith.add', [i!, l.const(1n, i64)]);
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

/** Recursive Fibonacci in a phi: the lambda calls itself through the recursion variable. */
export function fibModule(): Module {
  const b = new ModuleBuilder();
  const type = fn([i64], [i64]);
  const [fib] = b.phi([type], (p, [self]) => [
    p.lambda('fib', [i64], (f, [n]) => {
      const small = f.op1('arith.lt', [n!, f.const(2n, i64)]);
      return f.ifElse(
        small,
        () => [n!],
        (r) => {
          const [a] = r.call(self!, [r.op1('arith.sub', [n!, r.const(1n, i64)])]);
          const [c] = r.call(self!, [r.op1('arith.sub', [n!, r.const(2n, i64)])]);
          return [r.op1('arith.add', [a!, c!])];
        },
      );
    }),
  ]);
  return b.export('fib', fib!).build();
}

/** Sum of a Float64Array: loads thread the memory state through a theta. */
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
  globals: globalsModule,
};
