import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jit } from './index.js';

/*
 * A store converts its value as the array's kind says (ToInt8 ... ToUint32
 * wrap, ToUint8Clamp clamps and rounds half to even). The compiled loops
 * do this with vector instructions and, for integer values, integer ones:
 * both must leave exactly V8's elements.
 */

const kinds = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array] as const;

const specials = [
  0,
  -0,
  0.5,
  1.5,
  2.5,
  -0.5,
  -1.5,
  254.5,
  255.5,
  255.49999999999997,
  256,
  -1,
  127.5,
  128,
  -128.5,
  65535.5,
  2 ** 31,
  -(2 ** 31) - 0.5,
  2 ** 32 + 3.5,
  2 ** 53,
  -(2 ** 60),
  1e300,
  -1e300,
  Infinity,
  -Infinity,
  NaN,
  5e-324,
];

function copyInto(src: Float64Array, dst: { length: number; [i: number]: number }): void {
  for (let i = 0; i < src.length; i++) dst[i] = src[i] as number;
}

function shiftedSums(src: Int32Array, dst: { length: number; [i: number]: number }, k: number): void {
  for (let i = 1; i < src.length; i++) dst[i] = (src[i - 1] as number) + (src[i] as number) - k;
}

describe('stores into integer TypedArrays', () => {
  it('convert doubles, special ones included, as V8 does for every integer kind', () => {
    const compiled = jit(copyInto);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.constantFrom(...specials)), { minLength: 1, maxLength: 200 }),
        (values) => {
          const src = Float64Array.from(values);
          for (const Kind of kinds) {
            const expected = new Kind(src.length);
            const actual = new Kind(src.length);
            copyInto(src, expected);
            compiled(src, actual);
            expect([...actual], Kind.name).toEqual([...expected]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('convert integer sums (held in integers) as V8 does, clamped or wrapped', () => {
    const compiled = jit(shiftedSums);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 2, maxLength: 200 }),
        fc.oneof(fc.integer({ min: -300, max: 300 }), fc.constantFrom(0.5, -0.5, 1e10)),
        (values, k) => {
          const src = Int32Array.from(values);
          for (const Kind of kinds) {
            const expected = new Kind(src.length);
            const actual = new Kind(src.length);
            shiftedSums(src, expected, k);
            compiled(src, actual, k);
            expect([...actual], `${Kind.name}, k = ${k}`).toEqual([...expected]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
