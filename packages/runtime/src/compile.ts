import { CompileError, fromFunction, jsRegistry, type CompiledJs } from '@rvsdg/frontend';
import { originType, unit, type Module, type Type } from '@rvsdg/ir';
import {
  defaultPipeline,
  InferenceError,
  PassCrashedError,
  printAfterPasses,
  runPipeline,
  type Instrumentation,
} from '@rvsdg/passes';
import type { OptLevel } from '@rvsdg/backend-llvm';
import type { Backend, NativeCode } from './backend.js';
import { releaseInspectorObjects } from './free-names.js';
import { functionScope } from './scope.js';
import { functionArgument, scopeValueType } from './signature.js';

/** Everything that determines the code of one specialization. */
export interface CompileRequest {
  readonly fn: (...args: never[]) => unknown;
  /** The entry's `scope` option: it overrides the entry's own bindings (see functionScope). */
  readonly scope: Readonly<Record<string, unknown>>;
  readonly params: readonly Type[];
  /** The functions passed for the parameters of type `functionArgument`, by position. */
  readonly functionArgs?: ReadonlyMap<number, (...args: never[]) => unknown>;
  /** Which TypedArray arguments are the same object (index to class; equal classes, same object). */
  readonly arrayIdentity?: ReadonlyMap<number, number>;
  readonly fastmath: boolean;
  readonly boundscheck: boolean;
  readonly optLevel: OptLevel;
  readonly inline: boolean;
  /**
   * Check every pass's conditions after it runs (jit's `debug`, or
   * RVSDG_CHECK=1). Otherwise they are checked once, on the pipeline's output.
   */
  readonly check?: boolean;
  /** Ask the backend for a loadable artifact of the code too (for the on-disk cache). */
  readonly keepArtifact?: boolean;
  /** Compile a quick tier, which its optimized tier replaces in place (see tiers.ts). */
  readonly tiered?: boolean;
  readonly backend: Backend;
}

/** The RVSDG text after one pass of the default pipeline. */
export interface PassSnapshot {
  readonly pass: string;
  readonly changed: boolean;
  readonly ms: number;
  readonly ir: string;
}

export interface CompileResult {
  readonly code: NativeCode;
  /** The non-state results of the compiled entry. */
  readonly results: readonly Type[];
  /** The module the frontend produced and the one the pipeline produced. */
  readonly input: Module;
  readonly typed: Module;
  readonly entry: string;
  /**
   * TypedArrays the compiled functions read from their scopes: the native
   * entry takes them after the function's own arguments, on every call.
   */
  readonly globals: readonly unknown[];
  readonly timings: {
    readonly frontendMs: number;
    readonly passesMs: number;
    readonly backendMs: number;
    readonly totalMs: number;
  };
}

export interface CompileHooks {
  /** Receives the RVSDG after each pass. */
  readonly afterPass?: (snapshot: PassSnapshot) => void;
}

/**
 * Type inference rejects programs the frontend accepted (a variable that is
 * a number on one path and undefined on another, an operation on types it
 * cannot compile). For the user both are "this source cannot be compiled
 * for these arguments", so both arrive as a CompileError with a code frame.
 */
function asCompileError(error: unknown, sources: ReadonlyMap<string, string>, entry: string): unknown {
  const cause = error instanceof PassCrashedError ? error.cause : error;
  if (cause instanceof CompileError) return cause;
  if (!(cause instanceof InferenceError)) return cause;
  const source = sources.get(cause.functionName ?? entry) ?? sources.get(entry) ?? '';
  const compileError = new CompileError(
    cause.reason,
    'type',
    source,
    // Without a position, the problem is the function as a whole: point at its start.
    cause.line ?? 1,
    Math.max(1, cause.column ?? 1),
    cause.functionName,
  );
  (compileError as { cause?: unknown }).cause = cause;
  return compileError;
}

function entryResults(module: Module, entry: string): readonly Type[] {
  const index = module.exports.indexOf(entry);
  const origin = module.region.results[index];
  const type = origin ? originType(module.region, origin) : undefined;
  if (!type || type.kind !== 'fn') throw new Error(`the compiled module does not export the function '${entry}'`);
  return type.results.filter((t) => t.kind !== 'state');
}

/** The frontend's part of a compilation: every function resolved in its own scope. */
export function compileFrontend(request: CompileRequest): CompiledJs {
  const undefinedParams = request.params.flatMap((type, i) => (type === unit ? [i] : []));
  try {
    return fromFunction(request.fn, {
      scope: request.scope,
      caller: 'jit',
      scopeOf: functionScope,
      undefinedParams,
      functionParams: request.functionArgs ?? new Map(),
      // The dispatcher turns these raises back into returns (errors.ts, returnOrThrow).
      emptyReturnsRaise: true,
      ...(request.arrayIdentity ? { arrayIdentity: request.arrayIdentity } : {}),
    });
  } finally {
    releaseInspectorObjects();
  }
}

/**
 * The parameter types of the native entry: the function's own but those
 * known to be undefined (`unit`, which the frontend made constants), then
 * one per TypedArray read from a scope.
 */
export function nativeParams(request: CompileRequest, frontend: CompiledJs): readonly Type[] {
  return [
    ...request.params.filter((type) => type !== unit && type !== functionArgument),
    ...frontend.globals.map((value) => scopeValueType(value) as Type),
  ];
}

/** Frontend (unless its result is given), default pipeline (type inference for `params` first), backend. */
export function compileSpecialization(
  request: CompileRequest,
  hooks: CompileHooks = {},
  frontend?: CompiledJs,
): CompileResult {
  const start = performance.now();
  const front = frontend ?? compileFrontend(request);
  const { module, entry, sources, globals } = front;
  const frontendDone = performance.now();
  const instrumentation: Instrumentation[] = [];
  if (hooks.afterPass) {
    const sink = hooks.afterPass;
    instrumentation.push(
      printAfterPasses((ir, event) => sink({ pass: event.pass.name, changed: event.changed, ms: event.ms, ir })),
    );
  }
  let typed: Module;
  try {
    const pipeline = defaultPipeline({
      entry,
      params: nativeParams(request, front),
      fastmath: request.fastmath,
      inline: request.inline,
    });
    typed = runPipeline(pipeline, module, {
      registry: jsRegistry,
      instrumentation,
      check: request.check === true ? true : 'output',
    }).module;
  } catch (error) {
    throw asCompileError(error, sources, entry);
  }
  const passesDone = performance.now();
  const results = entryResults(typed, entry);
  const code = request.backend.compile(typed, entry, request);
  const end = performance.now();
  return {
    code,
    results,
    input: module,
    typed,
    entry,
    globals,
    timings: {
      frontendMs: frontendDone - start,
      passesMs: passesDone - frontendDone,
      backendMs: end - passesDone,
      totalMs: end - start,
    },
  };
}
