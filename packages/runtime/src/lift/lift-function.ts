import { CompileError, fromFunction } from '@rvsdg/frontend';
import { JitTypeError } from '../errors.js';
import { freeName, releaseInspectorObjects } from '../free-names.js';
import { functionScope } from '../scope.js';
import { analyzeFunction, checkPlan, type FunctionPlan, type LoopCandidate } from './analyze.js';

/**
 * Loop lifting, as Numba does it: a function `jit` cannot compile as a
 * whole still gets its loop nests compiled. Each maximal loop the frontend
 * accepts becomes a function of its own (its live-in variables are the
 * parameters, the variables it assigns come back through small typed
 * arrays), compiled by `jit` with the usual specialization on argument
 * kinds; the function itself is rebuilt as JavaScript that calls them, and
 * runs in V8. See the runtime README, "Loop lifting", for the design.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

/** A part of the function left to V8, and what kept it there. */
export interface LeftToV8 {
  /** `function` (the code around the lifted loops) or `loop` (a loop that was not lifted). */
  readonly part: 'function' | 'loop';
  /** 1-based, in the function's source as `fn.toString()` gives it. */
  readonly line: number;
  readonly column: number;
  /** The construct that could not be compiled (`CompileError.construct`), or `lifting` for a rule of lifting itself. */
  readonly construct: string;
  readonly reason: string;
}

/** A loop that runs as compiled code. */
export interface LiftedLoop {
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  /** The variables it receives (declared before it in the function). */
  readonly liveIn: readonly string[];
  /** The variables it assigns, written back after it. */
  readonly liveOut: readonly string[];
  /** The name of the compiled function (it appears in errors raised by the loop). */
  readonly name: string;
  /** Signatures compiled so far for the loop. */
  readonly signatures: readonly string[];
  /** Calls that ran this loop in V8 because the compiled loop refused their values, and the last reason. */
  readonly fallbacks: number;
  readonly lastFallback: string | undefined;
}

export interface LiftReport {
  readonly lifted: readonly LiftedLoop[];
  readonly leftToV8: readonly LeftToV8[];
}

/** What the runtime hands to lifting. */
export interface LiftRequest {
  readonly fn: AnyFunction;
  readonly name: string;
  /** The `scope` option: it overrides the bindings the compiled loops see (the V8 part always sees the real ones). */
  readonly scope: Readonly<Record<string, unknown>>;
  /** Compiles an outlined loop: `jit` with the function's options, `lift: false` and this scope. */
  readonly compile: (
    kernel: AnyFunction,
    scope: Readonly<Record<string, unknown>>,
  ) => AnyFunction & {
    readonly signatures: readonly string[];
  };
  /** Why the function as a whole was refused. */
  readonly refusal: Error;
  /** Check the analysis's postconditions. */
  readonly check: boolean;
}

export interface Lifted {
  /** The rebuilt function: call it with the original's `this` and arguments. */
  readonly run: AnyFunction;
  report(): LiftReport;
  /** The compiled functions of the lifted loop named `name` (one per kinds of its live-outs). */
  kernels(name: string): readonly AnyFunction[];
}

/** Why nothing was lifted; the function stays refused. */
export interface NotLifted {
  readonly lifted: false;
  readonly reasons: readonly string[];
}

function fresh(taken: Set<string>, base: string): string {
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}

interface LoopState {
  readonly candidate: LoopCandidate;
  readonly name: string;
  readonly scope: Readonly<Record<string, unknown>>;
  /** Index in the argument list of each live-out. */
  readonly outIndex: readonly number[];
  readonly variants: Map<string, Variant>;
  readonly result: unknown[];
  fallbacks: number;
  lastFallback: string | undefined;
}

interface Variant {
  readonly kernel: AnyFunction & { readonly signatures: readonly string[] };
  readonly f64: Float64Array;
  readonly i64: BigInt64Array;
  /** The arrays the kernel takes after the live-ins. */
  readonly arrays: readonly (Float64Array | BigInt64Array)[];
  /** Slot of each live-out in f64 (numbers, booleans) or i64 (BigInts). */
  readonly slots: readonly number[];
}

