import { printModule, type Type } from '@rvsdg/ir';
import { llvmBackend, type Backend } from './backend.js';
import { compileSpecialization, type CompileRequest, type CompileResult, type PassSnapshot } from './compile.js';
import { anyArgument, argumentError, countError, JitTypeError, parameterLabel, relocateNativeError } from './errors.js';
import { resolveOptions, type JitOptions, type ResolvedOptions } from './options.js';
import { parameterNames } from './parameters.js';
import { jittedMarker, resolveScope, scopeKey, type JittedInfo } from './scope.js';
import {
  codesOfParams,
  describeValue,
  jsResultKind,
  kindByCode,
  kindCodeOf,
  parseSignature,
  printParams,
  printSignature,
  type Signature,
} from './signature.js';
import { specializationCache, type Specialization, type Tier } from './cache.js';
import { startQuickTier } from './tiers.js';
import { overriddenMember } from './typed-array-members.js';

// A JavaScript function of any signature; the frontend reads only its source text.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

/** What `inspect` shows about one specialization. */
export interface Inspection {
  /** `(f64[], f64[]) -> f64` */
  readonly signature: string;
  /** The RVSDG the frontend produced (the `js` dialect, untyped). */
  readonly rvsdg: string;
  /** The RVSDG after each pass of the default pipeline, in order. */
  readonly passes: readonly PassSnapshot[];
  /** The typed RVSDG handed to the backend. */
  readonly typed: string;
  /** The LLVM IR from lowering, before LLVM's optimizations. */
  readonly llvmIR: string;
  /** Which tier runs now (see JitOptions.tier) and its LLVM level; the IR and assembly below are that level's. */
  readonly tier: Tier;
  readonly optLevel: number;
  /** The LLVM IR after `default<On>`. */
  readonly optimizedLLVMIR: string;
  /** Host assembly of the optimized module. */
  readonly assembly: string;
  /** Milliseconds spent in the frontend, the passes and the backend (and in each backend stage) for this inspection. */
  readonly timings: CompileResult['timings'] & { readonly backendStages: Readonly<Record<string, number>> };
}

/** The function `jit` returns: call it like the original. */
export type JittedFunction<F extends AnyFunction> = ((...args: Parameters<F>) => ReturnType<F>) & {
  /** The plain JavaScript function. */
  readonly original: F;
  /** Signatures compiled so far, like `(f64[], f64[]) -> f64`. */
  readonly signatures: readonly string[];
  /** True when calls run the original (option `disable` or RVSDG_JIT_DISABLE). */
  readonly disabled: boolean;
  /**
   * Compiles a specialization now (it is otherwise compiled on its first
   * call) and returns its full signature text.
   */
  compile(signature: string): string;
  /**
   * The IR of a specialization at every stage: RVSDG before and after each
   * pass, LLVM IR before and after optimization, assembly. The signature may
   * be omitted when exactly one is compiled. Produced by compiling again
   * with instrumentation (every stage is deterministic).
   */
  inspect(signature?: string): Inspection;
  /**
   * Starts the optimized tier of every specialization compiled so far that
   * still runs its quick tier, and resolves once all of them run optimized
   * code (at once when there is none to wait for). Calls meanwhile run the
   * quick tier.
   */
  whenOptimized(): Promise<void>;
};

type Key = number | string;

interface DispatchState {
  lastKey: Key;
  last: Specialization | undefined;
}

type DispatcherFactory = (
  state: DispatchState,
  select: (args: ArrayLike<unknown>) => Specialization,
  kindCode: (value: unknown) => number,
  checkValue: (value: unknown, index: number, code: number) => void,
  relocate: (error: unknown) => unknown,
) => AnyFunction;

const factories = new Map<number, DispatcherFactory>();

/**
 * A dispatcher with one named parameter per argument: no rest array, no
 * spread, and the argument kinds folded into a number compared with the
 * last specialization's. Anything else (another signature, a wrong count
 * or kind) goes through `select`, which validates and compiles. Generated
 * once per arity.
 */
function fastDispatcher(arity: number): DispatcherFactory {
  let factory = factories.get(arity);
  if (factory) return factory;
  const params = Array.from({ length: arity }, (_, i) => `a${i}`);
  const codes = params.map((p, i) => `const c${i} = kindCode(${p});`).join('\n');
  const key = params.length === 0 ? '0' : params.map((_, i) => `c${i} * ${16 ** i}`).join(' + ');
  const arrays = params.map((p, i) => `if (c${i} >= 3) checkValue(${p}, ${i}, c${i});`).join('\n');
  const body = `
    return function jitted(${params.join(', ')}) {
      if (arguments.length !== ${arity}) return select(arguments).native();
      ${codes}
      const key = ${key};
      const spec = key === state.lastKey ? state.last : select(arguments);
      ${arrays}
      try {
        return spec.native(${params.join(', ')});
      } catch (error) {
        throw relocate(error);
      }
    };`;
  factory = new Function('state', 'select', 'kindCode', 'checkValue', 'relocate', body) as DispatcherFactory;
  factories.set(arity, factory);
  return factory;
}

