import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundHalfEven } from './math.js';

/** Round half to even spelled out from floor: the tie goes to the even neighbour. */
function reference(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  const floor = Math.floor(x);
  const fraction = x - floor;
  const up = fraction > 0.5 || (fraction === 0.5 && floor % 2 !== 0);
  const r = up ? floor + 1 : floor;
  // A negative value that rounds to zero keeps its sign.
  return r === 0 && x < 0 ? -0 : r;
}

describe('math.roundeven', () => {
  it('rounds ties to the even neighbour, keeping the sign of zero', () => {
    const cases: [number, number][] = [
      [0.5, 0],
      [1.5, 2],
      [2.5, 2],
      [-0.5, -0],
      [-1.5, -2],
      [-2.5, -2],
      [0.49999999999999994, 0],
      [2 ** 52 + 1, 2 ** 52 + 1],
      [-0, -0],
      [Infinity, Infinity],
    ];
    for (const [x, r] of cases) expect(Object.is(roundHalfEven(x), r), `${x}`).toBe(true);
    expect(roundHalfEven(NaN)).toBeNaN();
  });

  it('agrees with rounding from floor on every double', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double(),
          fc.integer({ min: -1000, max: 1000 }).map((n) => n / 2),
        ),
        (x) => Object.is(roundHalfEven(x), reference(x)),
      ),
      { numRuns: 5000 },
    );
  });

  it('is how V8 rounds a store into a Uint8ClampedArray', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 255, noNaN: true }), (x) => {
        return new Uint8ClampedArray([x])[0] === roundHalfEven(x);
      }),
      { numRuns: 5000 },
    );
    for (let k = 0; k <= 510; k++) expect(new Uint8ClampedArray([k / 2])[0]).toBe(roundHalfEven(k / 2));
  });
});
