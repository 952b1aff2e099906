import { interpret, memToken } from '@rvsdg/ir';
import { expect, it } from 'vitest';
import { CompileError, fromFunction, jsRegistry } from '../index.js';

// The example of the README's "JavaScript frontend" section, kept runnable.
it('runs the README example', () => {
  const GAIN = 2;
  function scale(x: number): number {
    return x * GAIN;
  }
  function scaleAll(a: Float64Array): number {
    let sum = 0;
    for (let i = 0; i < a.length; i++) {
      a[i] = scale(a[i] as number);
      sum += a[i] as number;
    }
    return sum;
  }

  const { module, entry } = fromFunction(scaleAll, { scope: { scale, GAIN } });
  const data = new Float64Array([1, 2, 3]);
  // The js calling convention: (...params, mem) -> (value, mem).
  const [sum] = interpret(module, entry, [data, memToken], { registry: jsRegistry });
  expect(sum).toBe(12);
  expect([...data]).toEqual([2, 4, 6]);

  expect(() => fromFunction((o: { x: number }) => o.x)).toThrow(CompileError);
});