interface Dispatcher {
  readonly name: string;
  readonly names: readonly string[];
  readonly options: ResolvedOptions;
  readonly table: Map<Key, Specialization | Error>;
  readonly order: Specialization[];
  /** When `signatures` is given: the kind codes of each allowed signature. */
  readonly allowed: readonly (readonly number[])[] | undefined;
}

const backend: Backend = llvmBackend;

// %TypedArray%.prototype getters and ArrayBuffer.prototype.resizable, called on the real object so that
// subclasses overriding `buffer` or `byteLength` cannot hide what native code will see.
const typedArrayProto = Object.getPrototypeOf(Int8Array.prototype) as object;
const getter = (proto: object, name: string) =>
  Object.getOwnPropertyDescriptor(proto, name)?.get as (this: unknown) => unknown;
const bufferOf = getter(typedArrayProto, 'buffer') as (this: unknown) => ArrayBufferLike;
const byteLengthOf = getter(typedArrayProto, 'byteLength') as (this: unknown) => number;
const resizableGetter = getter(ArrayBuffer.prototype, 'resizable') as ((this: unknown) => boolean) | undefined;

function isDetached(buffer: ArrayBufferLike): boolean {
  try {
    ArrayBuffer.prototype.slice.call(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Why native code must not receive this TypedArray, or undefined. Shared
 * memory can change under the compiled code's feet (other threads), a
 * resizable buffer could shrink while native code holds its length, and a
 * detached one has no memory at all.
 */
function bufferProblem(array: unknown): string | undefined {
  const buffer = bufferOf.call(array);
  let resizable: boolean;
  try {
    resizable = resizableGetter ? resizableGetter.call(buffer) : false;
  } catch {
    return 'is backed by a SharedArrayBuffer, which jitted code does not accept (other threads could change it during the call); copy it into an ArrayBuffer';
  }
  if (resizable) {
    return 'is backed by a resizable ArrayBuffer, which jitted code does not accept (its length could change during the call)';
  }
  if (byteLengthOf.call(array) === 0 && isDetached(buffer)) return 'is on a detached ArrayBuffer';
  return undefined;
}

/** Why this TypedArray's `length` or iterator would differ under V8 (see typed-array-members.ts), or undefined. */
function memberProblem(array: object, code: number): string | undefined {
  const member = overriddenMember(array, code);
  if (member === undefined) return undefined;
  return `has its own ${member} (a subclass or the object redefines it), which jitted code would not call: V8 runs it, compiled code reads the array itself; pass a plain TypedArray`;
}

function kindNames(codes: Iterable<number>): string {
  const names = [...new Set(codes)].map((c) => kindByCode(c)?.name ?? '?');
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The error for a call outside `signatures`: the first parameter no remaining signature accepts. */
function signatureRefusal(d: Dispatcher, codes: readonly number[], args: readonly unknown[]): JitTypeError {
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

function codesOfSignature(d: Dispatcher, signature: Signature, text: string): number[] {
  if (signature.params.length !== d.names.length) {
    throw new TypeError(
      `${d.name}: signature '${text}' has ${signature.params.length} parameter(s); the function has ${d.names.length}`,
    );
  }
  return codesOfParams(signature.params);
}

function keyOf(codes: readonly number[]): Key {
  if (codes.length > 13) return codes.join(',');
  let key = 0;
  for (let i = codes.length - 1; i >= 0; i--) key = key * 16 + (codes[i] as number);
  return key;
}

function request(fn: AnyFunction, d: Dispatcher, params: readonly Type[]): CompileRequest {
  const o = d.options;
  return {
    fn,
    scope: resolveScope(d.name, o.scope),
    params,
    fastmath: o.fastmath,
    boundscheck: o.boundscheck,
    optLevel: o.optLevel,
    inline: o.inline,
    check: o.debug !== undefined,
    backend,
  };
}

function cacheKey(req: CompileRequest, d: Dispatcher): string | undefined {
  const scope = scopeKey(req.scope);
  if (scope === undefined) return undefined;
  const flags = `${req.backend.name}/${req.optLevel}${d.options.tierUp ? '+tiers' : ''}/${req.fastmath}/${req.boundscheck}/${req.inline}`;
  return `${flags}\u0001${printParams(req.params)}\u0001${Function.prototype.toString.call(req.fn)}\u0001${scope}`;
}

function debugHeader(name: string, text: string): string {
  return `;; ---- jit ${name} ${text}`;
}

function compileNew(fn: AnyFunction, d: Dispatcher, params: readonly Type[], expected?: Signature): Specialization {
  const req = request(fn, d, params);
  const key = d.options.cache ? cacheKey(req, d) : undefined;
  const cached = key === undefined ? undefined : specializationCache.get(key);
  let spec = cached;
  if (!spec) {
    const debug = d.options.debug;
    if (debug) debug(`${debugHeader(d.name, printParams(params))}\n`);
    const result = compileSpecialization(
      req,
      debug
        ? { afterPass: (s) => debug(`;; RVSDG after '${s.pass}'${s.changed ? '' : ' (unchanged)'}\n${s.ir}\n`) }
        : {},
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
      tier: d.options.tierUp ? 'quick' : 'single',
    };
    if (d.options.tierUp) {
      const name = d.name;
      startQuickTier(
        spec,
        result.code,
        debug
          ? {
              installed: (code) =>
                debug(`;; LLVM IR of ${name} after optimization (O3, optimized tier installed)\n${code.irAfter}\n`),
              failed: (error) =>
                debug(`;; jit ${name}: the optimized tier failed, the quick tier stays: ${String(error)}\n`),
            }
          : {},
      );
    }
    if (key !== undefined) specializationCache.set(key, spec);
  }
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

/**
 * Compiles `fn` to native code, one specialization per combination of
 * argument kinds (number, boolean, bigint, each TypedArray kind), each on
 * first use. See JitOptions for the options.
 */
export function jit<F extends AnyFunction>(fn: F, options?: JitOptions): JittedFunction<F> {
  if (typeof fn !== 'function') throw new TypeError(`jit: expected a function, got ${describeValue(fn)}`);
  const resolved = resolveOptions(options);
  const original = ((fn as Partial<{ [jittedMarker]: JittedInfo }>)[jittedMarker]?.original ?? fn) as AnyFunction;
  const name = original.name || 'anonymous';
  const names = parameterNames(original);
  const info: JittedInfo = { original, scope: () => resolved.scope };

  let call: AnyFunction;
  const d: Dispatcher = {
    name,
    names,
    options: resolved,
    table: new Map(),
    order: [],
    allowed: undefined,
  };

  // Source locations count lines of the function they come from; only a lone function's text can be shown for them.
  const sourceLines = (): readonly string[] | undefined => {
    const scope = resolved.scope;
    if (Object.keys(scope).some((k) => typeof scope[k] === 'function')) return undefined;
    return Function.prototype.toString.call(original).split('\n');
  };

  const install = (params: readonly Type[], codes: readonly number[], expected?: Signature): Specialization => {
    const key = keyOf(codes);
    const existing = d.table.get(key);
    if (existing instanceof Error) throw existing;
    if (existing) return existing;
    let spec: Specialization;
    try {
      spec = compileNew(original, d, params, expected);
    } catch (error) {
      // The same arguments would fail the same way: remember it instead of compiling again on every call.
      if (error instanceof Error) d.table.set(key, error);
      throw error;
    }
    d.table.set(key, spec);
    d.order.push(spec);
    return spec;
  };

  const parse = (text: string): { signature: Signature; codes: number[] } => {
    const signature = parseSignature(text);
    return { signature, codes: codesOfSignature(d, signature, text) };
  };

  if (resolved.disable) {
    call = function (this: unknown, ...args: unknown[]) {
      return original.apply(this, args);
    };
  } else {
    const arity = names.length;
    const state: DispatchState = { lastKey: -1, last: undefined };
    // Validates every argument, finds or compiles the specialization, and makes it the fast path's.
    const select = (args: ArrayLike<unknown>): Specialization => {
      if (args.length !== arity) throw countError(name, names, args.length);
      const codes = new Array<number>(arity);
      for (let i = 0; i < arity; i++) {
        const value = args[i];
        const code = kindCodeOf(value);
        if (code === 0) throw argumentError(name, names, i, anyArgument, describeValue(value));
        codes[i] = code;
      }
      for (let i = 0; i < arity; i++) if ((codes[i] as number) >= 3) checkValue(args[i], i, codes[i] as number);
      const key = keyOf(codes);
      let spec: Specialization;
      const entry = d.table.get(key);
      if (entry instanceof Error) throw entry;
      if (entry) spec = entry;
      else if (d.allowed) throw signatureRefusal(d, codes, Array.from(args));
      else
        spec = install(
          codes.map((c) => kindByCode(c)?.type as Type),
          codes,
        );
      state.lastKey = key;
      state.last = spec;
      return spec;
    };
    // BigInts (kind 3) must fit in i64; TypedArrays (4 and up) must have plain, attached memory.
    const checkValue = (value: unknown, i: number, code: number): void => {
      if (typeof value === 'bigint') {
        if (BigInt.asIntN(64, value) !== value) {
          throw new RangeError(
            `${parameterLabel(name, names, i)} is a BigInt outside the 64-bit signed range, which compiled code represents BigInts in`,
          );
        }
        return;
      }
      const problem = bufferProblem(value) ?? memberProblem(value as object, code);
      if (problem) throw new JitTypeError(`${parameterLabel(name, names, i)} ${problem}`, name, i, names[i]);
    };
    const relocate = (error: unknown): unknown => relocateNativeError(error, name, sourceLines);
    call =
      arity <= 13
        ? fastDispatcher(arity)(state, select, kindCodeOf, checkValue, relocate)
        : function (...args: unknown[]) {
            const spec = select(args);
            try {
              return spec.native(...args);
            } catch (error) {
              throw relocate(error);
            }
          };
  }

  if (resolved.signatures && !resolved.disable) {
    const allowed: number[][] = [];
    for (const text of resolved.signatures) {
      const { signature, codes } = parse(text);
      install(signature.params, codes, signature);
      allowed.push(codes);
    }
    (d as { allowed: readonly (readonly number[])[] }).allowed = allowed;
  }

  const findCompiled = (text: string | undefined): { params: readonly Type[]; codes: number[] } => {
    if (text === undefined) {
      if (d.order.length !== 1) {
        throw new TypeError(
          `${name}.inspect: pass a signature; ${d.order.length === 0 ? 'none is compiled yet' : `compiled: ${d.order.map((s) => s.text).join(', ')}`}`,
        );
      }
      const only = d.order[0] as Specialization;
      return { params: only.params, codes: codesOfParams(only.params) };
    }
    const { signature, codes } = parse(text);
    if (d.allowed && !d.allowed.some((a) => a.every((c, i) => c === codes[i]))) {
      throw new TypeError(
        `${name}: signature '${text}' is not among the allowed signatures (${resolved.signatures?.join(', ')})`,
      );
    }
    return { params: signature.params, codes };
  };

  const properties: PropertyDescriptorMap = {
    name: { value: name, configurable: true },
    length: { value: names.length, configurable: true },
    original: { value: original, enumerable: true },
    disabled: { value: resolved.disable, enumerable: true },
    signatures: { get: () => d.order.map((s) => s.text), enumerable: true },
    [jittedMarker]: { value: info },
    compile: {
      value: (text: string): string => {
        if (resolved.disable) throw new Error(`${name}: compilation is disabled (option disable or RVSDG_JIT_DISABLE)`);
        const { params, codes } = findCompiled(text);
        return install(params, codes, parseSignature(text)).text;
      },
    },
    inspect: {
      value: (text?: string): Inspection => {
        if (resolved.disable) throw new Error(`${name}: compilation is disabled (option disable or RVSDG_JIT_DISABLE)`);
        const { params, codes } = findCompiled(text);
        const spec = install(params, codes);
        const passes: PassSnapshot[] = [];
        const result = compileSpecialization(
          { ...request(original, d, params), optLevel: spec.optLevel as CompileRequest['optLevel'] },
          { afterPass: (s) => passes.push(s) },
        );
        try {
          return {
            signature: spec.text,
            tier: spec.tier,
            optLevel: spec.optLevel,
            rvsdg: printModule(result.input),
            passes,
            typed: printModule(result.typed),
            llvmIR: result.code.irBefore,
            optimizedLLVMIR: result.code.irAfter,
            assembly: result.code.assembly(),
            timings: { ...result.timings, backendStages: result.code.timings },
          };
        } finally {
          result.code.dispose();
        }
      },
    },
    whenOptimized: {
      value: async (): Promise<void> => {
        await Promise.all(d.order.map((spec) => spec.tierUp?.()));
      },
    },
  };
  Object.defineProperties(call, properties);
  return call as JittedFunction<F>;
}

/** True for functions returned by `jit`. */
export function isJitted(value: unknown): value is JittedFunction<AnyFunction> {
  return typeof value === 'function' && jittedMarker in value;
}