/** How a live-out's kind is written by the kernel: n(umber), b(oolean), g (BigInt). */
type OutKind = 'n' | 'b' | 'g';

/**
 * The outlined loop as the source of a function. Lines before the loop are
 * blank so that positions in its errors are those of the original function.
 */
function kernelSource(
  state: { candidate: LoopCandidate; name: string },
  kinds: readonly OutKind[],
  f64: string,
  i64: string,
): string {
  const c = state.candidate;
  // The arrays for the live-outs are parameters only when some live-out needs them (each TypedArray argument costs a check per call).
  const arrays = [...(kinds.some((k) => k !== 'g') ? [f64] : []), ...(kinds.includes('g') ? [i64] : [])];
  const header = `function ${state.name}(${[...c.params, ...arrays].join(', ')}) {`;
  const pad = c.line > 1 ? '\n'.repeat(c.line - 1) + ' '.repeat(Math.max(0, c.column - 1)) : ' ';
  let f = 0;
  let g = 0;
  const writes = c.outs.map((name, i) =>
    kinds[i] === 'g' ? `${i64}[${g++}] = ${name};` : `${f64}[${f++}] = ${kinds[i] === 'b' ? `${name} ? 1 : 0` : name};`,
  );
  return `${header}${pad}${c.kernelText}\n${writes.join(' ')}\n}`;
}

function functionFromSource(source: string): AnyFunction {
  return new Function(`return ${source}`)() as AnyFunction;
}

/**
 * The value a free name has for the original function: its binding if the
 * inspector finds one (it must be fixed, or the rebuilt code would hold a
 * stale copy), the function itself for a named function expression's own
 * name; undefined when the name is a global (read live by the rebuilt code).
 */
function bindingOf(
  fn: AnyFunction,
  plan: FunctionPlan,
  name: string,
): { value: unknown } | { refused: string } | undefined {
  const found = freeName(fn, name);
  if (found.found) {
    if (found.fixed) return { value: found.value };
    return {
      refused:
        `'${name}' is a binding that can change after compilation (not a const, and assigned somewhere in its script), ` +
        'which the rebuilt function could only copy',
    };
  }
  if (name === plan.selfName) return { value: fn };
  return undefined;
}

function leftFromError(part: 'function' | 'loop', error: unknown, at: LoopCandidate | undefined): LeftToV8 {
  if (error instanceof CompileError) {
    return { part, line: error.line, column: error.column, construct: error.construct, reason: error.reason };
  }
  const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return {
    part,
    line: at?.line ?? 1,
    column: at?.column ?? 1,
    construct: error instanceof JitTypeError ? 'argument' : 'lifting',
    reason,
  };
}

/**
 * Why the frontend refuses `fn`'s code whatever its arguments, or undefined
 * when it accepts it (then a refusal came from the arguments: their kinds,
 * their count, a callback, types inferred for them, and stays a refusal).
 * A call through a parameter is compiled only for a function argument, so
 * a refusal of that is not one of the code.
 */
export function sourceRefusal(fn: AnyFunction, scope: Readonly<Record<string, unknown>>): CompileError | undefined {
  try {
    fromFunction(fn, { scope, caller: 'jit', scopeOf: functionScope });
    return undefined;
  } catch (error) {
    if (error instanceof CompileError && error.construct !== 'call of a local variable') return error;
    return undefined;
  } finally {
    releaseInspectorObjects();
  }
}

/** Rebuilds `request.fn` with its liftable loops compiled, or says why nothing could be lifted. */
export function liftFunction(request: LiftRequest): Lifted | NotLifted {
  try {
    return lift(request);
  } finally {
    releaseInspectorObjects();
  }
}

