import {
  argOrigin,
  f64,
  i32,
  i64,
  isInteger,
  nextNodeId,
  outOrigin,
  u32,
  withRootRegion,
  type GammaNode,
  type IntType,
  type Node,
  type Origin,
  type Region,
  type SimpleNode,
  type ThetaNode,
  type Type,
} from '@rvsdg/ir';
import { lowerable } from '../conditions/lowerable.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import type { PassContext } from '../manager/context.js';
import { definePass } from '../manager/pass.js';
import { freeze, makeConst, makeRegion, makeSimple, Substitution, withInputs, withRegions } from '../util/build.js';
import { IdAllocator, originKey } from '../util/ir.js';

/**
 * What is known about an f64 value: `undefined` nothing yet (optimistic
 * start of the fixpoint), `null` not an exact integer, or the range of
 * integers it always holds (every one exactly representable in f64).
 */
type Range = { readonly lo: number; readonly hi: number } | null | undefined;

const limit = 2 ** 53;

function join(a: Range, b: Range): Range {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a === null || b === null) return null;
  if (a.lo <= b.lo && a.hi >= b.hi) return a;
  return { lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi) };
}

function sameRange(a: Range, b: Range): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.lo === b.lo && a.hi === b.hi;
}

/** The range of an integer type of at most 32 bits (exact in f64), or undefined. */
export function smallIntRange(type: Type | undefined): { lo: number; hi: number } | undefined {
  if (type === undefined || !isInteger(type) || type.bits > 32) return undefined;
  return type.signed
    ? { lo: -(2 ** (type.bits - 1)), hi: 2 ** (type.bits - 1) - 1 }
    : { lo: 0, hi: 2 ** type.bits - 1 };
}

/** The narrowest of i32, u32, i64 holding every value of the range. */
function typeOfRange(range: { lo: number; hi: number }): IntType {
  if (range.lo >= -(2 ** 31) && range.hi < 2 ** 31) return i32;
  if (range.lo >= 0 && range.hi < 2 ** 32) return u32;
  return i64;
}

function isIntegralConst(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) <= limit;
}

/** The range of a simple node's f64 output when it is an exact integer by construction. */
function simpleRange(node: SimpleNode, typeOf: (o: Origin) => Type | undefined): Range {
  if (node.outputs[0] !== f64) return null;
  if (node.op === 'const') {
    const v = node.attrs['value'];
    return isIntegralConst(v) ? { lo: v, hi: v } : null;
  }
  if (node.op === 'arith.convert' && node.inputs[0]) return smallIntRange(typeOf(node.inputs[0])) ?? null;
  return null;
}

/** Per structural node id, the range of each f64 loop variable (theta) or exit variable (gamma). */
type Facts = Map<number, Range[]>;

class Analysis {
  readonly facts: Facts = new Map();
  changed = false;

  private update(id: number, index: number, value: Range): void {
    let list = this.facts.get(id);
    if (!list) {
      list = [];
      this.facts.set(id, list);
    }
    const next = join(list[index], value);
    if (!sameRange(next, list[index])) {
      list[index] = next;
      this.changed = true;
    }
  }

  rangeOf(id: number, index: number): Range {
    return this.facts.get(id)?.[index];
  }

