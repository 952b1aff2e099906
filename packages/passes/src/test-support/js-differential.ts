import { interpret, memToken, typeToString, type IRValue, type Module } from '@rvsdg/ir';
import { InferenceError } from '../passes/infer-types-error.js';
import { typeOfJsValue } from '../passes/infer-types-lattice.js';

/**
 * What the inference, pipeline and native tests need besides the frontend's
 * corpus (`@rvsdg/frontend/testing`, which runs and compares outcomes):
 * running typed modules and compiling once per argument-type signature.
 */

/** The message of an InferenceError refusing a case marked `mixedTypes`. */
export const mixedTypesMessage =
  /(is|returns) (a number|a BigInt|a boolean|undefined) on one path and (a number|a BigInt|a boolean|undefined) on another/;

/** The value a typed module's function returned: its non-state result, or undefined when it has none. */
function resultValue(results: readonly IRValue[]): unknown {
  const values = results.filter((v) => v !== memToken);
  return values[0];
}

export function runTyped(module: Module, entry: string, args: readonly unknown[]): unknown {
  return resultValue(interpret(module, entry, [...(args as IRValue[]), memToken]));
}

/**
 * Compiles per argument-type signature (cached): the typed module, or the
 * InferenceError the compiler reported.
 */
export class SignatureCache<T> {
  readonly #cache = new Map<string, T | InferenceError>();
  constructor(readonly compile: (params: ReturnType<typeof typeOfJsValue>[]) => T) {}

  get(values: readonly unknown[]): T | InferenceError {
    const types = values.map(typeOfJsValue);
    const key = types.map((t) => (t ? typeToString(t) : '?')).join(',');
    let entry = this.#cache.get(key);
    if (entry === undefined) {
      try {
        entry = this.compile(types);
      } catch (error) {
        if (!(error instanceof InferenceError)) throw error;
        entry = error;
      }
      this.#cache.set(key, entry);
    }
    return entry;
  }

  get size(): number {
    return this.#cache.size;
  }
}
