import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { array, f64, i64, bool, u8, type Type } from '@rvsdg/ir';
import {
  argumentKinds,
  describeValue,
  kindCodeOf,
  kindOf,
  ordinal,
  parseSignature,
  printParams,
  printSignature,
  SignatureSyntaxError,
} from './signature.js';
import { parameterNames } from './parameters.js';

describe('argument kinds', () => {
  it('maps every JavaScript value a jitted function accepts to its IR type', () => {
    expect(kindOf(1.5)?.type).toBe(f64);
    expect(kindOf(NaN)?.type).toBe(f64);
    expect(kindOf(true)?.type).toBe(bool);
    expect(kindOf(2n ** 70n)?.type).toBe(i64);
    expect(kindOf(new Uint8ClampedArray(1))?.type).toBe(array(u8, { clamped: true }));
    expect(kindOf(new Uint8Array(1))?.type).toBe(array(u8));
    // An omitted argument or undefined: a constant of its specialization, printed `undefined`.
    expect(kindOf(undefined)?.name).toBe('undefined');
    expect(printParams([f64, kindOf(undefined)?.type as Type])).toBe('(f64, undefined)');
    expect(parseSignature('(number, undefined)').params).toEqual([f64, kindOf(undefined)?.type]);
    for (const kind of argumentKinds.filter((k) => k.typedArray)) {
      const Ctor = (globalThis as unknown as Record<string, new (n: number) => unknown>)[kind.name] as new (
        n: number,
      ) => unknown;
      expect(kindOf(new Ctor(2))).toBe(kind);
    }
  });

  it('refuses everything else, including look-alikes', () => {
    const fake = { [Symbol.toStringTag]: 'Float64Array', length: 1, 0: 1 };
    const proxy = new Proxy(new Float64Array(1), {});
    for (const value of [null, 'x', Symbol('s'), {}, [1, 2], new DataView(new ArrayBuffer(1)), fake, proxy, () => 1]) {
      expect(kindCodeOf(value)).toBe(0);
    }
  });

  it('sees the real kind of a subclass or an array with a forged tag', () => {
    class Mine extends Float32Array {}
    const forged = new Int8Array(1);
    Object.defineProperty(forged, Symbol.toStringTag, { value: 'Float64Array' });
    expect(kindOf(new Mine(1))?.name).toBe('Float32Array');
    expect(kindOf(forged)?.name).toBe('Int8Array');
  });

  it('describes values for messages', () => {
    expect(describeValue('a')).toBe('string');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue([1])).toBe('Array');
    expect(describeValue(new Map())).toBe('object (Map)');
    expect(describeValue({})).toBe('object');
    expect(describeValue(new BigInt64Array(1))).toBe('BigInt64Array');
  });

  it('numbers ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
  });
});

describe('signature text', () => {
  it('parses IR and JavaScript spellings to the same types', () => {
    const a = parseSignature('(f64, f64[], i64, bool, u8c[])');
    const b = parseSignature('(number, Float64Array, bigint, boolean, Uint8ClampedArray)');
    expect(a.params).toEqual(b.params);
    expect(a.params[4]).toBe(array(u8, { clamped: true }));
    expect(parseSignature('()').params).toEqual([]);
  });

  it('prints what it parses (print -> parse -> print is the identity)', () => {
    const kinds = fc.constantFrom(...argumentKinds.map((k) => k.type));
    const results = fc.oneof(
      fc.constant([]),
      kinds.map((t) => [t]),
    );
    fc.assert(
      fc.property(fc.array(kinds, { maxLength: 6 }), fc.option(results, { nil: undefined }), (params, res) => {
        const text = printSignature(res ? { params, results: res } : { params });
        const parsed = parseSignature(text);
        expect(printSignature(parsed)).toBe(text);
        expect(parsed.params).toEqual(params);
      }),
    );
  });

  it('prints results, undefined for none', () => {
    expect(printSignature({ params: [f64, array(f64)], results: [f64] })).toBe('(f64, f64[]) -> f64');
    expect(printSignature({ params: [], results: [] })).toBe('() -> undefined');
    expect(parseSignature('(f64) -> i32').results?.[0]?.kind).toBe('int');
  });

  it('rejects types JavaScript cannot pass, with a reason', () => {
    expect(() => parseSignature('(i32)')).toThrow(/numbers are f64/);
    expect(() => parseSignature('(f64')).toThrow(SignatureSyntaxError);
    expect(() => parseSignature('(string)')).toThrow(/unknown type 'string'/);
    expect(() => parseSignature('(bool[])')).toThrow(/not the type of a TypedArray/);
    expect(() => parseSignature('(f64,)')).toThrow(/empty parameter/);
  });
});

describe('parameter names', () => {
  it('reads names from declarations, expressions, arrows and defaults', () => {
    function dot(x: number, y: number) {
      return x + y;
    }
    expect(parameterNames(dot)).toEqual(['x', 'y']);
    expect(parameterNames((a: number, b = 2) => a + b)).toEqual(['a', 'b']);
    expect(
      parameterNames(function (p: number) {
        return p;
      }),
    ).toEqual(['p']);
    expect(parameterNames(({ a }: { a: number }) => a)).toEqual(['#1']);
  });

  it('falls back to numbered names for sources it cannot parse', () => {
    const method = {
      m(a: number, b: number) {
        return a + b;
      },
    }.m;
    expect(parameterNames(method)).toEqual(['a', 'b']);
    expect(parameterNames(Math.max)).toEqual(['#1', '#2']);
  });
});
