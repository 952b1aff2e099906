import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jit } from './index.js';
import { i64Limit, programFunction, randomArguments, randomProgram } from './testing/random-program.js';

/*
 * The random programs of random-programs.test.ts, with their array argument
 * passed as a plain Array of numbers instead of a Float64Array: V8 runs them
 * on one copy of the Array, jit on another (copied into a Float64Array,
 * changes written back); the results (`Object.is`), the errors and every
 * element left in the Arrays must be the same.
 */

const batchSize = 25;
const batches = 3;

type Program = (a: number, b: number, xs: number[]) => number;

function batchFunction(size: number): (k: number, a: number, b: number, xs: number[]) => number {
  const cases = Array.from({ length: size }, (_, k) => `  if (k === ${k}) return f${k}(a, b, xs);`).join('\n');
  return new Function(`return function batch(k, a, b, xs) {\n${cases}\n  return 0;\n}`)() as never;
}

function run(body: () => number): { value?: number; error?: string; limit?: boolean } {
  try {
    return { value: body() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}`, limit: i64Limit(error as Error) };
  }
}

describe('random programs on plain Arrays: jit agrees with V8, elements written back included', () => {
  for (let n = 0; n < batches; n++) {
    it(`batch ${n + 1}`, () => {
      let compared = 0;
      fc.assert(
        fc.property(
          fc.array(randomProgram, { minLength: batchSize, maxLength: batchSize }),
          fc.array(randomArguments, { minLength: 3, maxLength: 3 }),
          (batch, args) => {
            const v8 = batch.map((p) => programFunction(p) as unknown as Program);
            const constants = Object.assign({}, ...batch.map((p) => p.scope ?? {})) as Record<string, bigint>;
            const scope = { ...constants, ...Object.fromEntries(v8.map((fn, k) => [`f${k}`, fn])) };
            const compiled = jit(batchFunction(batch.length), { scope });
            batch.forEach((program, k) => {
              for (const [a, b, xs] of args) {
                const xsV8 = Array.from(xs);
                const xsJit = Array.from(xs);
                const expected = run(() => (v8[k] as Program)(a, b, xsV8));
                const actual = run(() => compiled(k, a, b, xsJit));
                // Where a BigInt's exact value leaves 64 bits, compiled code throws a RangeError instead (the contract).
                if (actual.limit && !expected.limit) continue;
                const same =
                  expected.error === actual.error &&
                  Object.is(expected.value, actual.value) &&
                  xsV8.length === xsJit.length &&
                  xsV8.every((x, i) => Object.is(x, xsJit[i]));
                if (!same) {
                  throw new Error(
                    `(${a}, ${b}, [${xs.join(', ')}]): V8 ${expected.error ?? expected.value} [${xsV8.join(', ')}], ` +
                      `jit ${actual.error ?? actual.value} [${xsJit.join(', ')}]\n${program.source}`,
                  );
                }
                compared++;
              }
            });
          },
        ),
        { numRuns: 1, endOnFailure: true },
      );
      expect(compared).toBeGreaterThan(0);
    });
  }
});
