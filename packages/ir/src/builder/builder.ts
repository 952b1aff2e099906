import type { Attrs } from '../nodes/simple.js';
import type { SourceLoc } from '../nodes/loc.js';
import type { Node } from '../nodes/node.js';
import type { Module, Import } from '../nodes/module.js';
import { argOrigin, outOrigin, type Origin } from '../nodes/origin.js';
import type { Region } from '../nodes/region.js';
import { defaultRegistry } from '../ops/default-registry.js';
import { unknownOpMessage } from '../ops/op.js';
import type { OpRegistry } from '../ops/registry.js';
import { bool, ctrl, fn, typeToString, type FunctionType, type Type } from '../types/type.js';
import { freeze } from './freeze.js';

/** Thrown when the builder is used in a way that cannot produce a well-formed module. */
export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

/** A value being built: an origin in one region builder's region. */
export class Value {
  constructor(
    readonly scope: RegionBuilder,
    readonly origin: Origin,
    readonly type: Type,
  ) {}
}

interface BuildState {
  nextId: number;
  readonly registry: OpRegistry;
}

/**
 * Adds a port to the structural node under construction so a value of the
 * enclosing region becomes visible inside; returns the new argument's index.
 */
type Router = (outer: Origin, type: Type) => number;

function freezeRegion(args: readonly Type[], nodes: readonly Node[], results: readonly Origin[]): Region {
  return freeze({
    arguments: freeze([...args]),
    nodes: freeze([...nodes]),
    results: freeze(results.map((r) => freeze(r))),
  });
}

/**
 * Builds one region. Values from enclosing regions may be used directly:
 * the builder threads them in as gamma entry variables, theta loop
 * variables or context variables, so construction reads like straight-line
 * code.
 */
export class RegionBuilder {
  readonly #nodes: Node[] = [];
  readonly #routed = new Map<string, number>();

  constructor(
    private readonly state: BuildState,
    readonly parent: RegionBuilder | undefined,
    readonly args: Type[],
    private readonly router: Router | undefined,
  ) {}

  /** The region's arguments as values. */
  arguments(): Value[] {
    return this.args.map((t, i) => new Value(this, argOrigin(i), t));
  }
  argument(index: number): Value {
    const type = this.args[index];
    if (!type) throw new BuildError(`region has no argument ${index}`);
    return new Value(this, argOrigin(index), type);
  }

  /** The origin of `value` inside this region, routing it in from an enclosing region when needed. */
  use(value: Value): Origin {
    if (value.scope === this) return value.origin;
    if (!this.parent || !this.router)
      throw new BuildError('value does not belong to this builder or any enclosing one');
    const outer = this.parent.use(value);
    const key = outer.kind === 'arg' ? `a${outer.index}` : `${outer.node}.${outer.index}`;
    let index = this.#routed.get(key);
    if (index === undefined) {
      index = this.router(outer, value.type);
      this.#routed.set(key, index);
    }
    return argOrigin(index);
  }

