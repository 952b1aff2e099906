import { describe, expect, it } from 'vitest';
import { ModuleBuilder } from '../builder/builder.js';
import { FuelExhausted } from '../interpreter/interpret.js';
import { memToken } from '../interpreter/value.js';
import { array, bool, f64, i64, mem } from '../types/type.js';
import { observe, sameOutcome, sameValue } from './observe.js';

function scaleModule() {
  const b = new ModuleBuilder();
  const scale = b.lambda('scale', [array(f64), i64, mem], (f, [a, i, s]) => {
    const [v, s2] = f.op('array.load', [a!, i!, s!]);
    const [s3] = f.op('array.store', [a!, i!, f.op1('arith.mul', [v!, f.const(2, f64)]), s2!]);
    return [v!, s3!];
  });
  const spin = b.lambda('spin', [bool], (f, [c]) => f.theta([c!], (_l, [v]) => ({ repeat: v!, next: [v!] })));
  return b.export('scale', scale).export('spin', spin).build();
}

describe('observe', () => {
  it('reports results and final array contents without touching the caller’s arrays', () => {
    const input = new Float64Array([1, 2.5]);
    const outcome = observe(scaleModule(), 'scale', [input, 1n, memToken]);
    expect(outcome).toEqual({ kind: 'return', results: [2.5, memToken], arrays: [new Float64Array([1, 5])] });
    expect(input).toEqual(new Float64Array([1, 2.5]));
  });

  it('reports program errors as outcomes and lets fuel exhaustion through', () => {
    expect(observe(scaleModule(), 'scale', [new Float64Array(1), 3n, memToken])).toEqual({
      kind: 'raise',
      errorName: 'RangeError',
      message: 'index 3 is out of bounds for an array of length 1',
    });
    expect(() => observe(scaleModule(), 'spin', [true], { fuel: 50 })).toThrow(FuelExhausted);
  });

  it('compares values exactly', () => {
    expect(sameValue(NaN, NaN)).toBe(true);
    expect(sameValue(0, -0)).toBe(false);
    expect(sameValue(1n, 1n)).toBe(true);
    expect(sameValue(1n, 1)).toBe(false);
    expect(sameValue(new Float64Array([NaN]), new Float64Array([NaN]))).toBe(true);
    expect(sameValue(new Float64Array([0]), new Float64Array([-0]))).toBe(false);
    expect(sameValue(new Float64Array([1]), new Float32Array([1]))).toBe(false);
    expect(sameValue(memToken, { kind: 'state', state: 'mem' })).toBe(true);
    expect(sameValue([1, [true]], [1, [true]])).toBe(true);
    const ok = { kind: 'return', results: [NaN], arrays: [] } as const;
    expect(sameOutcome(ok, { kind: 'return', results: [NaN], arrays: [] })).toBe(true);
    expect(sameOutcome(ok, { kind: 'raise', errorName: 'RangeError', message: 'x' })).toBe(false);
  });
});
