import { CompileError, JitTypeError, jit } from '@rvsdg/runtime';
import type { CorpusEntry } from './real-world.js';

/**
 * What happened to one corpus function under plain `jit(fn)`:
 * - `compiled`: every call compiled and gave V8's result, left its arguments
 *   as V8 left them, or threw an error of the same class;
 * - `refused`: `jit` refused it (a CompileError, or a JitTypeError for an
 *   argument kind it does not take), with that message;
 * - `contract error`: compiled, but a call threw the RangeError the
 *   semantics contract puts where V8 reads outside an array or a BigInt
 *   leaves 64 bits, while V8 returned a value (not silent, but not V8's result);
 * - `wrong`: a call gave another result, left other elements in an argument,
 *   or threw where V8 did not (or the reverse): a silent difference.
 */
/** `lifted`: matches V8, running with its loops compiled and the rest in V8 (loop lifting). */
export type CorpusStatus = 'compiled' | 'lifted' | 'refused' | 'contract error' | 'wrong';

/** The statuses that count as compiling and matching V8 (lifted counts, and is reported as lifted). */
export const matchingStatuses: readonly CorpusStatus[] = ['compiled', 'lifted'];

export interface CorpusOutcome {
  readonly status: CorpusStatus;
  /** `jit`'s message for a refusal, what differed for a wrong result. */
  readonly detail: string;
  /** The signatures `jit` compiled. */
  readonly signatures: readonly string[];
}

type Result = { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown };

function run(call: () => unknown): Result {
  try {
    return { kind: 'value', value: call() };
  } catch (error) {
    return { kind: 'error', error };
  }
}

/** Equality as the semantics contract asks: `Object.is` on every number, element by element, in arrays and objects. */
export function sameValue(a: unknown, b: unknown, seen = new Set<unknown>()): boolean {
  if (Object.is(a, b)) return true;
  // Each side's arguments are built anew: a callback is the same when its source is.
  if (typeof a === 'function' && typeof b === 'function') return String(a) === String(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (seen.has(a)) return true;
  seen.add(a);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], seen));
}

export function show(value: unknown): string {
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const items = Array.from(value as ArrayLike<unknown>).slice(0, 8);
    return `[${items.map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(', ')}${(value as ArrayLike<unknown>).length > 8 ? ', ...' : ''}]`;
  }
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (Object.is(value, -0)) return '-0';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** Runs `entry` through V8 and through `jit` on each of its inputs. */
export function compareWithV8(entry: CorpusEntry): CorpusOutcome {
  let jitted: ReturnType<typeof jit>;
  try {
    jitted = jit(entry.fn as never);
  } catch (error) {
    if (error instanceof CompileError || error instanceof JitTypeError) {
      return { status: 'refused', detail: error.message, signatures: [] };
    }
    throw error;
  }
  const call = jitted as unknown as (...args: unknown[]) => unknown;
  for (const input of entry.inputs) {
    const v8Args = input();
    const jitArgs = input();
    const expected = run(() => entry.fn(...v8Args));
    const actual = run(() => call(...jitArgs));
    const where = `${entry.name}(${v8Args.map(show).join(', ')})`;
    if (actual.kind === 'error' && (actual.error instanceof CompileError || actual.error instanceof JitTypeError)) {
      return { status: 'refused', detail: firstLine(actual.error.message), signatures: jitted.signatures };
    }
    if (expected.kind === 'error' || actual.kind === 'error') {
      const expectedName = expected.kind === 'error' ? errorName(expected.error) : 'a value';
      const actualName = actual.kind === 'error' ? errorName(actual.error) : 'a value';
      if (expected.kind === 'value' && actual.kind === 'error' && contractRangeError(actual.error)) {
        return {
          status: 'contract error',
          detail: `${where}: V8 returned ${show(expected.value)}, jit threw ${show(actual.error)}`,
          signatures: jitted.signatures,
        };
      }
      if (expectedName !== actualName) {
        const got = actual.kind === 'error' ? show(actual.error) : show(actual.value);
        const want = expected.kind === 'error' ? show(expected.error) : show(expected.value);
        return { status: 'wrong', detail: `${where}: V8 ${want}, jit ${got}`, signatures: jitted.signatures };
      }
      continue;
    }
    if (!sameValue(expected.value, actual.value)) {
      return {
        status: 'wrong',
        detail: `${where}: V8 returned ${show(expected.value)}, jit ${show(actual.value)}`,
        signatures: jitted.signatures,
      };
    }
    for (let i = 0; i < v8Args.length; i++) {
      if (!sameValue(v8Args[i], jitArgs[i])) {
        return {
          status: 'wrong',
          detail: `${where}: argument ${i + 1} left as ${show(jitArgs[i])}, V8 left ${show(v8Args[i])}`,
          signatures: jitted.signatures,
        };
      }
    }
  }
  const lifted = jitted.lifted;
  if (lifted) {
    const loops = lifted.lifted.map((l) => `line ${l.line}`).join(', ');
    return { status: 'lifted', detail: `loops at ${loops} compiled, the rest in V8`, signatures: jitted.signatures };
  }
  return { status: 'compiled', detail: '', signatures: jitted.signatures };
}

/** The semantics contract's RangeErrors: an index outside a TypedArray (or not an integer), a BigInt leaving 64 bits. */
function contractRangeError(error: unknown): boolean {
  return error instanceof RangeError && /out of bounds|64 (signed )?bits/.test(error.message);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
