import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jit } from './index.js';
import {
  i64Limit,
  programFunction,
  randomArguments,
  randomProgram,
  type RandomProgram,
} from './testing/random-program.js';

/**
 * Random programs (source text from ./testing/random-program.ts) run in V8
 * and through `jit` on the same arguments: same result (`Object.is`), same
 * elements left in the Float64Array. Compiling costs tens of milliseconds
 * per function, so programs are compiled in batches: one entry function
 * calls program k for `k`, and the programs come along through its scope
 * (which is also how jitted code calls other functions). A batch that
 * disagrees is narrowed down to the program that does, compiled alone.
 */

const batchSize = 25;
// RANDOM_PROGRAM_BATCHES=400 runs 10,000 programs (minutes): for a longer search than the default run.
const batches = Number(process.env['RANDOM_PROGRAM_BATCHES'] ?? 20);
const argumentSets = 4;

type Program = (a: number, b: number, xs: Float64Array) => number;

function batchFunction(size: number): (k: number, a: number, b: number, xs: Float64Array) => number {
  const cases = Array.from({ length: size }, (_, k) => `  if (k === ${k}) return f${k}(a, b, xs);`).join('\n');
  return new Function(`return function batch(k, a, b, xs) {\n${cases}\n  return 0;\n}`)() as never;
}

function show(value: unknown): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

function run(body: () => number): { value?: number; error?: string; limit?: boolean } {
  try {
    return { value: body() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}`, limit: i64Limit(error as Error) };
  }
}

/** Undefined when V8 and compiled code agree on these arguments, else what differs. */
function disagreement(
  v8: Program,
  compiled: (a: number, b: number, xs: Float64Array) => number,
  [a, b, xs]: readonly [number, number, Float64Array],
): string | undefined {
  const xsV8 = xs.slice();
  const xsJit = xs.slice();
  const expected = run(() => v8(a, b, xsV8));
  const actual = run(() => compiled(a, b, xsJit));
  const sameArray = xsV8.every((x, i) => Object.is(x, xsJit[i]));
  if (expected.error === actual.error && Object.is(expected.value, actual.value) && sameArray) return undefined;
  // Where a BigInt's exact value leaves 64 bits, compiled code throws a RangeError instead (the semantics contract).
  if (actual.limit && !expected.limit) return undefined;
  return (
    `arguments (${show(a)}, ${show(b)}, [${Array.from(xs, show)}]): ` +
    `V8 ${expected.error ?? show(expected.value)} [${Array.from(xsV8, show)}], ` +
    `jit ${actual.error ?? show(actual.value)} [${Array.from(xsJit, show)}]`
  );
}

function checkAlone(program: RandomProgram, args: readonly (readonly [number, number, Float64Array])[]): void {
  const v8 = programFunction(program) as Program;
  const compiled = jit(v8, { scope: program.scope ?? {} });
  for (const set of args) {
    const problem = disagreement(v8, compiled, set);
    if (problem) throw new Error(`${problem}\n${program.source}`);
  }
}

describe(`random programs: jit agrees with V8 (${batches} batches of ${batchSize}, ${argumentSets} argument sets each)`, () => {
  for (let n = 0; n < batches; n++) {
    it(`batch ${n + 1}`, () => {
      let checked = 0;
      fc.assert(
        fc.property(
          fc.array(randomProgram, { minLength: batchSize, maxLength: batchSize }),
          fc.array(randomArguments, { minLength: argumentSets, maxLength: argumentSets }),
          (batch, args) => {
            const v8 = batch.map((p) => programFunction(p) as Program);
            const constants = Object.assign({}, ...batch.map((p) => p.scope ?? {})) as Record<string, bigint>;
            const scope = { ...constants, ...Object.fromEntries(v8.map((fn, k) => [`f${k}`, fn])) };
            const compiled = jit(batchFunction(batch.length), { scope });
            batch.forEach((program, k) => {
              for (const set of args) {
                if (disagreement(v8[k] as Program, (a, b, xs) => compiled(k, a, b, xs), set)) {
                  checkAlone(program, args);
                  throw new Error(`program ${k} disagrees in its batch but not alone:\n${program.source}`);
                }
              }
            });
            checked += batch.length;
          },
        ),
        { numRuns: 1 },
      );
      expect(checked).toBe(batchSize);
    });
  }
});
