import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFunction, jsRegistry } from '@rvsdg/frontend';
import { typedCorpus } from '@rvsdg/frontend/testing';
import { defaultRegistry, printModule, type Module, type OpRegistry, type Type } from '@rvsdg/ir';
import { arbModule } from '@rvsdg/ir/testing';
import { PassRefusedError, runPipeline } from '../manager/pass-manager.js';
import { pipeline, type AnyPass } from '../manager/pipeline.js';
import { typeOfJsValue } from './infer-types-lattice.js';
import { inferTypesFor } from './infer-types.js';
import { standardPasses } from './standard.js';
import { unroll } from './unroll.js';
import { integerRepresentation } from './integer-representation.js';
import { inline } from './inline.js';
import { simplify } from './standard.js';

/**
 * The pass manager takes a pass's returned module object as its change
 * signal (and skips the condition checks when it is the input). So a pass
 * must return its input when it changed nothing, and a second run of a
 * pass on its own output must change nothing: on generated modules and on
 * the JavaScript corpus, typed as the default pipeline types it.
 *
 * Some passes do not reach their own fixpoint in one run: their second run
 * finds real work the first one exposed (the printed module differs). They
 * are listed here; for them only false changes are errors.
 */
const notIdempotent: Readonly<Record<string, string>> = {
  cne: 'hoisting a computation out of branches can make it equal to one in the enclosing region, merged next run',
  'simplify-gamma': "inlining a gamma's branch can make another gamma's predicate known",
  unroll: 'a second run unrolls more loops on generated modules',
  'integer-representation':
    'its output keeps the f64 originals beside their i64 twins until DNE, and a second run gives twins to the conversions the first made',
};

const passes = standardPasses
  .names()
  .map((name) => standardPasses.get(name) as AnyPass)
  .filter((p) => !('items' in p));

interface Input {
  readonly name: string;
  readonly module: Module;
  readonly registry: OpRegistry;
}

function generatedInputs(): Input[] {
  return fc
    .sample(arbModule(), { numRuns: 150, seed: 7 })
    .map((module, i) => ({ name: `generated #${i}`, module, registry: defaultRegistry }));
}

function corpusInputs(): Input[] {
  const inputs: Input[] = [];
  typedCorpus.forEach((testCase, index) => {
    const compiled = fromFunction(testCase.fn, testCase.scope ? { scope: testCase.scope } : {});
    const [values] = fc.sample(testCase.args, { numRuns: 1, seed: index });
    const params = (values ?? []).map(typeOfJsValue);
    if (params.some((t) => t === undefined)) return;
    const stages = [
      pipeline([inferTypesFor(compiled.entry, params as Type[])]),
      pipeline([inferTypesFor(compiled.entry, params as Type[]), inline, simplify, unroll, simplify]),
      pipeline([inferTypesFor(compiled.entry, params as Type[]), inline, simplify, integerRepresentation, simplify]),
    ];
    stages.forEach((stage, k) => {
      try {
        const module = runPipeline(stage, compiled.module, { registry: jsRegistry, check: false }).module;
        inputs.push({ name: `corpus #${index} stage ${k}`, module, registry: jsRegistry });
      } catch {
        // Signatures type inference refuses (mixed types) have no typed module.
      }
    });
  });
  return inputs;
}

function run(pass: AnyPass, input: Input, module: Module): Module | undefined {
  try {
    return runPipeline(pass, module, { registry: input.registry, check: false }).module;
  } catch (error) {
    if (error instanceof PassRefusedError) return undefined;
    throw error;
  }
}

describe('every standard pass returns its input when it changes nothing, and a second run changes nothing', () => {
  const inputs = [...generatedInputs(), ...corpusInputs()];
  for (const pass of passes) {
    it(pass.name, () => {
      let changedOnce = 0;
      const falseChanges: string[] = [];
      const secondRunChanges: string[] = [];
      for (const input of inputs) {
        const once = run(pass, input, input.module);
        if (once === undefined) continue;
        if (once !== input.module) {
          if (printModule(once) === printModule(input.module)) falseChanges.push(input.name);
          else changedOnce++;
        }
        const twice = run(pass, input, once);
        if (twice !== undefined && twice !== once) {
          if (printModule(twice) === printModule(once)) falseChanges.push(`${input.name} (second run)`);
          else secondRunChanges.push(input.name);
        }
      }
      expect(falseChanges).toEqual([]);
      if (!(pass.name in notIdempotent)) expect(secondRunChanges).toEqual([]);
      expect(changedOnce).toBeGreaterThan(0);
    });
  }
});