function lift(request: LiftRequest): Lifted | NotLifted {
  const { fn } = request;
  const source = Function.prototype.toString.call(fn);
  let plan: FunctionPlan;
  try {
    plan = analyzeFunction(source, Object.prototype.hasOwnProperty.call(fn, 'caller'));
  } catch (error) {
    return { lifted: false, reasons: [error instanceof Error ? error.message : String(error)] };
  }
  if (request.check) checkPlan(plan);
  if (plan.refusal) return { lifted: false, reasons: [plan.refusal] };
  const bound = new Map<string, unknown>();
  for (const name of plan.freeNames) {
    const binding = bindingOf(fn, plan, name);
    if (binding === undefined) continue;
    if ('refused' in binding) return { lifted: false, reasons: [binding.refused] };
    bound.set(name, binding.value);
  }
  const taken = new Set(plan.identifiers);
  for (const name of plan.freeNames) taken.add(name);
  const liftName = fresh(taken, '$lift');
  const resultName = fresh(taken, '$out');
  const f64Name = fresh(taken, '$f64');
  const i64Name = fresh(taken, '$i64');
  const left: LeftToV8[] = [leftFromError('function', request.refusal, undefined)];
  const loops: LoopState[] = [];
  const replacements = new Map<LoopCandidate, string>();
  const consider = (c: LoopCandidate): void => {
    const refuse = (entry: LeftToV8): void => {
      left.push(entry);
      c.inner.forEach(consider);
    };
    if (c.refusal) {
      refuse({ part: 'loop', line: c.line, column: c.column, construct: 'lifting', reason: c.refusal });
      return;
    }
    const scope: Record<string, unknown> = {};
    for (const name of c.freeNames) {
      if (Object.prototype.hasOwnProperty.call(request.scope, name)) {
        scope[name] = request.scope[name];
        continue;
      }
      const binding = bindingOf(fn, plan, name);
      if (binding === undefined) continue;
      if ('refused' in binding) {
        refuse({ part: 'loop', line: c.line, column: c.column, construct: 'free name', reason: binding.refused });
        return;
      }
      scope[name] = binding.value;
    }
    const name = fresh(taken, `${/^[A-Za-z_$][\w$]*$/.test(request.name) ? request.name : 'anonymous'}$loop${c.line}`);
    const state: LoopState = {
      candidate: c,
      name,
      scope,
      outIndex: c.outs.map((o) => c.params.indexOf(o)),
      variants: new Map(),
      result: new Array<unknown>(c.outs.length),
      fallbacks: 0,
      lastFallback: undefined,
    };
    // The frontend decides now whether the loop compiles at all; types are checked per call.
    try {
      const probe = functionFromSource(
        kernelSource(
          state,
          c.outs.map(() => 'n'),
          f64Name,
          i64Name,
        ),
      );
      fromFunction(probe, { scope, caller: 'jit', scopeOf: functionScope });
    } catch (error) {
      refuse(leftFromError('loop', error, c));
      return;
    }
    const index = loops.length;
    loops.push(state);
    const args = [String(index), ...c.params].join(', ');
    const original = c.loopText;
    const writeBack = c.outs.map((o, i) => `${o} = ${resultName}[${i}];`).join(' ');
    replacements.set(
      c,
      c.outs.length === 0
        ? `{ ${c.prefix} if (${liftName}(${args}) === null) ${original}\n}`
        : `{ ${c.prefix} const ${resultName} = ${liftName}(${args}); if (${resultName} === null) ${original}\n else { ${writeBack} } }`,
    );
  };
  plan.loops.forEach(consider);
  if (loops.length === 0) {
    return { lifted: false, reasons: left.slice(1).map((l) => `line ${l.line}: ${l.reason}`) };
  }

  const variantOf = (state: LoopState, kinds: string): Variant => {
    let variant = state.variants.get(kinds);
    if (variant) return variant;
    const outKinds = [...kinds] as OutKind[];
    const kernel = request.compile(functionFromSource(kernelSource(state, outKinds, f64Name, i64Name)), state.scope);
    const slots: number[] = [];
    let f = 0;
    let g = 0;
    for (const k of outKinds) slots.push(k === 'g' ? g++ : f++);
    const f64 = new Float64Array(Math.max(1, f));
    const i64 = new BigInt64Array(Math.max(1, g));
    const arrays = [...(f > 0 ? [f64] : []), ...(g > 0 ? [i64] : [])];
    variant = { kernel, f64, i64, arrays, slots };
    state.variants.set(kinds, variant);
    return variant;
  };

  /** Runs loop `index` compiled; null when it refuses these values (then the V8 copy of the loop runs). */
  const runLoop = (index: number, ...args: unknown[]): unknown[] | null => {
    const state = loops[index] as LoopState;
    let kinds = '';
    for (const i of state.outIndex) {
      const t = typeof args[i];
      if (t === 'number') kinds += 'n';
      else if (t === 'boolean') kinds += 'b';
      else if (t === 'bigint') kinds += 'g';
      else {
        state.fallbacks++;
        state.lastFallback = `'${state.candidate.params[i] ?? ''}' is ${t === 'object' && args[i] === null ? 'null' : t} before the loop, and only numbers, booleans and BigInts come back from compiled loops`;
        return null;
      }
    }
    let variant: Variant;
    try {
      variant = variantOf(state, kinds);
      variant.kernel(...args, ...variant.arrays);
    } catch (error) {
      // Refusals happen before any of the loop runs: running it in V8 instead is exact.
      if (error instanceof CompileError || error instanceof JitTypeError) {
        state.fallbacks++;
        state.lastFallback = error.message.split('\n')[0];
        return null;
      }
      throw error;
    }
    const result = state.result;
    for (let j = 0; j < kinds.length; j++) {
      const slot = variant.slots[j] as number;
      const k = kinds[j];
      result[j] = k === 'g' ? variant.i64[slot] : k === 'b' ? variant.f64[slot] !== 0 : variant.f64[slot];
    }
    return result;
  };

  const rebuilt = plan.rebuild(replacements);
  const names = [...bound.keys()];
  const directive = plan.strict ? '"use strict"; ' : '';
  let run: AnyFunction;
  try {
    const factory = new Function(liftName, ...names, `${directive}return ${rebuilt}`) as (
      ...a: unknown[]
    ) => AnyFunction;
    run = factory(runLoop, ...names.map((n) => bound.get(n)));
  } catch (error) {
    // Not expected (the text is the original's with whole statements replaced); the function then stays refused.
    return { lifted: false, reasons: [`the rebuilt function does not parse: ${String(error)}`] };
  }
  return {
    run,
    report: () => ({
      lifted: loops.map((s) => ({
        line: s.candidate.line,
        column: s.candidate.column,
        kind: s.candidate.kind,
        liveIn: s.candidate.params,
        liveOut: s.candidate.outs,
        name: s.name,
        signatures: [...s.variants.values()].flatMap((v) => v.kernel.signatures),
        fallbacks: s.fallbacks,
        lastFallback: s.lastFallback,
      })),
      leftToV8: left,
    }),
    kernels: (kernelName) =>
      [...(loops.find((s) => s.name === kernelName)?.variants.values() ?? [])].map((v) => v.kernel),
  };
}

/** The report as text, one line per part. */
export function printLiftReport(name: string, report: LiftReport): string {
  const lines = [`${name}: ${report.lifted.length} loop nest(s) lifted, the rest runs in V8`];
  for (const l of report.lifted) {
    const io = `in: ${l.liveIn.join(', ') || '-'}; out: ${l.liveOut.join(', ') || '-'}`;
    const sigs = l.signatures.length ? ` ${l.signatures.join(', ')}` : ' (not called yet)';
    const fallback = l.fallbacks ? `; ran in V8 ${l.fallbacks} time(s): ${l.lastFallback ?? ''}` : '';
    lines.push(`  lifted  line ${l.line}: ${l.kind} loop as ${l.name} (${io})${sigs}${fallback}`);
  }
  for (const l of report.leftToV8) {
    lines.push(`  V8      line ${l.line}, column ${l.column}: ${l.part} [${l.construct}] ${l.reason}`);
  }
  return lines.join('\n');
}
