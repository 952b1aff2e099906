import type { SourceLoc } from '../nodes/loc.js';
import type { Module } from '../nodes/module.js';
import type { Node } from '../nodes/node.js';
import type { Origin } from '../nodes/origin.js';
import { originType, type Region } from '../nodes/region.js';
import type { GammaNode } from '../nodes/gamma.js';
import type { LambdaNode } from '../nodes/lambda.js';
import type { PhiNode } from '../nodes/phi.js';
import { defaultRegistry } from '../ops/default-registry.js';
import { callOp } from '../ops/builtin.js';
import {
  OpError,
  messageWithLine,
  programErrorBrand,
  unknownOpMessage,
  type ErrorName,
  type EvalContext,
  type OpDef,
  type OpInstance,
} from '../ops/op.js';
import type { OpRegistry } from '../ops/registry.js';
import { typeToString, type FunctionType, type Type } from '../types/type.js';
import { valueHasType, type FunctionValue, type Value } from './value.js';

/**
 * The interpreter is the definition of what the IR means: every pass and
 * backend is tested against it, so it stays literal. Each region is
 * evaluated by one loop over its nodes in their (topological) order; gamma
 * evaluates only the chosen region, theta re-evaluates its region while the
 * predicate is 1, lambda makes a closure over its context values, phi binds
 * its recursion variables to placeholder function values that take on the
 * definitions once its region has produced them (so they may be called only
 * after that, from inside the functions), delta evaluates its region once
 * where it stands, and a `call` invokes the callee directly (what the
 * builtin op's meaning does through EvalContext.call).
 *
 * Errors, by class:
 * - `InterpreterError` (a subclass of `OpError`): a program error, i.e. what
 *   the program itself would throw in JavaScript (an op's OpError such as an
 *   out-of-bounds index, an i64 overflow or `raise`; arguments that do not
 *   match the parameter types; JavaScript's stack overflow). It is an
 *   instance of the JavaScript class native code throws (`errorName`:
 *   RangeError, TypeError or Error) with native code's message: the op's
 *   message (kept as `reason`) then ` (line N)` when the node has a source
 *   location. It also carries the location and the id and op of the node
 *   that raised it. An OpError is wrapped once, at the node where it was raised
 *   (for an imported function, the call node), and passes unchanged through
 *   the calls above it.
 * - `FuelExhausted`: the step budget ran out; not a program error.
 * - Any other exception means the module is malformed (run the verifier) or
 *   an op definition is broken.
 */

const jsErrorClasses: Readonly<Record<ErrorName, ErrorConstructor>> = { Error, RangeError, TypeError };

/**
 * A program error raised while interpreting; see the file comment. What
 * `new InterpreterError(...)` makes is an instance of the JavaScript class
 * native code throws (`RangeError`, `TypeError`, `Error`, so `name` is that
 * class) with the same message, ` (line N)` included, plus the fields
 * below; `instanceof InterpreterError` and `instanceof OpError` hold for it.
 */
export class InterpreterError extends OpError {
  /** The node whose evaluation raised the error, when it came from a node. */
  declare readonly nodeId?: number;
  /** The op of that node, when it is a simple node. */
  declare readonly op?: string;

  constructor(errorName: ErrorName, reason: string, loc?: SourceLoc, nodeId?: number, op?: string) {
    super(errorName, reason, loc);
    const error = new jsErrorClasses[errorName](messageWithLine(reason, loc));
    for (const [key, value] of Object.entries({ errorName, reason, loc, nodeId, op })) {
      Object.defineProperty(error, key, { value, enumerable: false, writable: false, configurable: true });
    }
    Object.defineProperty(error, programErrorBrand, { value: InterpreterError });
    // The JavaScript error, not this OpError, is what `new` gives (see OpError's instanceof).
    return error as unknown as InterpreterError;
  }
}

/** The interpretation took more steps than its fuel allowed. */
export class FuelExhausted extends Error {
  constructor(readonly fuel: number) {
    super(`interpretation ran out of fuel (${fuel} steps)`);
    this.name = 'FuelExhausted';
  }
}

