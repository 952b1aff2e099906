import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { agree, corpus, outcome, show } from '@rvsdg/frontend/testing';
import { CompileError, jit, kindOf } from './index.js';

/**
 * The frontend's differential corpus, run through `jit`: for generated
 * arguments, the jitted function returns what V8 returns (`Object.is`),
 * leaves TypedArray arguments holding the same elements, and throws the
 * same error class with the same message (up to a run-time value V8 quotes
 * in it, as in "Cannot convert NaN to a BigInt": compiled code says "a
 * number" there). Arguments `jit` does not take
 * (undefined, strings...) must be refused with a TypeError, BigInts outside
 * 64 bits with a RangeError. Where the exact result of a BigInt operation
 * leaves 64 bits, the semantics contract asks for a RangeError instead of
 * V8's value. A signature the
 * compiler cannot type (a variable that is a number on one path and
 * undefined on another, say) must fail with a CompileError, never with a
 * wrong answer; those are listed at the end.
 */

const unsupported: string[] = [];
const quotedValues: string[] = [];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `actual` is V8's message `expected` with one word (a value V8 quoted) replaced by other words or none. */
function sameUpToQuotedValue(expected: string, actual: string): boolean {
  const words = expected.split(' ');
  return words.some((_, i) => {
    const before = words.slice(0, i).map(escape).join(' ');
    const after = words
      .slice(i + 1)
      .map(escape)
      .join(' ');
    return new RegExp(`^${before}\\s*[\\w ]*?\\s*${after}$`).test(actual);
  });
}

afterAll(() => {
  if (quotedValues.length > 0) {
    console.log(`messages that differ only in a value V8 quotes:\n  ${[...new Set(quotedValues)].join('\n  ')}`);
  }
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
          const quoted =
            expected.kind === 'error' &&
            actual.kind === 'error' &&
            expected.name === actual.name &&
            expected.message !== actual.message &&
            sameUpToQuotedValue(expected.message, actual.message) &&
            agree(expected, { ...actual, message: expected.message }, testCase);
          if (quoted && !quotedValues.some((q) => q.startsWith(`${name}:`))) {
            quotedValues.push(`${name}: V8 "${show(expected)}", jit "${show(actual)}"`);
          }
          if (!i64Limit && !quoted && !agree(expected, actual, testCase)) {
            throw new Error(`jit: expected ${show(expected)}, got ${show(actual)}`);
          }
        }),
        { numRuns: 40 },
      );
      for (const [signature, reason] of refused) unsupported.push(`${name} (${signature}): ${reason}`);
    });
  });
});
