import {
  ctrl,
  defaultRegistry,
  fn,
  f64,
  i64,
  bool,
  mem,
  ModuleBuilder,
  nodesById,
  parseType,
  typeToString,
  unknown,
  type FunctionType,
  type GammaNode,
  type LambdaNode,
  type Module,
  type Node,
  type OpRegistry,
  type Origin,
  type PhiNode,
  type Region,
  type RegionBuilder,
  type SimpleNode,
  type SourceLoc,
  type ThetaNode,
  type Type,
  type Value,
} from '@rvsdg/ir';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import { definePass, type Pass } from '../manager/pass.js';
import { InferenceError } from './infer-types-error.js';
import {
  describeLat,
  isMaterial,
  join,
  latKey,
  never,
  sameLat,
  type ConflictLat,
  type Lat,
  type Sourced,
} from './infer-types-lattice.js';
import { emitJsOp, type EV, type OpContext } from './infer-types-ops.js';

/**
 * Type inference for modules of the JavaScript frontend: specializes the
 * entry function (and every function it calls, once per argument-type
 * signature) to the given argument types, replacing each `js.*` op by typed
 * ops with the same meaning. See the "Type inference" section of the
 * package README for the rules.
 *
 * It works in two phases per specialization. Analysis emits each region
 * into a throw-away builder to learn the abstract types of its results:
 * gamma outputs are the join of the branches, theta loop variables iterate
 * to a fixpoint, and recursive calls iterate over the whole call graph until
 * no function's result type changes. Emission then builds the typed module
 * once, using the recorded types at every merge point.
 */

export interface InferTypesOptions {
  /** The exported function to specialize; the output exports its specialization under the same name. */
  readonly entry: string;
  /** JavaScript-visible parameter types: f64 (number), i64 (BigInt), bool, array types (TypedArrays). */
  readonly params: readonly Type[];
  /** Ops the input uses (the frontend's `jsRegistry`); only the default registry's ops are emitted. */
  readonly registry?: OpRegistry;
}

interface Recorded {
  readonly outs: readonly Sourced[];
  readonly throws: boolean;
}

interface Spec {
  readonly key: string;
  readonly lambda: LambdaNode;
  /** Abstract types of the JavaScript parameters (the state parameter left out). */
  readonly params: readonly Lat[];
  readonly name: string;
  result: Sourced;
  /** Never returns (so far as analysis knows: starts true and only becomes false). */
  throws: boolean;
  state: 'new' | 'running' | 'done';
  readonly merges: Map<GammaNode | ThetaNode, Recorded>;
  callees: Set<Spec>;
  value?: Value;
}

const memEV = (value: Value): EV => ({ lat: mem, value });

function describeLoc(loc: SourceLoc | undefined): string {
  return loc ? `line ${loc.line}, column ${loc.column}` : 'an unknown position';
}

function conflictReason(conflict: ConflictLat, subject: string): string {
  const sides = [conflict.a, conflict.b];
  const where = sides
    .filter((s) => s.loc)
    .map((s) => `${describeLat(s.lat)} from ${describeLoc(s.loc)}`)
    .join(', ');
  return `${subject} ${describeLat(conflict.a.lat)} on one path and ${describeLat(conflict.b.lat)} on another${where ? ` (${where})` : ''}`;
}

/** The position to report a conflict at when no use site has one: the `undefined` side first, it usually has a statement. */
function conflictLoc(conflict: ConflictLat): SourceLoc | undefined {
  const sides = [conflict.a, conflict.b].sort(
    (x, y) => Number(y.lat.kind === 'undefined') - Number(x.lat.kind === 'undefined'),
  );
  return sides.find((s) => s.loc)?.loc;
}

class Inference {
  readonly specs: Spec[] = [];
  readonly #byKey = new Map<string, Spec>();
  readonly #names = new Set<string>();
  readonly #context = new Map<LambdaNode, readonly (LambdaNode | undefined)[]>();
  /** Some analysis read the result of a specialization still being analyzed (recursion). */
  approximated = false;

  constructor(
    readonly module: Module,
    readonly registry: OpRegistry,
    readonly entryName: string,
  ) {
    this.#resolveFunctions();
  }

  // ---- functions and specializations