  /** Walks a region whose arguments have the given ranges; returns the ranges of its results. */
  region(region: Region, args: readonly Range[]): Range[] {
    const producers = new Map<number, Node>();
    const typeOf = (o: Origin): Type | undefined =>
      o.kind === 'arg' ? region.arguments[o.index] : producers.get(o.node)?.outputs[o.index];
    const local = new Map<string, Range>();
    const rangeOf = (o: Origin): Range => {
      if (typeOf(o) !== f64) return null;
      if (o.kind === 'arg') return args[o.index] ?? null;
      return local.get(originKey(o)) ?? null;
    };
    for (const node of region.nodes) {
      producers.set(node.id, node);
      if (node.kind === 'simple') {
        local.set(originKey(outOrigin(node.id, 0)), simpleRange(node, typeOf));
      } else if (node.kind === 'theta') {
        node.inputs.forEach((o, i) => this.update(node.id, i, node.outputs[i] === f64 ? rangeOf(o) : null));
        const results = this.region(
          node.regions[0],
          node.outputs.map((_, i) => this.rangeOf(node.id, i)),
        );
        node.outputs.forEach((_, i) => this.update(node.id, i, results[i + 1]));
        node.outputs.forEach((_, i) => local.set(originKey(outOrigin(node.id, i)), this.rangeOf(node.id, i)));
      } else if (node.kind === 'gamma') {
        const entries = node.inputs.slice(1).map(rangeOf);
        for (const r of node.regions) {
          const results = this.region(r, entries);
          node.outputs.forEach((t, i) => this.update(node.id, i, t === f64 ? results[i] : null));
        }
        node.outputs.forEach((_, i) => local.set(originKey(outOrigin(node.id, i)), this.rangeOf(node.id, i)));
      } else {
        for (const r of node.regions) this.region(r, []);
      }
    }
    return region.results.map(rangeOf);
  }
}

/** A range that was settled at the fixpoint (still-unknown values are not narrowed). */
function settled(range: Range): IntType | undefined {
  return range ? typeOfRange(range) : undefined;
}

interface View {
  readonly origin: Origin;
  readonly type: IntType;
}

class Rewriter {
  constructor(
    readonly facts: Analysis,
    readonly ids: IdAllocator,
    readonly context: PassContext,
  ) {}

  /**
   * The region with the arguments listed in `argTypes` narrowed to those
   * integer types, and the results listed in `resultTypes` produced as
   * integers of those types.
   */
  region(
    region: Region,
    argTypes: readonly (IntType | undefined)[],
    resultTypes: readonly (IntType | undefined)[],
  ): Region {
    const subst = new Substitution();
    const views = new Map<string, View>();
    const producers = new Map<number, Node>();
    const constants = new Map<string, number>();
    const nodes: Node[] = [];
    const typeOf = (o: Origin): Type | undefined =>
      o.kind === 'arg' ? region.arguments[o.index] : producers.get(o.node)?.outputs[o.index];
    const emit = (op: string, inputs: Origin[], type: Type, attrs: SimpleNode['attrs']): Origin => {
      const node = makeSimple(this.ids.next(), op, inputs, [type], attrs);
      nodes.push(node);
      return outOrigin(node.id, 0);
    };
    // The value of an (original) f64 origin known to be an exact integer, as an integer of `type`.
    const narrow = (o: Origin, type: IntType): Origin => {
      const key = originKey(o);
      const view = views.get(key);
      if (view) return view.type === type ? view.origin : emit('arith.convert', [view.origin], type, { type });
      const value = constants.get(key);
      if (value === undefined) throw new Error(`narrow-loop-vars: ${key} has no integer form`);
      const node = makeConst(this.ids.next(), type.bits === 64 ? BigInt(value) : value, type);
      nodes.push(node);
      return outOrigin(node.id, 0);
    };
    const args = region.arguments.map((t, i) => argTypes[i] ?? t);
    argTypes.forEach((type, i) => {
      if (!type) return;
      views.set(`a${i}`, { origin: argOrigin(i), type });
      subst.set(argOrigin(i), emit('arith.convert', [argOrigin(i)], f64, { type: f64 }));
    });
    const exitsAsF64 = (node: Node, types: readonly (IntType | undefined)[]): void => {
      types.forEach((type, i) => {
        if (!type) return;
        const out = outOrigin(node.id, i);
        views.set(originKey(out), { origin: out, type });
        subst.set(out, emit('arith.convert', [out], f64, { type: f64 }));
      });
    };
    for (const original of region.nodes) {
      producers.set(original.id, original);
      if (original.kind === 'simple') {
        const node = withInputs(original, subst.applyAll(original.inputs));
        nodes.push(node);
        const range = simpleRange(original, typeOf);
        if (range && original.op === 'const') constants.set(`${original.id}.0`, original.attrs['value'] as number);
        else if (range) {
          const source = node.inputs[0] as Origin;
          views.set(`${original.id}.0`, { origin: source, type: typeOf(original.inputs[0] as Origin) as IntType });
        }
        continue;
      }
      if (original.kind === 'theta') {
        const types = original.outputs.map((_, i) => settled(this.facts.rangeOf(original.id, i)));
        const inputs = original.inputs.map((o, i) => {
          const type = types[i];
          return type ? narrow(o, type) : subst.apply(o);
        });
        const body = this.region(original.regions[0], types, [undefined, ...types]);
        const count = types.filter((t) => t).length;
        if (count > 0) this.context.count('loop-vars-narrowed', count);
        const node: ThetaNode = freeze({
          ...original,
          inputs: freeze(inputs),
          regions: freeze([body]) as ThetaNode['regions'],
          outputs: freeze(original.outputs.map((t, i) => types[i] ?? t)),
        });
        nodes.push(node);
        exitsAsF64(node, types);
        continue;
      }
      if (original.kind === 'gamma') {
        const types = original.outputs.map((_, i) => settled(this.facts.rangeOf(original.id, i)));
        const entryTypes = original.inputs.slice(1).map((o) => {
          if (typeOf(o) !== f64) return undefined;
          const view = views.get(originKey(o));
          const value = constants.get(originKey(o));
          return view ? view.type : value !== undefined ? typeOfRange({ lo: value, hi: value }) : undefined;
        });
        const inputs = original.inputs.map((o, i) => {
          const type = i === 0 ? undefined : entryTypes[i - 1];
          return type ? narrow(o, type) : subst.apply(o);
        });
        const regions = original.regions.map((r) => this.region(r, entryTypes, types));
        const count = types.filter((t) => t).length;
        if (count > 0) this.context.count('exit-vars-narrowed', count);
        const node: GammaNode = freeze({
          ...original,
          inputs: freeze(inputs),
          regions: freeze(regions) as GammaNode['regions'],
          outputs: freeze(original.outputs.map((t, i) => types[i] ?? t)),
        });
        nodes.push(node);
        exitsAsF64(node, types);
        continue;
      }
      const node = withInputs(original, subst.applyAll(original.inputs));
      nodes.push(
        withRegions(
          node,
          node.regions.map((r) => this.region(r, [], [])),
        ),
      );
    }
    const results = region.results.map((o, i) => {
      const type = resultTypes[i];
      return type ? narrow(o, type) : subst.apply(o);
    });
    return makeRegion(args, nodes, results);
  }
}