export interface InterpretOptions {
  /** Registry resolving the ops of simple nodes; the default registry when absent. */
  readonly registry?: OpRegistry;
  /**
   * Step budget: one step per node evaluated and one per theta iteration
   * (so an empty loop body still consumes fuel). Default: 100 million.
   */
  readonly fuel?: number;
  /** Values of the module's imports, by name. */
  readonly imports?: Readonly<Record<string, Value>>;
}

export const defaultFuel = 100_000_000;

/** Per-region data computed once per region object (and registry). */
interface RegionPlan {
  readonly slotCount: number;
  readonly argCount: number;
  /** First slot of each node's outputs. */
  readonly base: readonly number[];
  /** Slot of each input of each node. */
  readonly inputSlots: readonly (readonly number[])[];
  readonly resultSlots: readonly number[];
  /** For simple nodes: the op, its instance and evaluation context. */
  readonly simple: readonly (SimplePlan | undefined)[];
}

interface SimplePlan {
  readonly def: OpDef;
  readonly instance: OpInstance;
  readonly context: EvalContext;
}

const plans = new WeakMap<OpRegistry, WeakMap<Region, RegionPlan>>();

const callFunction = (callee: FunctionValue, args: readonly Value[]): readonly Value[] => callee.invoke(args);

function plansFor(registry: OpRegistry): WeakMap<Region, RegionPlan> {
  let byRegion = plans.get(registry);
  if (!byRegion) {
    byRegion = new WeakMap();
    plans.set(registry, byRegion);
  }
  return byRegion;
}

function planRegion(region: Region, registry: OpRegistry, byRegion: WeakMap<Region, RegionPlan>): RegionPlan {
  const argCount = region.arguments.length;
  const baseById = new Map<number, number>();
  const outputCount = new Map<number, number>();
  const typeOfSlot: Type[] = [...region.arguments];
  const base: number[] = [];
  let next = argCount;
  for (const node of region.nodes) {
    base.push(next);
    baseById.set(node.id, next);
    outputCount.set(node.id, node.outputs.length);
    next += node.outputs.length;
    typeOfSlot.push(...node.outputs);
  }
  const slotOf = (origin: Origin, where: string): number => {
    if (origin.kind === 'arg') {
      if (origin.index < 0 || origin.index >= argCount)
        throw new Error(`${where} refers to missing argument ${origin.index}`);
      return origin.index;
    }
    const b = baseById.get(origin.node);
    if (b === undefined || origin.index < 0 || origin.index >= (outputCount.get(origin.node) as number)) {
      throw new Error(`${where} refers to missing output ${origin.node}.${origin.index}`);
    }
    return b + origin.index;
  };
  const inputSlots = region.nodes.map((node, k) => {
    const slots = node.inputs.map((input) => slotOf(input, `node ${node.id}`));
    // Topological order is what makes one forward loop correct.
    for (const s of slots) {
      if (s >= (base[k] as number))
        throw new Error(`node ${node.id} uses a value defined after it (regions must be in topological order)`);
    }
    return slots;
  });
  const simple = region.nodes.map((node, k): SimplePlan | undefined => {
    if (node.kind !== 'simple') return undefined;
    const def = registry.get(node.op);
    if (!def)
      throw new Error(
        `node ${node.id}: ${unknownOpMessage(
          node.op,
          registry.dialects().map((d) => d.name),
        )}`,
      );
    const operandTypes = (inputSlots[k] as number[]).map((s) => typeOfSlot[s] as Type);
    return {
      def,
      instance: { attrs: node.attrs, operandTypes, resultTypes: node.outputs },
      context: node.loc ? { call: callFunction, loc: node.loc } : { call: callFunction },
    };
  });
  const plan: RegionPlan = {
    slotCount: next,
    argCount,
    base,
    inputSlots,
    resultSlots: region.results.map((r, i) => slotOf(r, `result ${i}`)),
    simple,
  };
  byRegion.set(region, plan);
  return plan;
}

/** State of one interpretation: the registry and the remaining fuel. */
class Run {
  remaining: number;
  readonly #plans: WeakMap<Region, RegionPlan>;

  constructor(
    readonly registry: OpRegistry,
    readonly fuel: number,
  ) {
    // NaN would never run out (`--NaN < 0` is false): a wrong fuel must not mean no limit.
    if (typeof fuel !== 'number' || !(fuel >= 0))
      throw new RangeError(`fuel must be a number >= 0, got ${String(fuel)}`);
    this.remaining = fuel;
    this.#plans = plansFor(registry);
  }

