import { bool, f64, i32, mem, memToken, OpError, unknown, type IRValue, type OpDef, type Type } from '@rvsdg/ir';
import { describe, expect, it } from 'vitest';
import { jsDialect, jsRegistry } from './js-dialect.js';

function op(name: string): OpDef {
  const def = jsRegistry.get(name);
  if (!def) throw new Error(`no op ${name}`);
  return def;
}

/** Evaluates an op on values, typing every value operand `?` and state operands `mem`. */
function evaluate(name: string, operands: readonly IRValue[], attrs: Record<string, string> = {}): readonly IRValue[] {
  const def = op(name);
  const operandTypes: Type[] = operands.map((v) => (v === memToken ? mem : unknown));
  const resultTypes = def.typeOf(operandTypes, attrs);
  if (typeof resultTypes === 'string') throw new Error(resultTypes);
  return def.evaluate(operands, { attrs, operandTypes, resultTypes }, { call: () => [], loc: { line: 7, column: 3 } });
}

function programError(run: () => unknown): OpError {
  try {
    run();
  } catch (error) {
    if (error instanceof OpError) return error;
    throw error;
  }
  throw new Error('expected an OpError');
}

describe('js dialect', () => {
  it('is registered on top of the default registry', () => {
    expect(jsRegistry.hasDialect('js')).toBe(true);
    expect(jsRegistry.get('arith.add')).toBeDefined();
    for (const def of jsDialect.ops) expect(def.name.startsWith('js.')).toBe(true);
  });

  it('types throwing ops as (values..., mem) -> (?, mem) and pure ops without state', () => {
    expect(op('js.add').typeOf([unknown, unknown, mem], {})).toEqual([unknown, mem]);
    expect(op('js.add').typeOf([unknown, unknown], {})).toBe('the last operand must be mem');
    expect(op('js.lt').typeOf([unknown, f64], {})).toEqual([unknown]);
    expect(op('js.truthy').typeOf([unknown], {})).toEqual([bool]);
    expect(op('js.store').typeOf([unknown, unknown, unknown, mem], {})).toEqual([mem]);
    expect(op('js.math').typeOf([unknown, mem], { fn: 'random' })).toMatch(/attribute 'fn' must be one of/);
    expect(op('js.new_array').typeOf([i32, mem], { kind: 'Float64Array' })).toEqual([unknown, mem]);
    expect(op('js.add').effects).toEqual(['throw']);
    expect(op('js.eq').effects).toEqual([]);
    expect(op('js.store').effects).toEqual(['write', 'throw']);
  });

  it('evaluates with JavaScript semantics', () => {
    expect(evaluate('js.add', [1, true, memToken])).toEqual([2, memToken]);
    expect(evaluate('js.add', [2n ** 63n, 1n, memToken])[0]).toBe(2n ** 63n + 1n);
    expect(evaluate('js.ushr', [-1, 0, memToken])[0]).toBe(4294967295);
    expect(evaluate('js.rem', [-1, 1, memToken])[0]).toBe(-0);
    expect(evaluate('js.looseeq', [1n, true])[0]).toBe(true);
    expect(evaluate('js.lt', [1n, 1.5])[0]).toBe(true);
    expect(evaluate('js.math', [3, -4, 2, memToken], { fn: 'max' })[0]).toBe(3);
    expect(evaluate('js.math', [0x7fffffff, 2, memToken], { fn: 'imul' })[0]).toBe(-2);
    expect(evaluate('js.inc', [2n ** 64n])[0]).toBe(2n ** 64n + 1n);
    expect(evaluate('js.to_numeric', [undefined])[0]).toBe(NaN);
  });

  it('answers typeof tests as JavaScript does, and refuses types typeof never answers', () => {
    expect(evaluate('js.typeof_is', [1], { type: 'number' })).toEqual([true]);
    expect(evaluate('js.typeof_is', [1n], { type: 'number' })).toEqual([false]);
    expect(evaluate('js.typeof_is', [undefined], { type: 'undefined' })).toEqual([true]);
    expect(evaluate('js.typeof_is', [new Float64Array(1)], { type: 'object' })).toEqual([true]);
    expect(op('js.typeof_is').typeOf([unknown], { type: 'array' })).toMatch(/type/);
  });

  it('turns JavaScript TypeErrors and RangeErrors into program errors at the op location', () => {
    const mixing = programError(() => evaluate('js.mul', [1n, 2, memToken]));
    expect(mixing.errorName).toBe('TypeError');
    expect(mixing.message).toBe('Cannot mix BigInt and other types, use explicit conversions');
    expect(mixing.loc).toEqual({ line: 7, column: 3 });
    expect(programError(() => evaluate('js.div', [1n, 0n, memToken])).errorName).toBe('RangeError');
    expect(programError(() => evaluate('js.plus', [1n, memToken])).errorName).toBe('TypeError');
    expect(programError(() => evaluate('js.math', [1n, memToken], { fn: 'abs' })).errorName).toBe('TypeError');
  });

  it('refuses results that would be strings', () => {
    const error = programError(() => evaluate('js.add', [new Float64Array(1), 1, memToken]));
    expect(error.errorName).toBe('TypeError');
    expect(error.message).toMatch(/strings are not supported/);
  });

  it('reads and writes TypedArray elements with bounds checks', () => {
    const a = new Uint8ClampedArray(2);
    expect(evaluate('js.store', [a, 1, 300.5, memToken])).toEqual([memToken]);
    expect(evaluate('js.store', [a, -0, 2.5, memToken])).toEqual([memToken]);
    expect([...a]).toEqual([2, 255]);
    expect(evaluate('js.load', [a, 1n, memToken])).toEqual([255, memToken]);
    for (const index of [2, -1, 0.5, NaN, 2n]) {
      const error = programError(() => evaluate('js.load', [a, index, memToken]));
      expect(error.errorName).toBe('RangeError');
      expect(error.message).toMatch(/out of bounds for a Uint8ClampedArray of length 2/);
    }
    expect(programError(() => evaluate('js.store', [a, 5, 1, memToken])).errorName).toBe('RangeError');
  });

  it('converts the stored value before checking the index, as JavaScript does', () => {
    const big = new BigInt64Array(1);
    const error = programError(() => evaluate('js.store', [big, 9, 1, memToken]));
    expect(error.errorName).toBe('TypeError');
    expect(error.message).toBe('Cannot convert 1 to a BigInt');
    evaluate('js.store', [big, 0, 2n ** 63n, memToken]);
    expect(big[0]).toBe(-(2n ** 63n));
  });

  it('reports lengths and iteration the way JavaScript does', () => {
    expect(evaluate('js.length', [new Int16Array(3), memToken])[0]).toBe(3);
    expect(evaluate('js.length', [5, memToken])[0]).toBe(undefined);
    expect(programError(() => evaluate('js.length', [undefined, memToken])).message).toBe(
      "Cannot read properties of undefined (reading 'length')",
    );
    expect(programError(() => evaluate('js.iter_length', [5, memToken])).errorName).toBe('TypeError');
  });

  it('allocates zero-filled TypedArrays of a given length', () => {
    const [array] = evaluate('js.new_array', [2.7, memToken], { kind: 'Int32Array' });
    expect(array).toEqual(new Int32Array(2));
    expect(programError(() => evaluate('js.new_array', [-1, memToken], { kind: 'Int32Array' })).errorName).toBe(
      'RangeError',
    );
    expect(programError(() => evaluate('js.new_array', [2 ** 40, memToken], { kind: 'Int8Array' })).errorName).toBe(
      'RangeError',
    );
    expect(programError(() => evaluate('js.new_array', [1n, memToken], { kind: 'Int8Array' })).errorName).toBe(
      'TypeError',
    );
  });
});
