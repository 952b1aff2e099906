import { interpret, type InterpretOptions } from '../interpreter/interpret.js';
import { isTypedArray, type AnyTypedArray, type Value as IRValue } from '../interpreter/value.js';
import type { Module } from '../nodes/module.js';
import { OpError, type ErrorName } from '../ops/op.js';
import { cloneArgs } from './generators.js';

/** What a caller can see of one call: the results and the arrays it passed in, or the error raised. */
export type Outcome =
  | { readonly kind: 'return'; readonly results: readonly IRValue[]; readonly arrays: readonly AnyTypedArray[] }
  | { readonly kind: 'raise'; readonly errorName: ErrorName; readonly message: string };

/**
 * Interprets the export on a copy of `args` (so the caller's arrays stay
 * untouched and can be reused for another run) and reports the outcome.
 * Program errors become a `raise` outcome; FuelExhausted and any other
 * exception propagate, since they are not behaviour of the program.
 */
export function observe(
  module: Module,
  exportName: string,
  args: readonly IRValue[],
  options: InterpretOptions = {},
): Outcome {
  const copy = cloneArgs(args);
  try {
    const results = interpret(module, exportName, copy, options);
    return { kind: 'return', results, arrays: copy.filter(isTypedArray) };
  } catch (error) {
    if (error instanceof OpError) return { kind: 'raise', errorName: error.errorName, message: error.message };
    throw error;
  }
}

/** Exact equality of runtime values: NaN equals NaN, -0 differs from +0, arrays compare element-wise. */
export function sameValue(a: IRValue, b: IRValue): boolean {
  if (Object.is(a, b)) return true;
  if (isTypedArray(a) || isTypedArray(b)) {
    if (!isTypedArray(a) || !isTypedArray(b) || a.constructor !== b.constructor || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, (b as readonly IRValue[])[i]));
  }
  const sa = a as { kind?: string; state?: string };
  const sb = b as { kind?: string; state?: string };
  return (
    typeof a === 'object' &&
    typeof b === 'object' &&
    sa.kind === 'state' &&
    sb.kind === 'state' &&
    sa.state === sb.state
  );
}

/** Whether two outcomes are indistinguishable to the caller (see `sameValue`). */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.kind === 'raise' || b.kind === 'raise') {
    return a.kind === 'raise' && b.kind === 'raise' && a.errorName === b.errorName && a.message === b.message;
  }
  const all = (x: readonly IRValue[], y: readonly IRValue[]) =>
    x.length === y.length && x.every((v, i) => sameValue(v, y[i]));
  return all(a.results, b.results) && all(a.arrays, b.arrays);
}
