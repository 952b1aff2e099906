import { printModule, type Type } from '@rvsdg/ir';
import { llvmBackend, type Backend, type CodeArtifact } from './backend.js';
import type { CompiledJs } from '@rvsdg/frontend';
import { compileFrontend, compileSpecialization, nativeParams, type CompileRequest } from './compile.js';
import { argumentError, JitTypeError } from './errors.js';
import { optimizedTierOptLevel, type ResolvedOptions } from './options.js';
import {
  codesOfParams,
  describeValue,
  jsResultKind,
  kindByCode,
  printParams,
  printSignature,
  type Signature,
} from './signature.js';
import { specializationCache, type Specialization } from './cache.js';
import { startQuickTier } from './tiers.js';
import { diskSlot, loadFromDisk, storeOnDisk } from './disk-specialization.js';

// A JavaScript function of any signature; the frontend reads only its source text.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

/*
 * Specializations of a jitted function: the dispatcher's state, the
 * compile request and cache keys, and compileNew, which makes (or loads)
 * one specialization. jit.ts holds the function object and its calls.
 */

type Key = number | string;

export interface Dispatcher {
  readonly name: string;
  readonly names: readonly string[];
  readonly options: ResolvedOptions;
  readonly table: Map<Key, Specialization | Error>;
  readonly order: Specialization[];
  /** When `signatures` is given: the kind codes of each allowed signature. */
  readonly allowed: readonly (readonly number[])[] | undefined;
}

const backend: Backend = llvmBackend;