  #resolveFunctions(): void {
    const root = this.module.region;
    const rootNodes = nodesById(root);
    const inPhi = (phi: PhiNode, index: number): LambdaNode | undefined => {
      const region = phi.regions[0];
      const origin = region.results[index];
      if (origin?.kind !== 'out') return undefined;
      const node = nodesById(region).get(origin.node);
      return node?.kind === 'lambda' ? node : undefined;
    };
    const atRoot = (origin: Origin): LambdaNode | undefined => {
      if (origin.kind !== 'out') return undefined;
      const node = rootNodes.get(origin.node);
      if (node?.kind === 'lambda') return node;
      if (node?.kind === 'phi') return inPhi(node, origin.index);
      return undefined;
    };
    for (const node of root.nodes) {
      if (node.kind === 'lambda') this.#context.set(node, node.inputs.map(atRoot));
      if (node.kind !== 'phi') continue;
      const region = node.regions[0];
      const recursion = node.outputs.length;
      const inside = (origin: Origin): LambdaNode | undefined => {
        if (origin.kind === 'arg') {
          if (origin.index < recursion) return inPhi(node, origin.index);
          const outer = node.inputs[origin.index - recursion];
          return outer ? atRoot(outer) : undefined;
        }
        const inner = nodesById(region).get(origin.node);
        return inner?.kind === 'lambda' ? inner : undefined;
      };
      for (const inner of region.nodes) {
        if (inner.kind === 'lambda') this.#context.set(inner, inner.inputs.map(inside));
      }
    }
  }

  entryLambda(): LambdaNode {
    const index = this.module.exports.indexOf(this.entryName);
    const origin = this.module.region.results[index];
    if (index < 0 || !origin) {
      throw new Error(
        `infer-types: the module exports no '${this.entryName}' (it exports ${this.module.exports.join(', ') || 'nothing'})`,
      );
    }
    let lambda: LambdaNode | undefined;
    if (origin.kind === 'out') {
      const node = nodesById(this.module.region).get(origin.node);
      if (node?.kind === 'lambda') lambda = node;
      if (node?.kind === 'phi') {
        const inner = node.regions[0].results[origin.index];
        const found = inner?.kind === 'out' ? nodesById(node.regions[0]).get(inner.node) : undefined;
        if (found?.kind === 'lambda') lambda = found;
      }
    }
    if (!lambda) throw new Error(`infer-types: export '${this.entryName}' is not a function`);
    return lambda;
  }

  specFor(lambda: LambdaNode, params: readonly Lat[], name?: string): Spec {
    const key = `${lambda.id}(${params.map(latKey).join(',')})`;
    const known = this.#byKey.get(key);
    if (known) return known;
    let unique = name ?? lambda.name;
    for (let n = 2; this.#names.has(unique); n++) unique = `${name ?? lambda.name}_${n}`;
    this.#names.add(unique);
    const spec: Spec = {
      key,
      lambda,
      params,
      name: unique,
      result: { lat: never },
      throws: true,
      state: 'new',
      merges: new Map(),
      callees: new Set(),
    };
    this.#byKey.set(key, spec);
    this.specs.push(spec);
    return spec;
  }

  /** The result of a callee, analyzing it first when it is new; a callee being analyzed gives its current approximation. */
  resultOf(spec: Spec): { result: Sourced; throws: boolean } {
    if (spec.state === 'new') this.analyze(spec);
    else if (spec.state === 'running') this.approximated = true;
    return { result: spec.result, throws: spec.throws };
  }

  /** Analyzes one specialization; returns whether its result changed. */
  analyze(spec: Spec): boolean {
    spec.state = 'running';
    spec.callees = new Set();
    const lambda = spec.lambda;
    const { results, throws } = this.scratch(spec, lambda.regions[0], this.lambdaArgs(spec, undefined));
    const valueIndex = this.valueResultIndex(lambda);
    const before = spec.result;
    const wasThrowing = spec.throws;
    if (!throws && valueIndex !== undefined) spec.result = join(spec.result, results[valueIndex] as EV);
    spec.throws = spec.throws && throws;
    spec.state = 'done';
    return !sameLat(before.lat, spec.result.lat) || wasThrowing !== spec.throws;
  }

  valueResultIndex(lambda: LambdaNode): number | undefined {
    const indices = lambda.type.results.flatMap((t, i) => (t.kind === 'state' ? [] : [i]));
    if (indices.length > 1) {
      throw new InferenceError(`functions with ${indices.length} results are not supported`, lambda.loc, lambda.name);
    }
    return indices[0];
  }

  /** The lambda region's arguments: parameters (state and JavaScript values), then functions it refers to. */
  lambdaArgs(spec: Spec, params: readonly Value[] | undefined): EV[] {
    const lambda = spec.lambda;
    const context = this.#context.get(lambda) ?? [];
    let js = 0;
    let material = 0;
    const args: EV[] = lambda.type.params.map((t) => {
      if (t.kind === 'state') {
        if (t !== mem)
          throw new InferenceError(`a ${typeToString(t)} parameter is not supported`, lambda.loc, lambda.name);
        return { lat: mem, value: params?.[material++] };
      }
      const lat = spec.params[js++] as Lat;
      return isMaterial(lat) ? { lat, value: params?.[material++] } : { lat };
    });
    lambda.inputs.forEach((_, i) => {
      const callee = context[i];
      if (!callee) {
        throw new InferenceError(
          `function '${lambda.name}' captures a value that is not a function`,
          lambda.loc,
          lambda.name,
        );
      }
      args.push({ lat: { kind: 'fnref', lambda: callee } });
    });
    return args;
  }

  paramTypes(spec: Spec): Type[] {
    let js = 0;
    return spec.lambda.type.params.flatMap((t) => {
      if (t.kind === 'state') return [t];
      const lat = spec.params[js++] as Lat;
      return isMaterial(lat) ? [lat] : [];
    });
  }

  resultTypes(spec: Spec): Type[] {
    return spec.lambda.type.results.flatMap((t) => {
      if (t.kind === 'state') return [t];
      return isMaterial(spec.result.lat) ? [spec.result.lat] : [];
    });
  }

  fnType(spec: Spec): FunctionType {
    return fn(this.paramTypes(spec), this.resultTypes(spec));
  }

  // ---- analysis

  /** Emits `region` with the given arguments into a throw-away builder: its results' abstract types and whether it always throws. */
  scratch(spec: Spec, region: Region, args: readonly EV[]): { results: EV[]; throws: boolean } {
    const builder = new ModuleBuilder({ registry: this.registry });
    let out: { results: EV[]; throws: boolean } | undefined;
    const types = args.filter((a) => isMaterial(a.lat)).map((a) => a.lat as Type);
    builder.lambda('scratch', types, (rb, params) => {
      let k = 0;
      const inner = args.map((a) => (isMaterial(a.lat) ? { ...a, value: params[k++] } : a));
      const emitter = new RegionEmitter(this, spec, 'scratch', rb);
      const results = emitter.emitRegion(region, inner);
      out = { results, throws: emitter.throws };
      return [];
    });
    return out as { results: EV[]; throws: boolean };
  }

  run(params: readonly Type[]): Module {
    const entry = this.specFor(this.entryLambda(), params, this.entryName);
    this.analyze(entry);
    // Recursion read approximate results: iterate until no specialization's result changes.
    while (this.approximated) {
      this.approximated = false;
      let changed = false;
      for (let i = 0; i < this.specs.length; i++) if (this.analyze(this.specs[i] as Spec)) changed = true;
      if (!changed) break;
    }
    if (entry.result.lat.kind === 'conflict') {
      const conflict = entry.result.lat;
      throw new InferenceError(
        conflictReason(conflict, `'${entry.lambda.name}' returns`)
          .replace(' returns ', ' returns ')
          .replace(/returns (.*?) on one path/, 'returns $1 on one path'),
        conflictLoc(conflict),
        entry.lambda.name,
      );
    }
    return this.emitModule(entry);
  }

  // ---- emission

  emitModule(entry: Spec): Module {
    const builder = new ModuleBuilder({ registry: this.registry });
    for (const component of stronglyConnected(this.reachable(entry))) {
      const only = component[0] as Spec;
      if (component.length === 1 && !only.callees.has(only)) {
        only.value = this.emitLambda(builder.root, only);
        continue;
      }
      const outs = builder.phi(
        component.map((s) => this.fnType(s)),
        (region, recursion) => {
          component.forEach((s, i) => (s.value = recursion[i]));
          return component.map((s) => this.emitLambda(region, s));
        },
      );
      component.forEach((s, i) => (s.value = outs[i]));
    }
    builder.export(this.entryName, entry.value as Value);
    return builder.build();
  }

  reachable(entry: Spec): Spec[] {
    const seen = new Set<Spec>([entry]);
    const work = [entry];
    while (work.length > 0) {
      for (const callee of (work.pop() as Spec).callees) {
        if (!seen.has(callee)) {
          seen.add(callee);
          work.push(callee);
        }
      }
    }
    return [...seen];
  }

  emitLambda(rb: RegionBuilder, spec: Spec): Value {
    const lambda = spec.lambda;
    return rb.lambda(
      spec.name,
      this.paramTypes(spec),
      (inner, params) => {
        const emitter = new RegionEmitter(this, spec, 'real', inner);
        const results = emitter.emitRegion(lambda.regions[0], this.lambdaArgs(spec, params));
        const type = spec.result.lat;
        return results.flatMap((ev, i) => {
          if (lambda.type.results[i]?.kind === 'state') return [ev.value as Value];
          return isMaterial(type) ? [emitter.materialize(ev, type)] : [];
        });
      },
      lambda.loc,
    );
  }
}

