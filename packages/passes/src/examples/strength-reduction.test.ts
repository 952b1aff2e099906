import { ModuleBuilder, i32, interpret } from '@rvsdg/ir';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../index.js';
import { checkPass } from '../testing/index.js';
import { strengthReduce } from './strength-reduction.js';

describe('strength-reduce (the pass of docs/writing-a-pass.md)', () => {
  it('turns x * 8 into x << 3', () => {
    const b = new ModuleBuilder();
    const f = b.lambda('f', [i32], (r, [x]) => [r.op1('arith.mul', [x!, r.const(8, i32)])]);
    const result = runPipeline(strengthReduce, b.export('f', f).build());
    expect(result.statistics.get('strength-reduce', 'reduced')).toBe(1);
    expect(interpret(result.module, 'f', [-5])).toEqual([-40]);
  });

  it('preserves meaning on generated modules', () => {
    checkPass(strengthReduce, { numRuns: 300 });
  });
});
