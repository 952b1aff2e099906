import { CompileError, jit, JitTypeError } from '@rvsdg/runtime';
import { i64Limit, scopeConstants } from '@rvsdg/runtime/testing';
import type { Outcome } from './protocol.js';

type Program = (...args: unknown[]) => unknown;

/** The classes of errors a JavaScript program itself can throw; any other class out of jit is the compiler's. */
const programErrors = new Set([
  'Error',
  'RangeError',
  'TypeError',
  'SyntaxError',
  'ReferenceError',
  'EvalError',
  'URIError',
]);

function show(value: unknown): string {
  if (Object.is(value, -0)) return '-0';
  if (typeof value === 'bigint') return `${value}n`;
  if (ArrayBuffer.isView(value)) return `[${Array.from(value as unknown as ArrayLike<unknown>, show).join(', ')}]`;
  return String(value);
}

/** Fresh copies of the TypedArrays in an argument set (both runs may write into them). */
function copyArgs(args: readonly unknown[]): unknown[] {
  return args.map((v) => (ArrayBuffer.isView(v) ? (v as unknown as { slice(): unknown }).slice() : v));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (a.constructor !== b.constructor || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  return Object.is(a, b);
}

type Run = { value: unknown } | { error: unknown };

function run(body: () => unknown): Run {
  try {
    return { value: body() };
  } catch (error) {
    return { error };
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function describe(result: Run): string {
  if ('value' in result) return show(result.value);
  return `${errorName(result.error)}: ${result.error instanceof Error ? result.error.message.split('\n')[0] : String(result.error)}`;
}

/**
 * Compiles `source` with jit and calls it on every argument set, comparing
 * with V8: the same value (Object.is, so -0 and NaN count) and the same
 * contents left in the TypedArray arguments, or an error of the same class.
 */
export function runJsCase(
  source: string,
  argSets: readonly (readonly unknown[])[],
  optLevel: 0 | 1 | 2 | 3 = 3,
): Outcome {
  let v8: Program;
  try {
    // The generator's programs may read its BigInt scope constants (K64, KMIN, ...): bound for both runs.
    const names = Object.keys(scopeConstants);
    v8 = new Function(...names, `return (${source})`)(...names.map((n) => scopeConstants[n])) as Program;
  } catch {
    // A minimization candidate that is not JavaScript any more: reproduces nothing.
    return { kind: 'ok', calls: 0, detail: 'not a function' };
  }
  // Every input compiled: the on-disk cache would load a candidate an earlier run compiled, and fill up with inputs.
  const compiled = jit(v8, { scope: scopeConstants, cache: 'memory', optLevel });
  let calls = 0;
  for (let i = 0; i < argSets.length; i++) {
    const set = argSets[i] as readonly unknown[];
    const argsV8 = copyArgs(set);
    const argsJit = copyArgs(set);
    const expected = run(() => v8(...argsV8));
    const actual = run(() => compiled(...argsJit));
    calls++;
    if ('error' in actual) {
      const error = actual.error;
      if (error instanceof CompileError) {
        return { kind: 'refusal', calls, detail: `CompileError: ${error.message.split('\n')[0]}` };
      }
      const name = errorName(error);
      if (!(error instanceof JitTypeError) && !programErrors.has(name)) {
        const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
        return { kind: 'internal', calls, detail: `${name}: ${stack}`, argsIndex: i };
      }
    }
    // Where a BigInt leaves 64 bits, the contract lets compiled code throw its RangeError at that point, whatever
    // V8 did after it (returned a larger BigInt's result, or threw later). The cost: a 64-bit RangeError where V8's
    // values never left 64 bits would pass too; the random-programs test accepts it the same way.
    const allowedLimit = 'error' in actual && i64Limit((actual as { error: Error }).error);
    const agree =
      allowedLimit ||
      ('error' in expected
        ? 'error' in actual && errorName(expected.error) === errorName(actual.error)
        : 'value' in actual && sameValue(expected.value, actual.value));
    // After the contract's RangeError, V8 went on writing where compiled code stopped: only the error is compared.
    const arraysAgree = allowedLimit || argsV8.every((v, k) => sameValue(v, argsJit[k]));
    if (!agree || !arraysAgree) {
      return {
        kind: 'divergence',
        calls,
        argsIndex: i,
        detail:
          `arguments (${set.map(show).join(', ')}): V8 ${describe(expected)} leaving (${argsV8.map(show).join(', ')}), ` +
          `jit ${describe(actual)} leaving (${argsJit.map(show).join(', ')})`,
      };
    }
  }
  return { kind: 'ok', calls };
}
