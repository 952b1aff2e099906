import { describe, expect, it } from 'vitest';
import { ModuleBuilder } from './builder.js';
import { i64, f64 } from '../types/type.js';

describe('ModuleBuilder', () => {
  it('routes outer values into a theta as invariant loop variables', () => {
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
    const m = b.export('fact', fact).build();
    const lambda = m.region.nodes[0]!;
    expect(lambda.kind).toBe('lambda');
    const theta = lambda.regions[0]!.nodes.find((n) => n.kind === 'theta')!;
    expect(theta.inputs).toHaveLength(3);
    expect(theta.regions[0]!.results).toHaveLength(4);
    expect(Object.isFrozen(m.region)).toBe(true);
    expect(() => b.lambda('bad', [f64], (r, [x]) => [r.op1('arith.add', [x!, r.const(1n, i64)])])).toThrow(
      /operands must have the same type/,
    );
  });
});