function kindNames(codes: Iterable<number>): string {
  const names = [...new Set(codes)].map((c) => kindByCode(c)?.name ?? '?');
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The error for a call outside `signatures`: the first parameter no remaining signature accepts. */
export function signatureRefusal(d: Dispatcher, codes: readonly number[], args: readonly unknown[]): JitTypeError {
  let candidates = d.allowed ?? [];
  for (let i = 0; i < codes.length; i++) {
    const next = candidates.filter((c) => c[i] === codes[i]);
    if (next.length === 0) {
      const expected = kindNames(candidates.map((c) => c[i] as number));
      const listed = d.order.map((s) => s.text).join(', ');
      const error = argumentError(d.name, d.names, i, expected, describeValue(args[i]));
      error.message += ` (compiled signatures: ${listed})`;
      return error;
    }
    candidates = next;
  }
  return new JitTypeError(`${d.name}: no signature matches`, d.name);
}

export function codesOfSignature(d: Dispatcher, signature: Signature, text: string): number[] {
  if (signature.params.length !== d.names.length) {
    throw new TypeError(
      `${d.name}: signature '${text}' has ${signature.params.length} parameter(s); the function has ${d.names.length}`,
    );
  }
  return codesOfParams(signature.params);
}

export function keyOf(codes: readonly number[]): Key {
  if (codes.length > 13) return codes.join(',');
  let key = 0;
  for (let i = codes.length - 1; i >= 0; i--) key = key * 16 + (codes[i] as number);
  return key;
}

export type Functions = ReadonlyMap<number, AnyFunction>;

/** Which TypedArray arguments are the same object: `i=j,` for each one identical to an earlier argument j. */
export function aliasPattern(args: ArrayLike<unknown>): string {
  let pattern = '';
  for (let i = 1; i < args.length; i++) {
    const value = args[i];
    if (!ArrayBuffer.isView(value)) continue;
    for (let j = 0; j < i; j++) {
      if (args[j] === value) {
        pattern += `${i}=${j},`;
        break;
      }
    }
  }
  return pattern;
}

/** The identity classes of the TypedArray parameters for an alias pattern: each one's first identical argument. */
function identityClasses(params: readonly Type[], pattern: string): Map<number, number> {
  const classes = new Map<number, number>();
  params.forEach((type, i) => {
    if (type.kind === 'array') classes.set(i, i);
  });
  for (const pair of pattern.split(',')) {
    if (!pair) continue;
    const [i, j] = pair.split('=').map(Number) as [number, number];
    classes.set(i, classes.get(j) ?? j);
  }
  return classes;
}

export function request(
  fn: AnyFunction,
  d: Dispatcher,
  params: readonly Type[],
  functionArgs?: Functions,
  aliases?: string,
): CompileRequest {
  const o = d.options;
  return {
    fn,
    scope: o.scope,
    params,
    ...(functionArgs ? { functionArgs } : {}),
    ...(aliases !== undefined ? { arrayIdentity: identityClasses(params, aliases) } : {}),
    fastmath: o.fastmath,
    boundscheck: o.boundscheck,
    optLevel: o.optLevel,
    inline: o.inline,
    check: o.debug !== undefined,
    backend,
  };
}

/**
 * What determines the code: the options, the native parameter types and
 * the frontend's output (every function's source, every constant it read
 * from its scope). TypedArrays read from scopes are parameters of the
 * native code, so functions reading different arrays share it.
 */
function cacheKey(req: CompileRequest, front: CompiledJs, tierUp: boolean): string {
  const flags = `${req.backend.name}/${req.optLevel}${tierUp ? '+tiers' : ''}/${req.fastmath}/${req.boundscheck}/${req.inline}`;
  const sources = [...front.sources.values()].join('\u0002');
  return `${flags}\u0001${printParams(nativeParams(req, front))}\u0001${sources}\u0001${printModule(front.module)}`;
}

/** Whether calls of `spec` can skip selection: no undefined or function arguments and no identity facts. */
export function hasFastPath(spec: Specialization, codes: readonly number[]): boolean {
  return (
    spec.identity === undefined &&
    spec.guards === undefined &&
    codes.every((code) => code === 1 || code === 2 || code === 3 || kindByCode(code)?.typedArray === true)
  );
}

function specializationView(spec: Specialization, own: Partial<Specialization>): Specialization {
  return Object.assign(Object.create(spec) as Specialization, own);
}

function debugHeader(name: string, text: string): string {
  return `;; ---- jit ${name} ${text}`;
}

const functionIds = new WeakMap<object, number>();
let nextFunctionId = 1;

/** The dispatch key of a call with function arguments: the kinds, and each function's identity. */
export function keyWithFunctions(codes: readonly number[], functions: Functions): string {
  const ids = [...functions].map(([i, f]) => {
    let id = functionIds.get(f);
    if (id === undefined) functionIds.set(f, (id = nextFunctionId++));
    return `${i}:${id}`;
  });
  return `${codes.join(',')}|${ids.join(',')}`;
}

export function compileNew(
  fn: AnyFunction,
  d: Dispatcher,
  params: readonly Type[],
  expected?: Signature,
  functionArgs?: Functions,
  aliases = '',
): Specialization {
  const debug = d.options.debug;
  // With `debug` every stage is printed, so the code is compiled rather than loaded.
  const disk = !debug && d.options.cache === 'disk';
  const tierUp = d.options.tierUp;
  const req = request(fn, d, params, functionArgs, aliases);
  const front = compileFrontend(req);
  const key = d.options.cache !== false ? cacheKey(req, front, tierUp) : undefined;
  let spec = key === undefined ? undefined : specializationCache.get(key);
  // The disk holds optimized code only: with tiers, the optimized tier's object (the quick tier's is never written).
  const optimized = tierUp ? { ...req, optLevel: optimizedTierOptLevel } : req;
  const slot = !spec && disk ? diskSlot(optimized, front) : undefined;
  // A hit runs the optimized code at once: no tiers.
  if (!spec && slot) spec = loadFromDisk(slot, optimized, tierUp);
  if (!spec) {
    if (debug) debug(`${debugHeader(d.name, printParams(params))}\n`);
    // Always through a loadable artifact, so that every specialization runs code made the way cached code is.
    const result = compileSpecialization(
      // The quick tier redirectable to the optimized one (see tiers.ts).
      { ...req, keepArtifact: true, ...(tierUp ? { tiered: true } : {}) },
      debug
        ? { afterPass: (s) => debug(`;; RVSDG after '${s.pass}'${s.changed ? '' : ' (unchanged)'}\n${s.ir}\n`) }
        : {},
      front,
    );
    if (debug) {
      debug(`;; LLVM IR of ${d.name} before optimization\n${result.code.irBefore}\n`);
      debug(`;; LLVM IR of ${d.name} after optimization (O${d.options.optLevel})\n${result.code.irAfter}\n`);
    }
    spec = {
      params,
      results: result.results,
      text: printSignature({ params, results: result.results }),
      native: result.code.fn,
      compileMs: result.timings.totalMs,
      optLevel: req.optLevel,
      tier: tierUp ? 'quick' : 'single',
    };
    const written = spec;
    const store = (artifact: CodeArtifact | undefined): void => storeOnDisk(slot, written, artifact);
    if (tierUp) {
      const name = d.name;
      startQuickTier(spec, result.code, {
        installed: (code) => {
          store(code.artifact);
          if (debug)
            debug(`;; LLVM IR of ${name} after optimization (O3, optimized tier installed)\n${code.irAfter}\n`);
        },
        ...(debug
          ? {
              failed: (error: unknown) =>
                debug(`;; jit ${name}: the optimized tier failed, the quick tier stays: ${String(error)}\n`),
            }
          : {}),
      });
    } else {
      store(result.code.artifact);
    }
  }
  if (key !== undefined && specializationCache.get(key) !== spec) specializationCache.set(key, spec);
  // Views of the shared specialization: they read `native` and the tier fields from it, which the tier-up replaces.
  if (front.globals.length > 0) spec = specializationView(spec, { globals: front.globals });
  if (front.usesArrayIdentity) spec = specializationView(spec, { identity: (args) => aliasPattern(args) === aliases });
  if (front.guards.length > 0) spec = specializationView(spec, { guards: front.guards });
  if (expected?.results) {
    const want = jsResultKind(expected.results);
    const got = jsResultKind(spec.results);
    if (want !== got) {
      throw new TypeError(
        `${d.name}: signature '${printSignature(expected)}' promises ${want}, but the compiled function returns ${got} (${spec.text})`,
      );
    }
  }
  return spec;
}