/** Tarjan's algorithm over the call graph of specializations; components come callees first. */
function stronglyConnected(specs: readonly Spec[]): Spec[][] {
  const index = new Map<Spec, number>();
  const low = new Map<Spec, number>();
  const stack: Spec[] = [];
  const onStack = new Set<Spec>();
  const out: Spec[][] = [];
  let counter = 0;
  const visit = (s: Spec): void => {
    index.set(s, counter);
    low.set(s, counter++);
    stack.push(s);
    onStack.add(s);
    for (const t of s.callees) {
      if (!index.has(t)) {
        visit(t);
        low.set(s, Math.min(low.get(s) as number, low.get(t) as number));
      } else if (onStack.has(t)) low.set(s, Math.min(low.get(s) as number, index.get(t) as number));
    }
    if (low.get(s) === index.get(s)) {
      const component: Spec[] = [];
      let t: Spec;
      do {
        t = stack.pop() as Spec;
        onStack.delete(t);
        component.push(t);
      } while (t !== s);
      out.push(component);
    }
  };
  for (const s of specs) if (!index.has(s)) visit(s);
  return out;
}

const wrappingOps = new Set(['js.add', 'js.sub', 'js.mul']);

/**
 * Nodes of `region` whose value is only ever wrapped to 64 bits: operands of
 * `BigInt.asIntN(64 or more, x)`, and of + - * whose own value is only
 * wrapped (arithmetic modulo 2^64 gives the same low bits). Their BigInt
 * results may wrap instead of throwing on overflow, as JavaScript does.
 */