  step(): void {
    if (--this.remaining < 0) throw new FuelExhausted(this.fuel);
  }

  evalRegion(region: Region, args: readonly Value[]): Value[] {
    const plan = this.#plans.get(region) ?? planRegion(region, this.registry, this.#plans);
    if (args.length !== plan.argCount) throw new Error(`region expects ${plan.argCount} arguments, got ${args.length}`);
    const slots: Value[] = new Array<Value>(plan.slotCount);
    for (let i = 0; i < args.length; i++) slots[i] = args[i];
    const nodes = region.nodes;
    let k = 0;
    try {
      for (; k < nodes.length; k++) {
        if (--this.remaining < 0) throw new FuelExhausted(this.fuel);
        const node = nodes[k] as Node;
        const inSlots = plan.inputSlots[k] as readonly number[];
        const inputs: Value[] = new Array<Value>(inSlots.length);
        for (let i = 0; i < inSlots.length; i++) inputs[i] = slots[inSlots[i] as number];
        const simple = plan.simple[k];
        let outputs: readonly Value[];
        // Calls and gammas are evaluated here rather than in helpers: fewer JavaScript frames per
        // IR call lets recursion in the program go about three times deeper before the stack runs out.
        if (simple === undefined) {
          outputs =
            node.kind === 'gamma'
              ? this.evalRegion(gammaRegion(node, inputs[0]), inputs.slice(1))
              : this.evalStructural(node, inputs);
        } else if (simple.def === callOp) {
          outputs = (inputs[0] as FunctionValue).invoke(inputs.slice(1));
        } else {
          outputs = simple.def.evaluate(inputs, simple.instance, simple.context);
        }
        if (outputs.length !== node.outputs.length) {
          throw new Error(`node ${node.id} produced ${outputs.length} values for ${node.outputs.length} outputs`);
        }
        const b = plan.base[k] as number;
        for (let i = 0; i < outputs.length; i++) slots[b + i] = outputs[i];
      }
    } catch (error) {
      throw annotate(error, nodes[k] as Node);
    }
    return plan.resultSlots.map((s) => slots[s]);
  }

  evalStructural(node: Node, inputs: Value[]): readonly Value[] {
    switch (node.kind) {
      case 'simple':
        throw new Error(`node ${node.id}: simple node without a plan`);
      case 'gamma':
        return this.evalRegion(gammaRegion(node, inputs[0]), inputs.slice(1));
      case 'theta': {
        const region = node.regions[0];
        let vars: Value[] = inputs;
        for (;;) {
          this.step();
          const results = this.evalRegion(region, vars);
          const predicate = results[0];
          vars = results.slice(1);
          if (predicate === 0) return vars;
          if (predicate !== 1) throw new Error(`theta ${node.id}: predicate ${String(predicate)} is not 0 or 1`);
        }
      }
      case 'lambda':
        return [this.closure(node, inputs)];
      case 'delta':
        return this.evalRegion(node.regions[0], inputs);
      case 'phi':
        return this.evalPhi(node, inputs);
    }
  }

  closure(node: LambdaNode, context: readonly Value[]): FunctionValue {
    const { name, type } = node;
    const region = node.regions[0];
    const invoke = (args: readonly Value[]): readonly Value[] => {
      checkArguments(node, args);
      return this.evalRegion(region, [...args, ...context]);
    };
    return { kind: 'function', name, type, invoke };
  }

  evalPhi(node: PhiNode, context: readonly Value[]): readonly Value[] {
    const region = node.regions[0];
    // Recursion variables are placeholders until the region has produced the definitions.
    const recursion = node.outputs.map((type, i): { -readonly [K in keyof FunctionValue]: FunctionValue[K] } => {
      const result = region.results[i];
      const def = result?.kind === 'out' ? region.nodes.find((n) => n.id === result.node) : undefined;
      const name = def?.kind === 'lambda' ? def.name : `phi${node.id}.${i}`;
      return {
        kind: 'function',
        name,
        type,
        invoke() {
          throw new Error(`phi ${node.id}: '${name}' was called before the phi region defined it`);
        },
      };
    });
    const results = this.evalRegion(region, [...recursion, ...context]);
    results.forEach((value, i) => {
      const type = node.outputs[i] as FunctionType;
      if (!valueHasType(value, type)) throw new Error(`phi ${node.id}: result ${i} is not a function`);
      // The recursion variable now behaves as its definition, without a forwarding frame per call.
      (recursion[i] as { invoke: FunctionValue['invoke'] }).invoke = (value as FunctionValue).invoke;
    });
    return results;
  }
}

