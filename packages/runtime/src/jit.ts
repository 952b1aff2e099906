import { printModule, type Type } from '@rvsdg/ir';
import { llvmBackend, type Backend, type CodeArtifact } from './backend.js';
import { emptyReturnMessages, type CompiledJs } from '@rvsdg/frontend';
import {
  compileFrontend,
  compileSpecialization,
  nativeParams,
  type CompileRequest,
  type CompileResult,
  type PassSnapshot,
} from './compile.js';
import { anyArgument, argumentError, countError, JitTypeError, parameterLabel, relocateNativeError } from './errors.js';
import { optimizedTierOptLevel, resolveOptions, type JitOptions, type ResolvedOptions } from './options.js';
import { parameterNames } from './parameters.js';
import { jittedMarker, type JittedInfo } from './scope.js';
import {
  codesOfParams,
  describeValue,
  functionArgument,
  functionCode,
  jsResultKind,
  kindByCode,
  kindCodeOf,
  scopeValueType,
  parseSignature,
  printParams,
  printSignature,
  type Signature,
} from './signature.js';
import { specializationCache, type Specialization, type Tier } from './cache.js';
import { countingCalls, startQuickTier } from './tiers.js';
import { diskSlot, loadFromDisk, storeOnDisk } from './disk-specialization.js';
import { bufferProblem, memberProblem } from './array-checks.js';
import { dispatcher, fastCall, unpackArguments } from './fast-call.js';
import type { Lifted, LiftReport } from './lift/lift-function.js';
import { liftInspection, liftOnRefusal } from './lift/lift-on-refusal.js';
import { ArrayCopies, copyArrayArguments, plainArrayProblem } from './plain-arrays.js';
import { guardsHold } from './property-guards.js';

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
  /**
   * Present when the function runs lifted (see the README's "Loop lifting"):
   * the loops compiled and, for each part left to V8, the construct and
   * line that kept it there. The other fields then describe the compiled
   * loops, one after the other.
   */
  readonly lift?: LiftReport & { readonly text: string };
}