function wrappingNodes(region: Region): Set<number> {
  const nodes = nodesById(region);
  const uses = new Map<number, number>();
  const count = (o: Origin): void => {
    if (o.kind === 'out' && o.index === 0) uses.set(o.node, (uses.get(o.node) ?? 0) + 1);
  };
  for (const node of region.nodes) node.inputs.forEach(count);
  region.results.forEach(count);
  const wrapped = new Map<number, number>();
  const feed = (o: Origin | undefined): void => {
    if (o?.kind !== 'out' || o.index !== 0) return;
    if (nodes.get(o.node)?.kind === 'simple') wrapped.set(o.node, (wrapped.get(o.node) ?? 0) + 1);
  };
  const result = new Set<number>();
  for (let i = region.nodes.length - 1; i >= 0; i--) {
    const node = region.nodes[i] as Node;
    if (node.kind !== 'simple') continue;
    if (node.op === 'js.bigint' && node.attrs['fn'] === 'asIntN') {
      const width = node.inputs[0];
      const bits = width?.kind === 'out' ? nodes.get(width.node) : undefined;
      if (
        bits?.kind === 'simple' &&
        bits.op === 'const' &&
        typeof bits.attrs['value'] === 'number' &&
        bits.attrs['value'] >= 64
      ) {
        feed(node.inputs[1]);
      }
    } else if (wrappingOps.has(node.op) && wrapped.get(node.id) === uses.get(node.id) && uses.get(node.id)) {
      result.add(node.id);
      feed(node.inputs[0]);
      feed(node.inputs[1]);
    }
  }
  return result;
}

/** Emits one region of one specialization, in analysis ('scratch') or final ('real') mode. */
class RegionEmitter implements OpContext {
  mem!: Value;
  throws = false;
  #args: readonly EV[] = [];
  readonly #outs = new Map<number, readonly EV[]>();

