import { printModule, type Type } from '@rvsdg/ir';
import { emptyReturnMessages } from '@rvsdg/frontend';
import { compileSpecialization, type CompileRequest, type CompileResult, type PassSnapshot } from './compile.js';
import { anyArgument, argumentError, countError, JitTypeError, parameterLabel, relocateNativeError } from './errors.js';
import { resolveOptions, type JitOptions } from './options.js';
import { parameterNames } from './parameters.js';
import { jittedMarker, type JittedInfo } from './scope.js';
import {
  codesOfParams,
  describeValue,
  functionArgument,
  functionCode,
  kindByCode,
  kindCodeOf,
  parseSignature,
  type Signature,
} from './signature.js';
import { type Specialization, type Tier } from './cache.js';
import { countingCalls } from './tiers.js';
import { bufferProblem, memberProblem } from './array-checks.js';
import { dispatcher, fastCall, unpackArguments } from './fast-call.js';
import type { Lifted, LiftReport } from './lift/lift-function.js';
import { liftInspection, liftOnRefusal } from './lift/lift-on-refusal.js';
import { ArrayCopies, copyArrayArguments, plainArrayProblem } from './plain-arrays.js';
import { guardsHold } from './property-guards.js';

import {
  Dispatcher,
  signatureRefusal,
  codesOfSignature,
  keyOf,
  Functions,
  aliasPattern,
  request,
  hasFastPath,
  keyWithFunctions,
  compileNew,
} from './specialize.js';

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