/** The function `jit` returns: call it like the original. */
export type JittedFunction<F extends AnyFunction> = ((...args: Parameters<F>) => ReturnType<F>) & {
  /** The plain JavaScript function. */
  readonly original: F;
  /** Signatures compiled so far, like `(f64[], f64[]) -> f64`. */
  readonly signatures: readonly string[];
  /** True when calls run the original (option `disable` or RVSDG_JIT_DISABLE). */
  readonly disabled: boolean;
  /** The loop-lifting report once a call made the function run lifted (option `lift`), else undefined. */
  readonly lifted: LiftReport | undefined;
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

type Functions = ReadonlyMap<number, AnyFunction>;

/** Which TypedArray arguments are the same object: `i=j,` for each one identical to an earlier argument j. */
function aliasPattern(args: ArrayLike<unknown>): string {
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

function request(
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
function hasFastPath(spec: Specialization, codes: readonly number[]): boolean {
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
function keyWithFunctions(codes: readonly number[], functions: Functions): string {
  const ids = [...functions].map(([i, f]) => {
    let id = functionIds.get(f);
    if (id === undefined) functionIds.set(f, (id = nextFunctionId++));
    return `${i}:${id}`;
  });
  return `${codes.join(',')}|${ids.join(',')}`;
}

function compileNew(
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
  // Set when every call runs lifted.
  let liftedForAll: AnyFunction | undefined;
  const lifting = liftOnRefusal(original, name, resolved, (kernel, scope) => {
    const { scope: _scope, signatures: _signatures, lift: _lift, ...rest } = options ?? {};
    return jit(kernel, { ...rest, scope, lift: false });
  });
  const liftedRun = lifting.run;
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

  const install = (
    params: readonly Type[],
    codes: readonly number[],
    expected?: Signature,
    functions?: Functions,
    aliases = '',
  ): Specialization => {
    const base = functions ? keyWithFunctions(codes, functions) : keyOf(codes);
    const key = aliases ? `${base}|alias:${aliases}` : base;
    const existing = d.table.get(key);
    if (existing instanceof Error) throw existing;
    if (existing) return existing;
    let spec: Specialization;
    try {
      spec = compileNew(original, d, params, expected, functions, aliases);
    } catch (error) {
      // The same arguments would fail the same way: remember it instead of compiling again on every call.
      if (error instanceof Error) d.table.set(key, error);
      throw error;
    }
    d.table.set(key, spec);
    if (key !== base && spec.identity === undefined && !d.table.has(base)) d.table.set(base, spec);
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
    // Validates every argument and finds or compiles the specialization.
    const select = (args: ArrayLike<unknown>): { spec: Specialization; codes: number[] } => {
      if (args.length !== arity) throw countError(name, names, args.length);
      const codes = new Array<number>(arity);
      let functions: Map<number, AnyFunction> | undefined;
      for (let i = 0; i < arity; i++) {
        const value = args[i];
        const code = kindCodeOf(value);
        if (code === 0 && typeof value === 'function' && !d.allowed) {
          // A callback: the specialization is on its identity (every call with one goes through here).
          (functions ??= new Map()).set(i, value as AnyFunction);
          codes[i] = functionCode;
          continue;
        }
        if (code === 0) throw argumentError(name, names, i, anyArgument, describeValue(value));
        codes[i] = code;
      }
      for (let i = 0; i < arity; i++) {
        const code = codes[i] as number;
        if (code === 3 || kindByCode(code)?.typedArray === true) checkValue(args[i], i, code);
      }
      // TypedArray arguments that are the same object make another specialization (`out === a` is a constant in it).
      const aliases = aliasPattern(args);
      const base = functions ? keyWithFunctions(codes, functions) : keyOf(codes);
      const key = aliases ? `${base}|alias:${aliases}` : base;
      let spec: Specialization;
      let entry = d.table.get(key);
      if (entry === undefined && aliases) {
        // Code that never compares its TypedArray arguments does not depend on which are the same object.
        const plain = d.table.get(base);
        if (plain !== undefined && !(plain instanceof Error) && plain.identity === undefined) entry = plain;
      }
      if (entry instanceof Error) throw entry;
      if (entry) spec = entry;
      else if (d.allowed) throw signatureRefusal(d, codes, Array.from(args));
      else
        spec = install(
          codes.map((c) => (c === functionCode ? functionArgument : (kindByCode(c)?.type as Type))),
          codes,
          undefined,
          functions,
          aliases,
        );
      return { spec, codes };
    };
    // Each with the native function it calls: installing the optimized tier replaces `spec.native`, and the fast path with it.
    const fastPaths = new Map<Specialization, { readonly fn: AnyFunction; readonly native: AnyFunction }>();
    // Specializations on undefined or function arguments, or on which TypedArray arguments are the same object, select on every call.
    const viaSlow = function (this: unknown, ...args: unknown[]): unknown {
      return slow.call(this, args);
    };
    // Arguments the current fast path did not accept: full checks, then that specialization's fast path becomes the current one.
    const slow = function (this: unknown, given: ArrayLike<unknown>): unknown {
      if (liftedForAll) return liftedForAll.apply(this, given as unknown[]);
      // Omitted arguments are undefined, as in JavaScript; more arguments than parameters are refused.
      let args = given.length < arity ? Array.from({ length: arity }, (_, i) => given[i]) : given;
      // Plain Arrays of numbers run as Float64Array copies, written back after the call (plain-arrays.ts).
      const copies = new ArrayCopies();
      if (Array.prototype.some.call(args, (a) => Array.isArray(a))) {
        args = copyArrayArguments(args, copies, (i, problem) => {
          return new JitTypeError(`${parameterLabel(name, names, i)} ${problem}`, name, i, names[i]);
        });
      }
      let selected: { spec: Specialization; codes: number[] };
      try {
        selected = select(args);
        if (selected.spec.guards && !guardsHold(selected.spec.guards)) {
          forget(selected.spec);
          selected = select(args);
        }
      } catch (error) {
        const run = liftedRun(error);
        if (!run) throw error;
        // The code is refused whatever the arguments: every later call goes straight to the lifted function.
        liftedForAll = run;
        setFast(run);
        return run.apply(this, given as unknown[]);
      }
      const { spec, codes } = selected;
      let fast = fastPaths.get(spec);
      if (!fast || fast.native !== spec.native) {
        const native = spec.native;
        const fn = hasFastPath(spec, codes) ? fastCall(codes, native, slow, relocate, spec.globals) : viaSlow;
        fast = { fn, native };
        fastPaths.set(spec, fast);
      }
      const countCall = spec.countCall;
      if (countCall && fast.fn !== viaSlow) {
        // A quick tier's first calls are counted (tiers.ts), then the fast path is called directly.
        const native = fast.native;
        setFast(
          countingCalls(fast.fn, countCall, (plain, counting) => {
            // Unless a call in between made another fast path the current one; with the optimized tier
            // installed meanwhile (whenOptimized), the next call makes the fast path around its function.
            if (current === counting) setFast(spec.native === native ? plain : viaSlow);
          }),
        );
      } else {
        setFast(fast.fn);
      }
      const globals = (spec.globals ?? []).map((array) => {
        if (Array.isArray(array)) {
          const copy = copies.copyOf(array as number[]);
          if (copy) return copy;
          const problem = plainArrayProblem(array) ?? 'is not a plain Array of numbers';
          throw new JitTypeError(`${name}: an Array it reads from its scope ${problem}`, name);
        }
        const problem = bufferProblem(array);
        if (problem) throw new JitTypeError(`${name}: a TypedArray it reads from its scope ${problem}`, name);
        return array;
      });
      const start = countCall ? performance.now() : 0;
      try {
        const result = spec.native(...unpackArguments(args, codes, globals));
        return copies.size > 0 ? copies.original(result) : result;
      } catch (error) {
        return relocate(error);
      } finally {
        countCall?.(performance.now() - start);
        if (copies.size > 0) copies.writeBack();
      }
    };
    // A specialization compiled with a scope property that has changed since: compiled again on the next selection.
    const forget = (spec: Specialization): void => {
      for (const [key, entry] of d.table) if (entry === spec) d.table.delete(key);
      const index = d.order.indexOf(spec);
      if (index >= 0) d.order.splice(index, 1);
      fastPaths.delete(spec);
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
    // An entry's `return` of undefined or null on a path where others return values comes out as an Error (from-function.ts).
    const relocate = (error: unknown): unknown => {
      if (error instanceof Error && error.constructor === Error) {
        const message = error.message.replace(/ \(line \d+\)$/, '');
        if (message === emptyReturnMessages.undefined) return undefined;
        if (message === emptyReturnMessages.null) return null;
      }
      throw relocateNativeError(error, name, sourceLines);
    };
    const dispatch = dispatcher(arity, slow, function (this: unknown, ...args: unknown[]) {
      return slow.call(this, args);
    });
    let current: AnyFunction | undefined;
    const setFast = (fast: AnyFunction): void => {
      current = fast;
      dispatch.setFast(fast);
    };
    call = dispatch.call;
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
    lifted: { get: () => lifting.lifted()?.report(), enumerable: true },
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
        const lifted = lifting.lifted();
        if (liftedForAll && lifted) return liftInspection(name, lifted);
        let found: { params: readonly Type[]; codes: number[] };
        let spec: Specialization;
        try {
          found = findCompiled(text);
          spec = install(found.params, found.codes);
        } catch (error) {
          if (lifted || (text !== undefined && liftedRun(error))) {
            return liftInspection(name, lifting.lifted() as Lifted);
          }
          throw error;
        }
        const { params } = found;
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