  constructor(
    readonly inference: Inference,
    readonly spec: Spec,
    readonly mode: 'scratch' | 'real',
    readonly rb: RegionBuilder,
  ) {}

  markThrows(): void {
    this.throws = true;
  }

  #wrapping: ReadonlySet<number> = new Set();

  wraps(node: SimpleNode): boolean {
    return this.#wrapping.has(node.id);
  }

  fail(reason: string, loc: SourceLoc | undefined): never {
    throw new InferenceError(reason, loc, this.spec.lambda.name);
  }

  #get(origin: Origin): EV {
    const ev = origin.kind === 'arg' ? this.#args[origin.index] : this.#outs.get(origin.node)?.[origin.index];
    if (!ev) throw new Error(`infer-types: internal error: no value for ${JSON.stringify(origin)}`);
    return ev.lat === mem ? memEV(this.mem) : ev;
  }

  emitRegion(region: Region, args: readonly EV[]): EV[] {
    this.#args = args;
    const states = args.filter((a) => a.lat.kind === 'state');
    if (states.length !== 1 || states[0]?.lat !== mem || !states[0].value) {
      return this.fail(
        'a region without exactly one memory state is not supported (the frontend threads one through every region)',
        this.spec.lambda.loc,
      );
    }
    this.mem = states[0].value;
    this.#wrapping = wrappingNodes(region);
    for (const node of region.nodes) this.#outs.set(node.id, this.#emitNode(node));
    return region.results.map((origin) => {
      const ev = this.#get(origin);
      if (ev.lat.kind === 'state') return ev;
      return this.throws ? { lat: never } : ev;
    });
  }

  /** The IR value of `ev` as type `type` (the join of its paths): `undef` where no value flows. */
  materialize(ev: EV, type: Type): Value {
    if (ev.lat.kind === 'state') return this.mem;
    if (ev.value && sameLat(ev.lat, type)) return ev.value;
    if (ev.lat.kind === 'never' || this.throws) return this.rb.undef(type);
    throw new Error(`infer-types: internal error: ${describeLat(ev.lat)} where ${typeToString(type)} was inferred`);
  }

  #emitNode(node: Node): readonly EV[] {
    if (this.throws) {
      // Code after an unconditional throw never runs: keep only the state chain.
      return node.outputs.map((t): EV => {
        if (t.kind === 'state') return memEV(this.mem);
        return t.kind === 'ctrl' ? { lat: t, value: this.rb.undef(t) } : { lat: never };
      });
    }
    switch (node.kind) {
      case 'simple':
        return this.#simple(node);
      case 'gamma':
        return this.mode === 'scratch' ? this.#gammaScratch(node) : this.#gammaReal(node);
      case 'theta':
        return this.mode === 'scratch' ? this.#thetaScratch(node) : this.#thetaReal(node);
      default:
        return this.fail(`a ${node.kind} node inside a function is not supported`, node.loc);
    }
  }

  #checkConflicts(node: SimpleNode, operands: readonly EV[]): void {
    for (const ev of operands) {
      if (ev.lat.kind === 'conflict') {
        this.fail(conflictReason(ev.lat, 'a value used here is'), node.loc ?? conflictLoc(ev.lat));
      }
    }
  }

  #simple(node: SimpleNode): readonly EV[] {
    const inputs = node.inputs.map((o) => this.#get(o));
    const values = inputs.filter((ev) => ev.lat.kind !== 'state');
    this.#checkConflicts(node, values);
    const withState = (value: EV): EV[] => node.outputs.map((t) => (t.kind === 'state' ? memEV(this.mem) : value));
    if (node.op.startsWith('js.')) {
      if (values.some((v) => v.lat.kind === 'never')) return withState({ lat: never });
      const value = emitJsOp(this, node, values);
      return withState(value);
    }
    switch (node.op) {
      case 'const': {
        if (node.attrs['type'] !== unknown) break;
        const value = node.attrs['value'] as number | bigint | boolean;
        if (typeof value === 'bigint' && BigInt.asIntN(64, value) !== value) {
          // Compiled code holds BigInts in 64 bits: a constant outside them raises where it is
          // evaluated, as an operation whose exact result leaves them does.
          const message = `BigInt overflow: the constant ${value}n does not fit in 64 signed bits`;
          this.mem = this.rb.op1('raise', [this.mem], { error: 'RangeError', message }, node.loc);
          this.markThrows();
          return [{ lat: never, loc: node.loc }];
        }
        const type = typeof value === 'bigint' ? i64 : typeof value === 'boolean' ? bool : f64;
        return [{ lat: type, loc: node.loc, value: this.rb.const(value, type), constant: value }];
      }
      case 'undef':
        if (node.attrs['type'] === unknown) return [{ lat: never, loc: node.loc }];
        break;
      case 'raise':
        this.mem = this.rb.op1('raise', [this.mem], node.attrs, node.loc);
        this.markThrows();
        return [memEV(this.mem)];
      case 'call':
        return this.#call(node, inputs);
      case 'match': {
        // A predicate known at compile time (a typeof or undefined test, say) selects one alternative.
        const c = values[0]?.constant;
        if (c === undefined || !values[0]?.value) break;
        const n = node.attrs['alternatives'] as number;
        const k =
          typeof c === 'boolean'
            ? Number(c)
            : typeof c === 'bigint'
              ? c >= 0n && c < BigInt(n)
                ? Number(c)
                : n - 1
              : c;
        const alternative = Number.isInteger(k) && k >= 0 && k < n ? k : n - 1;
        const [out] = this.rb.op(node.op, [values[0].value], node.attrs, node.loc);
        return [{ lat: (out as Value).type, loc: node.loc, value: out as Value, constant: alternative }];
      }
    }
    if (values.some((v) => !isMaterial(v.lat) || !v.value)) {
      if (values.some((v) => v.lat.kind !== 'never')) {
        return this.fail(
          `'${node.op}' on ${values.map((v) => describeLat(v.lat)).join(', ')} is not supported`,
          node.loc,
        );
      }
      // Unreachable (an operand is never produced): a placeholder keeps the structure.
      return node.outputs.map((t) => {
        if (t.kind === 'state') return memEV(this.mem);
        return t.kind === 'ctrl' ? { lat: t, value: this.rb.undef(t) } : { lat: never };
      });
    }
    const outs = this.rb.op(
      node.op,
      inputs.map((ev) => (ev.lat.kind === 'state' ? this.mem : (ev.value as Value))),
      node.attrs,
      node.loc,
    );
    return outs.map((v) => {
      if (v.type.kind === 'state') {
        this.mem = v;
        return memEV(v);
      }
      return { lat: v.type, loc: node.loc, value: v };
    });
  }

  #call(node: SimpleNode, inputs: readonly EV[]): readonly EV[] {
    const callee = inputs[0];
    if (callee?.lat.kind !== 'fnref')
      return this.fail('calling a value that is not a known function is not supported', node.loc);
    const lambda = callee.lat.lambda;
    const args = inputs.slice(1);
    const jsArgs = args.filter((a) => a.lat.kind !== 'state');
    const withState = (value: EV): EV[] => node.outputs.map((t) => (t.kind === 'state' ? memEV(this.mem) : value));
    if (jsArgs.some((a) => a.lat.kind === 'never')) return withState({ lat: never });
    for (const a of jsArgs) {
      if (a.lat.kind === 'fnref') return this.fail(`passing a function as an argument is not supported`, node.loc);
    }
    const spec = this.inference.specFor(
      lambda,
      jsArgs.map((a) => a.lat),
    );
    this.spec.callees.add(spec);
    const { result, throws } = this.inference.resultOf(spec);
    let value: Value | undefined;
    if (this.mode === 'scratch') {
      if (isMaterial(result.lat)) value = this.rb.undef(result.lat);
    } else {
      if (!spec.value) throw new Error(`infer-types: internal error: '${spec.name}' is not emitted before its caller`);
      let js = 0;
      const operands = lambda.type.params.flatMap((t) => {
        if (t.kind === 'state') return [this.mem];
        const lat = spec.params[js] as Lat;
        const arg = jsArgs[js++] as EV;
        return isMaterial(lat) ? [arg.value as Value] : [];
      });
      const outs = this.rb.call(spec.value, operands, node.loc);
      for (const v of outs) {
        if (v.type.kind === 'state') this.mem = v;
        else value = v;
      }
    }
    if (throws) this.markThrows();
    return withState({ lat: result.lat, loc: result.loc ?? node.loc, value });
  }

  #entry(node: GammaNode | ThetaNode, from: number): EV[] {
    return node.inputs.slice(from).map((o) => this.#get(o));
  }

  /** The alternative a gamma takes when its predicate is known at compile time. */
  #constantAlternative(node: GammaNode): number | undefined {
    const c = this.#get(node.inputs[0] as Origin).constant;
    return typeof c === 'number' ? c : undefined;
  }

  #gammaScratch(node: GammaNode): readonly EV[] {
    const entry = this.#entry(node, 1);
    let joined: Sourced[] | undefined;
    const taken = this.#constantAlternative(node);
    for (const region of taken === undefined ? node.regions : [node.regions[taken] as Region]) {
      const { results, throws } = this.inference.scratch(this.spec, region, entry);
      if (throws) continue;
      joined = joined
        ? joined.map((j, i) => join(j, results[i] as EV))
        : results.map((r) => ({ lat: r.lat, loc: r.loc }));
    }
    const throws = joined === undefined;
    const outs = joined ?? node.outputs.map((t): Sourced => ({ lat: t.kind === 'state' ? t : never }));
    this.spec.merges.set(node, { outs, throws });
    if (throws) this.markThrows();
    return this.#placeholders(node, outs);
  }

  /** Outputs of a merge during analysis: undef values of the joined types. */
  #placeholders(node: GammaNode | ThetaNode, outs: readonly Sourced[]): EV[] {
    return node.outputs.map((t, i) => {
      if (t.kind === 'state') return memEV(this.mem);
      const s = outs[i] as Sourced;
      return isMaterial(s.lat) ? { lat: s.lat, loc: s.loc, value: this.rb.undef(s.lat) } : { lat: s.lat, loc: s.loc };
    });
  }

  #recorded(node: GammaNode | ThetaNode): Recorded {
    const recorded = this.spec.merges.get(node);
    if (!recorded) throw new Error(`infer-types: internal error: ${node.kind} ${node.id} was not analyzed`);
    return recorded;
  }

  /** Final outputs of a merge from the values the built node produced (only material ones exist). */
  #outputs(outs: readonly Sourced[], values: readonly Value[]): EV[] {
    let k = 0;
    return outs.map((s) => {
      if (!isMaterial(s.lat)) return { lat: s.lat, loc: s.loc };
      const value = values[k++] as Value;
      if (value.type.kind === 'state') {
        this.mem = value;
        return memEV(value);
      }
      return { lat: s.lat, loc: s.loc, value };
    });
  }

  #gammaReal(node: GammaNode): readonly EV[] {
    const { outs, throws } = this.#recorded(node);
    const taken = this.#constantAlternative(node);
    if (taken !== undefined) {
      // Only one alternative can run: emit it in place of the gamma.
      const args = this.#entry(node, 1).map((ev) => (ev.lat === mem ? memEV(this.mem) : ev));
      const emitter = new RegionEmitter(this.inference, this.spec, 'real', this.rb);
      const results = emitter.emitRegion(node.regions[taken] as Region, args);
      const values = outs.flatMap((s, j) => (isMaterial(s.lat) ? [emitter.materialize(results[j] as EV, s.lat)] : []));
      if (throws) this.markThrows();
      return this.#outputs(outs, values);
    }
    const predicate = this.#get(node.inputs[0] as Origin);
    const alternatives = node.regions.length;
    const pred = predicate.value ?? this.rb.undef(ctrl(alternatives));
    const entry = this.#entry(node, 1);
    const entryValues = entry
      .filter((ev) => isMaterial(ev.lat))
      .map((ev) => (ev.lat === mem ? this.mem : (ev.value as Value)));
    const values = this.rb.gamma(
      pred,
      node.regions.map((region) => (inner: RegionBuilder, vals: Value[]) => {
        let k = 0;
        const args = entry.map((ev) => (isMaterial(ev.lat) ? { ...ev, value: vals[k++] } : ev));
        const emitter = new RegionEmitter(this.inference, this.spec, 'real', inner);
        const results = emitter.emitRegion(region, args);
        return outs.flatMap((s, j) => (isMaterial(s.lat) ? [emitter.materialize(results[j] as EV, s.lat)] : []));
      }),
      entryValues,
    );
    if (throws) this.markThrows();
    return this.#outputs(outs, values);
  }

  #thetaScratch(node: ThetaNode): readonly EV[] {
    let vars: Sourced[] = this.#entry(node, 0).map((ev) => ({ lat: ev.lat, loc: ev.loc }));
    let throws = false;
    for (;;) {
      const { results, throws: bodyThrows } = this.inference.scratch(this.spec, node.regions[0], vars);
      if (bodyThrows) {
        throws = true;
        break;
      }
      const next = vars.map((v, i) => join(v, results[i + 1] as EV));
      if (next.every((v, i) => sameLat(v.lat, (vars[i] as Sourced).lat))) break;
      vars = next;
    }
    this.spec.merges.set(node, { outs: vars, throws });
    if (throws) this.markThrows();
    return this.#placeholders(node, vars);
  }

  #thetaReal(node: ThetaNode): readonly EV[] {
    const { outs, throws } = this.#recorded(node);
    const initial = this.#entry(node, 0);
    const values = this.rb.theta(
      outs.flatMap((s, i) => (isMaterial(s.lat) ? [this.materialize(initial[i] as EV, s.lat)] : [])),
      (inner, vals) => {
        let k = 0;
        const args = outs.map((s): EV => (isMaterial(s.lat) ? { lat: s.lat, loc: s.loc, value: vals[k++] } : s));
        const emitter = new RegionEmitter(this.inference, this.spec, 'real', inner);
        const results = emitter.emitRegion(node.regions[0], args);
        const repeat = results[0]?.value ?? inner.undef(ctrl(2));
        const next = outs.flatMap((s, i) =>
          isMaterial(s.lat) ? [emitter.materialize(results[i + 1] as EV, s.lat)] : [],
        );
        return { repeat, next };
      },
    );
    if (throws) this.markThrows();
    return this.#outputs(outs, values);
  }
}

