import { describe, expect, it } from 'vitest';
import { ModuleBuilder } from './builder.js';
import { factorialModule } from '../testing/examples.js';
import { i64, f64 } from '../types/type.js';

describe('ModuleBuilder', () => {
  it('routes outer values into a theta as invariant loop variables', () => {
    // The factorial's theta reads `n` from the lambda region without naming it as a loop variable.
    const m = factorialModule();
    const lambda = m.region.nodes[0]!;
    expect(lambda.kind).toBe('lambda');
    const theta = lambda.regions[0]!.nodes.find((n) => n.kind === 'theta')!;
    expect(theta.inputs).toHaveLength(3);
    expect(theta.regions[0]!.results).toHaveLength(4);
    expect(Object.isFrozen(m.region)).toBe(true);
    const b = new ModuleBuilder();
    expect(() => b.lambda('bad', [f64], (r, [x]) => [r.op1('arith.add', [x!, r.const(1n, i64)])])).toThrow(
      /operands must have the same type/,
    );
  });
});
