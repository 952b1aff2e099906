import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fromFunction, jsRegistry } from '@rvsdg/frontend';
import type { Module, Type } from '@rvsdg/ir';
import { PassCrashedError, runPipeline } from '../manager/pass-manager.js';
import { InferenceError } from '../passes/infer-types-error.js';
import { agree, caseName, outcome, show, typedCorpus } from '@rvsdg/frontend/testing';
import { mixedTypesMessage, SignatureCache } from '../test-support/js-differential.js';
import { defaultPipeline } from './default-pipeline.js';

/**
 * The whole path to native code: frontend, default pipeline, LLVM backend.
 * Natively compiled functions must return what V8 returns (or the errors
 * the semantics contract allows), like the interpreter does.
 */
interface Backend {
  compileModule(
    module: Module,
    options: { optLevel: number; lowerings: unknown },
  ): { functions: Record<string, (...args: unknown[]) => unknown> };
  v8MathLowerings: unknown;
}
// The backend depends on this package, so this package's build cannot see its types; vitest resolves it from source.
const { compileModule, v8MathLowerings } = (await import('@rvsdg/backend-llvm' as string)) as Backend;

// Transcendental math goes through V8's own Math functions, as jit() does, so every result is exact.
describe('natively compiled corpus functions agree with V8', () => {
  typedCorpus.forEach((testCase, index) => {
    it(`${caseName(testCase)} #${index}`, () => {
      const compiled = fromFunction(testCase.fn, testCase.scope ? { scope: testCase.scope } : {});
      const signatures = new SignatureCache((types) => {
        try {
          const typed = runPipeline(
            defaultPipeline({ entry: compiled.entry, params: types as Type[] }),
            compiled.module,
            {
              registry: jsRegistry,
            },
          ).module;
          return compileModule(typed, { optLevel: 1, lowerings: v8MathLowerings }).functions[compiled.entry] as (
            ...args: unknown[]
          ) => unknown;
        } catch (error) {
          if (error instanceof PassCrashedError && error.cause instanceof InferenceError) throw error.cause;
          throw error;
        }
      });
      fc.assert(
        fc.property(testCase.args, (values) => {
          const native = signatures.get(values);
          if (native instanceof InferenceError) {
            if (!(testCase.mixedTypes && mixedTypesMessage.test(native.message))) throw native;
            return;
          }
          const expected = outcome(values, (a) => testCase.fn(...a));
          const raw = outcome(values, (a) => native(...a));
          // Native errors name the source line after V8's message.
          const actual = raw.kind === 'error' ? { ...raw, message: raw.message.replace(/ \(line \d+\)$/, '') } : raw;
          if (!agree(expected, actual, testCase)) throw new Error(`expected ${show(expected)}, got ${show(actual)}`);
        }),
        { numRuns: 15 },
      );
    });
  });
});