/**
 * Specializes the JavaScript function exported as `entry` to the given
 * parameter types (see InferTypesOptions). Returns a typed module exporting
 * only the specialization, under the same name. Throws InferenceError for a
 * program that cannot be typed (with the source position).
 */
export function inferModuleTypes(module: Module, options: InferTypesOptions): Module {
  const inference = new Inference(module, options.registry ?? defaultRegistry, options.entry);
  const lambda = inference.entryLambda();
  const expected = lambda.type.params.filter((t) => t.kind !== 'state').length;
  if (options.params.length !== expected) {
    throw new Error(
      `infer-types: '${options.entry}' takes ${expected} parameter(s), ${options.params.length} type(s) given (${options.params.map(typeToString).join(', ')})`,
    );
  }
  for (const t of options.params) {
    if (t !== f64 && t !== i64 && t !== bool && t.kind !== 'array') {
      throw new Error(
        `infer-types: parameter type ${typeToString(t)} is not a JavaScript type (use f64, i64, bool or an array type)`,
      );
    }
  }
  return inference.run(options.params);
}

/** Splits "f64, i64, f64[,]" at the commas between types (not those inside brackets). */
export function parseTypeList(text: string): Type[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '<') depth++;
    else if (c === ')' || c === ']' || c === '>') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map(parseType);
}

