import { describe, expect, it } from 'vitest';
import { ModuleBuilder, i32, type Value } from '@rvsdg/ir';
import { runPipeline } from '../manager/pass-manager.js';
import { simplifyTheta } from './simplify-theta.js';

describe('simplify-theta', () => {
  it('reports no change on a second run: an invariant loop variable read inside and not after the loop stays', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32], (r, [n]) => {
      const [i] = r.theta([r.const(0, i32), n as Value], (l, [i, bound]) => {
        const next = l.op1('arith.add', [i as Value, l.const(1, i32)]);
        return { repeat: l.op1('arith.lt', [next, bound as Value]), next: [next, bound as Value] };
      });
      return [i as Value];
    });
    const module = b.export('f', f).build();
    const once = runPipeline(simplifyTheta, module);
    const twice = runPipeline(simplifyTheta, once.module);
    expect(once.changed).toBe(false);
    expect(twice.changed).toBe(false);
    expect(twice.records.map((r) => r.changed)).toEqual([false]);
    expect(twice.statistics.toString()).toBe('');
  });
});