/**
 * Keeps exact integers in integer registers across loop iterations and
 * branches. An f64 theta loop variable (or gamma exit variable) whose every
 * incoming value is an exact integer of a known range (an `arith.convert`
 * from an integer type of at most 32 bits, an integral f64 constant, or
 * another such variable) becomes a variable of type i32, u32 or i64 (the
 * narrowest holding the range); its f64 uses read `arith.convert` of it,
 * which gives back the same double. Gamma entry variables carrying such a
 * value are narrowed too, so values passing through branches stay integers.
 * The ranges are an optimistic fixpoint over the whole module, so nested
 * loops and loop-carried values through branches are found.
 *
 * Every f64 value computed is the one the original computed (an integer of
 * at most 53 bits converts to f64 and back exactly), so results are the
 * same bit for bit. `fold` then removes the round trips
 * (`wrap_i32(convert_f64(x: u32))` is `convert_i32(x)`, ...).
 *
 * Requires: verified. Ensures: verified. Preserves: typed, no-js-ops,
 * lowerable. Leaves unused conversions (run `dne` after it).
 */
export const narrowLoopVars = definePass({
  name: 'narrow-loop-vars',
  description: 'keep f64 loop and branch variables that always hold exact small integers in integer types',
  requires: [verified],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  run(module, context) {
    const analysis = new Analysis();
    do {
      analysis.changed = false;
      analysis.region(module.region, []);
    } while (analysis.changed);
    const any = [...analysis.facts.values()].some((list) => list.some((r) => r));
    if (!any) return module;
    const rewriter = new Rewriter(analysis, new IdAllocator(nextNodeId(module)), context);
    return withRootRegion(module, rewriter.region(module.region, [], []));
  },
});