export type InferTypesPassOptions = {
  /** Name of the exported function to specialize. */
  entry: string;
  /** Its parameter types in IR text, comma-separated: "f64, i64, u8c[]". */
  params: string;
};

/**
 * The type inference pass: `inferTypes.with({ entry: 'f', params: 'f64, f64[]' })`,
 * or `inferTypesFor('f', [f64, array(f64)])`. In pipeline text:
 * `infer-types{entry=f,params="f64, f64[]"}`.
 */
export const inferTypes: Pass<InferTypesPassOptions> = definePass<InferTypesPassOptions>({
  name: 'infer-types',
  description:
    'Specializes the entry function of a JavaScript-frontend module to argument types, replacing js ops by typed ops with the same meaning.',
  requires: [verified],
  ensures: [typed, noJsOps, verified],
  options: { entry: '', params: '' },
  optionDocs: {
    entry: 'name of the exported function to specialize',
    params: 'its JavaScript parameter types in IR type syntax, comma-separated (f64, i64, bool, f64[], u8c[], ...)',
  },
  run(module, context) {
    const { entry, params } = context.options;
    if (!entry) throw new Error("infer-types needs the 'entry' option (the function to specialize)");
    return inferModuleTypes(module, { entry, params: parseTypeList(params), registry: context.registry });
  },
});

/** The inference pass configured for one entry and signature. */
export function inferTypesFor(entry: string, params: readonly Type[]): Pass<InferTypesPassOptions> {
  return inferTypes.with({ entry, params: params.map(typeToString).join(', ') });
}
