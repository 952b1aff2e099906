import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { agree, corpus, outcome, show } from '@rvsdg/frontend/testing';
import { CompileError, jit, kindOf } from './index.js';

/**
 * The frontend's differential corpus, run through `jit`: for generated
 * arguments, the jitted function returns what V8 returns (`Object.is`),
 * leaves TypedArray arguments holding the same elements, and throws the
 * same error class with the same message. Arguments `jit` does not take
 * (undefined, strings...) must be refused with a TypeError, BigInts outside
 * 64 bits with a RangeError. Where the exact result of a BigInt operation
 * leaves 64 bits, the semantics contract asks for a RangeError instead of
 * V8's value. A signature the
 * compiler cannot type (a variable that is a number on one path and
 * undefined on another, say) must fail with a CompileError, never with a
 * wrong answer; those are listed at the end.
 */

const unsupported: string[] = [];

afterAll(() => {
  if (unsupported.length > 0) {
    console.log(`signatures refused with a CompileError (${unsupported.length}):\n  ${unsupported.join('\n  ')}`);
  }
});

describe('JavaScript corpus: jit agrees with V8', () => {
  corpus.forEach((testCase, index) => {
    const name = `${testCase.fn.name || 'anonymous'} #${index}`;
    it(name, () => {
      const jitted = jit(testCase.fn, testCase.scope ? { scope: testCase.scope } : {});
      const refused = new Map<string, string>();
      fc.assert(
        fc.property(testCase.args, (values) => {
          if (!values.every((v) => kindOf(v) !== undefined)) {
            expect(() => jitted(...values)).toThrow(TypeError);
            return;
          }
          if (values.some((v) => typeof v === 'bigint' && BigInt.asIntN(64, v) !== v)) {
            expect(() => jitted(...values)).toThrow(RangeError);
            return;
          }
          const signature = values.map((v) => kindOf(v)?.name).join(', ');
          if (refused.has(signature)) return;
          const expected = outcome(values, (a) => testCase.fn(...a));
          let actual;
          try {
            actual = outcome(values, (a) => jitted(...a));
          } catch (error) {
            if (!(error instanceof CompileError)) throw error;
            refused.set(signature, error.reason);
            return;
          }
          const i64Limit =
            actual.kind === 'error' && actual.name === 'RangeError' && /64 (signed )?bits/.test(actual.message);
          if (!i64Limit && !agree(expected, actual, testCase)) {
            throw new Error(`jit: expected ${show(expected)}, got ${show(actual)}`);
          }
        }),
        { numRuns: 40 },
      );
      for (const [signature, reason] of refused) unsupported.push(`${name} (${signature}): ${reason}`);
    });
  });
});