  #newId(): number {
    return this.state.nextId++;
  }

  #add<N extends Node>(node: N): N {
    this.#nodes.push(freeze(node));
    return node;
  }

  #outputs(node: Node): Value[] {
    return node.outputs.map((t, i) => new Value(this, outOrigin(node.id, i), t));
  }

  /** Applies a registered op; returns all its outputs. */
  op(name: string, operands: readonly Value[], attrs: Attrs = {}, loc?: SourceLoc): Value[] {
    const def = this.state.registry.get(name);
    if (!def)
      throw new BuildError(
        unknownOpMessage(
          name,
          this.state.registry.dialects().map((d) => d.name),
        ),
      );
    const inputs = operands.map((v) => this.use(v));
    const outputs = def.typeOf(
      operands.map((v) => v.type),
      attrs,
    );
    if (typeof outputs === 'string') throw new BuildError(`${name}: ${outputs}`);
    const node = this.#add({
      kind: 'simple',
      id: this.#newId(),
      op: name,
      attrs: freeze({ ...attrs }),
      inputs: freeze(inputs),
      outputs: freeze([...outputs]),
      regions: freeze([]) as [],
      ...(loc ? { loc: freeze({ ...loc }) } : {}),
    });
    return this.#outputs(node);
  }

  /** Applies an op that has exactly one output. */
  op1(name: string, operands: readonly Value[], attrs: Attrs = {}, loc?: SourceLoc): Value {
    const outs = this.op(name, operands, attrs, loc);
    if (outs.length !== 1) throw new BuildError(`${name} has ${outs.length} outputs, not 1`);
    return outs[0] as Value;
  }

  const(value: number | bigint | boolean, type: Type): Value {
    return this.op1('const', [], { value, type });
  }
  undef(type: Type): Value {
    return this.op1('undef', [], { type });
  }
  /** A ctrl value from a bool (false -> 0, true -> 1) or an integer. */
  match(value: Value, alternatives = 2): Value {
    return this.op1('match', [value], { alternatives });
  }
  call(callee: Value, args: readonly Value[], loc?: SourceLoc): Value[] {
    return this.op('call', [callee, ...args], {}, loc);
  }

  /**
   * A gamma node: `predicate` (ctrl<n>, or a bool for two branches: false
   * first) chooses which branch computes the outputs. Each branch receives
   * the entry values and may also use any value in scope.
   */
  gamma(
    predicate: Value,
    branches: readonly ((region: RegionBuilder, entry: Value[]) => readonly Value[])[],
    entry: readonly Value[] = [],
  ): Value[] {
    const pred = predicate.type === bool ? this.match(predicate) : predicate;
    if (pred.type.kind !== 'ctrl' || pred.type.alternatives !== branches.length) {
      throw new BuildError(
        `gamma with ${branches.length} branches needs a ctrl<${branches.length}> predicate, got ${typeToString(pred.type)}`,
      );
    }
    const inputs: Origin[] = [this.use(pred), ...entry.map((v) => this.use(v))];
    const args: Type[] = entry.map((v) => v.type);
    // Branches share the entry variables, so a value routed in by two branches enters once.
    const routedIn = new Map<string, number>();
    const router: Router = (outer, type) => {
      const key = outer.kind === 'arg' ? `a${outer.index}` : `${outer.node}.${outer.index}`;
      const known = routedIn.get(key);
      if (known !== undefined) return known;
      inputs.push(outer);
      args.push(type);
      routedIn.set(key, args.length - 1);
      return args.length - 1;
    };
    const built: { builder: RegionBuilder; results: readonly Value[] }[] = [];
    for (const branch of branches) {
      const builder = new RegionBuilder(this.state, this, args, router);
      const results = branch(builder, builder.arguments());
      built.push({ builder, results });
    }
    const first = built[0];
    if (!first) throw new BuildError('gamma needs at least one branch');
    const outputTypes = first.results.map((v) => v.type);
    // Route every branch's results in before freezing any region: routing adds arguments to all branches.
    const resultOrigins = built.map(({ builder, results }, i) => {
      if (results.length !== outputTypes.length || results.some((v, k) => v.type !== outputTypes[k])) {
        throw new BuildError(
          `gamma branch ${i} yields (${results.map((v) => typeToString(v.type)).join(', ')}) but branch 0 yields (${outputTypes.map(typeToString).join(', ')})`,
        );
      }
      return results.map((v) => builder.use(v));
    });
    const regions = built.map(({ builder }, i) => builder.finish(resultOrigins[i] as Origin[]));
    const node = this.#add({
      kind: 'gamma',
      id: this.#newId(),
      inputs: freeze(inputs),
      regions: freeze(regions),
      outputs: freeze(outputTypes),
    });
    return this.#outputs(node);
  }

  /** if/else sugar: `cond` true runs `then`, false runs `otherwise`. */
  ifElse(
    cond: Value,
    then: (region: RegionBuilder) => readonly Value[],
    otherwise: (region: RegionBuilder) => readonly Value[],
  ): Value[] {
    return this.gamma(cond, [(r) => otherwise(r), (r) => then(r)]);
  }

  /**
   * A theta node (do-while loop). `body` receives the loop variables and
   * returns the predicate (bool or ctrl<2>; true / 1 repeats) and the next
   * values of the loop variables. Returns the final loop variables.
   */
  theta(
    initial: readonly Value[],
    body: (region: RegionBuilder, vars: Value[]) => { readonly repeat: Value; readonly next: readonly Value[] },
  ): Value[] {
    const inputs: Origin[] = initial.map((v) => this.use(v));
    const args: Type[] = initial.map((v) => v.type);
    const invariant: number[] = [];
    const router: Router = (outer, type) => {
      if (type.kind === 'state') {
        // A pass-through loop variable would use the state twice (in the body and as the next value).
        throw new BuildError(
          `a state value (${typeToString(type)}) from outside a theta must be passed explicitly as a loop variable`,
        );
      }
      inputs.push(outer);
      args.push(type);
      invariant.push(args.length - 1);
      return args.length - 1;
    };
    const builder = new RegionBuilder(this.state, this, args, router);
    const { repeat, next } = body(builder, builder.arguments());
    if (next.length !== initial.length) {
      throw new BuildError(`theta has ${initial.length} loop variables but the body yields ${next.length}`);
    }
    next.forEach((v, i) => {
      if (v.type !== args[i]) {
        throw new BuildError(
          `theta loop variable ${i} has type ${typeToString(args[i] as Type)} but the body yields ${typeToString(v.type)}`,
        );
      }
    });
    const pred = repeat.type === bool ? builder.match(repeat) : repeat;
    if (pred.type !== ctrl(2))
      throw new BuildError(`theta predicate must be bool or ctrl<2>, got ${typeToString(pred.type)}`);
    const results = [builder.use(pred), ...next.map((v) => builder.use(v))];
    // Values routed in while building `next` become loop variables too; they pass through unchanged.
    for (let i = initial.length; i < args.length; i++) results.push(argOrigin(i));
    const region = builder.finish(results);
    const node = this.#add({
      kind: 'theta',
      id: this.#newId(),
      inputs: freeze(inputs),
      regions: freeze([region]) as [Region],
      outputs: freeze([...args]),
    });
    return this.#outputs(node).slice(0, initial.length);
  }

  /** A region whose outer values enter as context variables, after the `leading` arguments. */
  #contextRegion(leading: readonly Type[]): { builder: RegionBuilder; inputs: Origin[] } {
    const inputs: Origin[] = [];
    const args: Type[] = [...leading];
    const builder = new RegionBuilder(this.state, this, args, (outer, type) => {
      inputs.push(outer);
      args.push(type);
      return args.length - 1;
    });
    return { builder, inputs };
  }

  /** A lambda node; `body` receives the parameters and returns the results. */
  lambda(
    name: string,
    params: readonly Type[],
    body: (region: RegionBuilder, params: Value[]) => readonly Value[],
    loc?: SourceLoc,
  ): Value {
    const { builder, inputs } = this.#contextRegion(params);
    const results = body(builder, builder.arguments().slice(0, params.length));
    return this.#lambdaNode(name, params, builder, results, inputs, loc);
  }

  #lambdaNode(
    name: string,
    params: readonly Type[],
    builder: RegionBuilder,
    results: readonly Value[],
    inputs: Origin[],
    loc?: SourceLoc,
  ): Value {
    const type = fn(
      params,
      results.map((v) => v.type),
    );
    const region = builder.finish(results.map((v) => builder.use(v)));
    const node = this.#add({
      kind: 'lambda',
      id: this.#newId(),
      name,
      type,
      inputs: freeze(inputs),
      regions: freeze([region]) as [Region],
      outputs: freeze([type]) as [FunctionType],
      ...(loc ? { loc: freeze({ ...loc }) } : {}),
    });
    return this.#outputs(node)[0] as Value;
  }

  /** A delta node (a global constant computed by `body`). */
  delta(name: string, body: (region: RegionBuilder) => Value): Value {
    const { builder, inputs } = this.#contextRegion([]);
    const result = body(builder);
    const region = builder.finish([builder.use(result)]);
    const node = this.#add({
      kind: 'delta',
      id: this.#newId(),
      name,
      inputs: freeze(inputs),
      regions: freeze([region]) as [Region],
      outputs: freeze([result.type]) as [Type],
    });
    return this.#outputs(node)[0] as Value;
  }

  /**
   * A phi node for (mutually) recursive functions. `body` receives one
   * recursion variable per declared function type and returns the function
   * values defining them, in the same order.
   */
  phi(types: readonly FunctionType[], body: (region: RegionBuilder, recursion: Value[]) => readonly Value[]): Value[] {
    const { builder, inputs } = this.#contextRegion(types);
    const defs = body(builder, builder.arguments().slice(0, types.length));
    if (defs.length !== types.length || defs.some((v, i) => v.type !== types[i])) {
      throw new BuildError(
        `phi declares (${types.map(typeToString).join(', ')}) but the body defines (${defs.map((v) => typeToString(v.type)).join(', ')})`,
      );
    }
    const region = builder.finish(defs.map((v) => builder.use(v)));
    const node = this.#add({
      kind: 'phi',
      id: this.#newId(),
      inputs: freeze(inputs),
      regions: freeze([region]) as [Region],
      outputs: freeze([...types]) as FunctionType[],
    });
    return this.#outputs(node);
  }

  /** Freezes the region; `results` are origins in this region. */
  finish(results: readonly Origin[]): Region {
    return freezeRegion(this.args, this.#nodes, results);
  }
}