function gammaRegion(node: GammaNode, choice: Value): Region {
  const region = typeof choice === 'number' ? node.regions[choice] : undefined;
  if (!region) throw new Error(`gamma ${node.id}: predicate ${String(choice)} selects no region`);
  return region;
}

/** Wraps an op's OpError once, where it was raised; errors from callees already carry their node. */
function annotate(error: unknown, node: Node): unknown {
  if (error instanceof InterpreterError || !(error instanceof OpError)) return error;
  const op = node.kind === 'simple' ? node.op : undefined;
  return new InterpreterError(error.errorName, error.message, error.loc ?? node.loc, node.id, op);
}

/** Argument errors name the lambda's node and source location: where the function was defined. */
function checkArguments(node: LambdaNode, args: readonly Value[]): void {
  const { name, type } = node;
  if (args.length !== type.params.length) {
    const message = `'${name}' expects ${type.params.length} argument(s), got ${args.length}`;
    throw new InterpreterError('TypeError', message, node.loc, node.id);
  }
  for (let i = 0; i < args.length; i++) {
    const param = type.params[i] as Type;
    if (!valueHasType(args[i], param)) {
      const message = `argument ${i} of '${name}' must be ${typeToString(param)}, got ${describeValue(args[i])}`;
      throw new InterpreterError('TypeError', message, node.loc, node.id);
    }
  }
}

/** A short description of a runtime value for error messages. */
export function describeValue(value: Value): string {
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'bigint':
      return `${value}n`;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
      return String(value);
  }
  if (Array.isArray(value)) return `tuple of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as { length: number }).length})`;
  const v = value as { kind: string; name?: string; state?: string };
  return v.kind === 'function' ? `function '${v.name}'` : `${v.state} state`;
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && !(error instanceof OpError) && /call stack/i.test(error.message);
}

/**
 * Evaluates the module's root region (imports bound from `options.imports`)
 * and returns its exports by name. Function exports share the run's fuel.
 */
export function instantiate(module: Module, options: InterpretOptions = {}): Record<string, Value> {
  const run = new Run(options.registry ?? defaultRegistry, options.fuel ?? defaultFuel);
  const imports = options.imports ?? {};
  const args = module.imports.map(({ name, type }) => {
    if (!Object.prototype.hasOwnProperty.call(imports, name))
      throw new InterpreterError('TypeError', `missing import '${name}'`);
    const value = imports[name];
    if (!valueHasType(value, type)) {
      throw new InterpreterError(
        'TypeError',
        `import '${name}' must be ${typeToString(type)}, got ${describeValue(value)}`,
      );
    }
    return value;
  });
  const results = guardStack(() => run.evalRegion(module.region, args));
  const exports: Record<string, Value> = {};
  module.exports.forEach((name, i) => {
    exports[name] = results[i];
  });
  return exports;
}

function guardStack<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (isStackOverflow(error)) throw new InterpreterError('RangeError', 'Maximum call stack size exceeded');
    throw error;
  }
}

/**
 * Runs the exported function `exportName` on `args` and returns its results
 * (or `[value]` when the export is not a function). TypedArray arguments are
 * passed by reference, so the program's stores are visible to the caller.
 */
export function interpret(
  module: Module,
  exportName: string,
  args: readonly Value[],
  options: InterpretOptions = {},
): readonly Value[] {
  const index = module.exports.indexOf(exportName);
  if (index < 0) {
    throw new Error(`module has no export '${exportName}' (exports: ${module.exports.join(', ') || 'none'})`);
  }
  const value = instantiate(module, options)[exportName];
  const type = originType(module.region, module.region.results[index] as Origin);
  if (type?.kind !== 'fn') return [value];
  return guardStack(() => (value as FunctionValue).invoke(args));
}
