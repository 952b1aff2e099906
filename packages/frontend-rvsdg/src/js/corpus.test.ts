import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, interpret, memToken, parseModule, printModule, verify, type IRValue } from '@rvsdg/ir';
import { interpretCfg } from '../cfg/interpret-cfg.js';
import { fromFunction, type CompiledJs } from './from-function.js';
import { jsRegistry } from './js-dialect.js';
import { agree, corpus, outcome, show } from './testing/corpus.js';

/**
 * Differential corpus: every function runs in V8 and in the interpreters
 * (the CFG interpreter on the lowered CFGs and the RVSDG interpreter on the
 * module) on generated arguments; results must be the same value
 * (`Object.is`), and TypedArray arguments must hold the same elements
 * afterwards. A thrown error must have the same class and message. Where
 * the frontend's contract differs from V8 (out-of-range TypedArray accesses
 * read `undefined` in V8 and throw a RangeError when compiled), the case is
 * marked `outOfRange` and the RangeError is accepted.
 */

function runCfg(compiled: CompiledJs, args: unknown[]): unknown {
  const run = interpretCfg(compiled.cfgs, compiled.entry, [...(args as IRValue[]), memToken], { registry: jsRegistry });
  if (run.error) throw run.error;
  if (!run.results) throw new Error('the CFG run ran out of fuel');
  return run.results[0];
}

function runModule(compiled: CompiledJs, args: unknown[]): unknown {
  return interpret(compiled.module, compiled.entry, [...(args as IRValue[]), memToken], { registry: jsRegistry })[0];
}

describe('JavaScript corpus: V8 and the interpreters agree', () => {
  it('has at least 80 functions', () => {
    expect(new Set(corpus.map((c) => c.fn)).size).toBeGreaterThanOrEqual(80);
  });

  corpus.forEach((testCase, index) => {
    it(`${testCase.fn.name || 'anonymous'} #${index}`, () => {
      const compiled = fromFunction(testCase.fn, testCase.scope ? { scope: testCase.scope } : {});
      expect(verify(compiled.module, { registry: jsRegistry }).map(formatDiagnostic)).toEqual([]);
      const text = printModule(compiled.module);
      expect(printModule(parseModule(text))).toBe(text);
      fc.assert(
        fc.property(testCase.args, (values) => {
          const expected = outcome(values, (a) => testCase.fn(...a));
          for (const [label, run] of [
            ['CFG', runCfg],
            ['RVSDG', runModule],
          ] as const) {
            const actual = outcome(values, (a) => run(compiled, a));
            if (!agree(expected, actual, testCase)) {
              throw new Error(`${label} interpreter: expected ${show(expected)}, got ${show(actual)}`);
            }
          }
        }),
        { numRuns: 60 },
      );
    });
  });
});