/**
 * Builds a module (omega node). Declare imports, build lambdas, deltas and
 * phis in `root`, export values by name, then `build()`.
 */
export class ModuleBuilder {
  readonly #state: BuildState;
  readonly #imports: Import[] = [];
  readonly #exports: { name: string; value: Value }[] = [];
  readonly root: RegionBuilder;

  constructor(options: { registry?: OpRegistry; firstNodeId?: number } = {}) {
    this.#state = { nextId: options.firstNodeId ?? 0, registry: options.registry ?? defaultRegistry };
    this.root = new RegionBuilder(this.#state, undefined, [], undefined);
  }

  import(name: string, type: Type): Value {
    this.#imports.push(freeze({ name, type }));
    this.root.args.push(type);
    return this.root.argument(this.root.args.length - 1);
  }

  lambda(
    name: string,
    params: readonly Type[],
    body: (region: RegionBuilder, params: Value[]) => readonly Value[],
    loc?: SourceLoc,
  ): Value {
    return this.root.lambda(name, params, body, loc);
  }
  delta(name: string, body: (region: RegionBuilder) => Value): Value {
    return this.root.delta(name, body);
  }
  phi(types: readonly FunctionType[], body: (region: RegionBuilder, recursion: Value[]) => readonly Value[]): Value[] {
    return this.root.phi(types, body);
  }

  export(name: string, value: Value): this {
    this.#exports.push({ name, value });
    return this;
  }

  build(): Module {
    const region = this.root.finish(this.#exports.map(({ value }) => this.root.use(value)));
    return freeze({
      kind: 'omega',
      imports: freeze([...this.#imports]),
      exports: freeze(this.#exports.map((e) => e.name)),
      region,
    });
  }
}
