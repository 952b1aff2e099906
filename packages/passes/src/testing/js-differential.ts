import { interpret, isTypedArray, memToken, OpError, typeToString, type IRValue, type Module } from '@rvsdg/ir';
import type { JsCase } from './js-corpus.js';
import { InferenceError } from '../passes/infer-types-error.js';
import { typeOfJsValue } from '../passes/infer-types-lattice.js';

/**
 * Differential checking of compiled JavaScript against V8 (shared by the
 * inference, pipeline and native tests): outcomes are a value or a JS
 * error plus the contents of the TypedArray arguments afterwards.
 */

export type Outcome =
  | { readonly kind: 'value'; readonly value: unknown; readonly arrays: readonly unknown[] }
  | { readonly kind: 'error'; readonly name: string; readonly message: string; readonly arrays: readonly unknown[] };

export function outcome(values: readonly unknown[], body: (args: unknown[]) => unknown): Outcome {
  const copies = values.map((v) => (isTypedArray(v) ? v.slice() : v));
  const arrays = copies.filter((v) => isTypedArray(v));
  try {
    return { kind: 'value', value: body(copies), arrays };
  } catch (error) {
    if (error instanceof OpError) return { kind: 'error', name: error.errorName, message: error.message, arrays };
    if (error instanceof Error && ['TypeError', 'RangeError', 'Error'].includes(error.name)) {
      return { kind: 'error', name: error.name, message: error.message, arrays };
    }
    throw error;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isTypedArray(a) || isTypedArray(b)) {
    if (!isTypedArray(a) || !isTypedArray(b) || a.constructor !== b.constructor || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  return Object.is(a, b);
}

export function show(o: Outcome): string {
  const arrays = o.arrays.map((a) => `[${Array.from(a as ArrayLike<unknown>, String).join(',')}]`).join(' ');
  const value = (v: unknown): string =>
    typeof v === 'bigint'
      ? `${v}n`
      : Object.is(v, -0)
        ? '-0'
        : isTypedArray(v)
          ? `[${Array.from(v, String).join(',')}]`
          : String(v);
  const main = o.kind === 'value' ? `value ${value(o.value)}` : `${o.name}: ${o.message}`;
  return `${main} ${arrays}`;
}

/** Whether compiled code's outcome is what the semantics contract allows for V8's. */
export function agree(expected: Outcome, actual: Outcome, testCase: JsCase): boolean {
  if (actual.kind === 'error' && actual.name === 'RangeError') {
    if (testCase.outOfRange && /out of bounds/.test(actual.message)) return true;
    if (testCase.bigOverflow && /overflow/.test(actual.message)) return true;
  }
  if (expected.kind !== actual.kind) return false;
  if (expected.kind === 'value' && !sameValue(expected.value, (actual as { value: unknown }).value)) return false;
  if (expected.kind === 'error') {
    const a = actual as { name: string; message: string };
    if (expected.name !== a.name) return false;
    if (!testCase.messageDiffers && expected.message !== a.message) return false;
  }
  return expected.arrays.every((array, i) => sameValue(array, actual.arrays[i]));
}

/** The value a typed module's function returned: its non-state result, or undefined when it has none. */
export function resultValue(results: readonly IRValue[]): unknown {
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
