import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFunction, fromSource, jsRegistry } from '@rvsdg/frontend';
import { array, countNodes, f64, i64, type Module, type Type } from '@rvsdg/ir';
import { PassCrashedError, runPipeline } from '../manager/pass-manager.js';
import { parsePipeline, printPipeline } from '../manager/pipeline.js';
import { standardPasses } from '../passes/standard.js';
import { inferTypes } from '../passes/infer-types.js';
import { InferenceError } from '../passes/infer-types-error.js';
import { agree, caseName, outcome, show, typedCorpus } from '@rvsdg/frontend/testing';
import { mixedTypesMessage, runTyped, SignatureCache } from '../test-support/js-differential.js';
import { defaultPipeline } from './default-pipeline.js';
import { integerRepresentation } from '../passes/integer-representation.js';

describe('defaultPipeline', () => {
  it('is data: printable as pipeline text that parses back to the same text', () => {
    const p = defaultPipeline({ entry: 'f', params: [f64, array(f64)] });
    const text = printPipeline(p, standardPasses.extend(inferTypes));
    expect(text).toBe(
      'infer-types{entry=f,params="f64, f64[]"},inline,simplify,unroll,simplify,integer-representation,simplify,drop-bounds-checks,drop-overflow-checks,version-loop-nests',
    );
    expect(
      printPipeline(parsePipeline(text, standardPasses.extend(inferTypes)), standardPasses.extend(inferTypes)),
    ).toBe(text);
    expect(
      printPipeline(defaultPipeline({ entry: 'g', params: [i64], inline: false }), standardPasses.extend(inferTypes)),
    ).toBe(
      'infer-types{entry=g,params=i64},simplify,unroll,simplify,integer-representation,simplify,drop-bounds-checks,drop-overflow-checks,version-loop-nests',
    );
  });

  it('simplifies: the typed, optimized module is smaller than the inferred one', () => {
    const compiled = fromSource(
      'function sq(x) { return x * x; }\nfunction f(a) { let s = 0; for (let i = 0; i < 4; i++) s += sq(a[i] * 1); return s; }',
      { name: 'f' },
    );
    const run = (items: ReturnType<typeof defaultPipeline>): Module =>
      runPipeline(items, compiled.module, { registry: jsRegistry, check: true }).module;
    const params: Type[] = [array(f64)];
    const inferredOnly = runPipeline(defaultPipeline({ entry: 'f', params }).items[0] as never, compiled.module, {
      registry: jsRegistry,
    }).module;
    const optimized = run(defaultPipeline({ entry: 'f', params }));
    // integer-representation may version a function (two copies of its body), so compare before it runs.
    const full = defaultPipeline({ entry: 'f', params });
    const simplified = run({ ...full, items: full.items.slice(0, full.items.indexOf(integerRepresentation)) });
    expect(countNodes(simplified)).toBeLessThan(countNodes(inferredOnly));
    expect(runTyped(optimized, 'f', [new Float64Array([1, 2, 3, 4])])).toBe(30);
  });
});

describe('defaultPipeline on the JavaScript corpus: results unchanged (same as V8)', () => {
  typedCorpus.forEach((testCase, index) => {
    it(`${caseName(testCase)} #${index}`, () => {
      const compiled = fromFunction(testCase.fn, testCase.scope ? { scope: testCase.scope } : {});
      const signatures = new SignatureCache((types) => {
        try {
          return runPipeline(defaultPipeline({ entry: compiled.entry, params: types as Type[] }), compiled.module, {
            registry: jsRegistry,
          }).module;
        } catch (error) {
          // The pass manager reports what a pass threw as the cause of a PassCrashedError.
          if (error instanceof PassCrashedError && error.cause instanceof InferenceError) throw error.cause;
          throw error;
        }
      });
      fc.assert(
        fc.property(testCase.args, (values) => {
          const module = signatures.get(values);
          if (module instanceof InferenceError) {
            if (!(testCase.mixedTypes && mixedTypesMessage.test(module.message))) throw module;
            return;
          }
          const expected = outcome(values, (a) => testCase.fn(...a));
          const actual = outcome(values, (a) => runTyped(module, compiled.entry, a));
          if (!agree(expected, actual, testCase)) throw new Error(`expected ${show(expected)}, got ${show(actual)}`);
        }),
        { numRuns: 15 },
      );
    });
  });
});
