import {
  argOrigin,
  nextNodeId,
  outOrigin,
  withRootRegion,
  type GammaNode,
  type Node,
  type OpRegistry,
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
import { freeze, makeRegion, makeSimple, Substitution, withInputs, withRegions } from '../util/build.js';
import { IdAllocator, isPureSimple, opKey, originKey } from '../util/ir.js';

/** What a region being processed knows about the region around its structural node. */
interface Frame {
  /** Argument i is congruent to argument alias[i] (alias[i] <= i). */
  readonly alias: readonly number[];
  /** For each argument, the (canonical) value of the enclosing region it carries, if it carries one unchanged. */
  readonly outerOf: readonly (Origin | undefined)[];
  /** Pure nodes of the enclosing region before the structural node, by key over enclosing-region origins. */
  readonly parentTable?: ReadonlyMap<string, number>;
  /** Routes an enclosing-region value in; returns the argument index carrying it. */
  readonly route?: (outer: Origin, type: Type) => number;
  /** Collects, per key over enclosing-region origins, the first pure node computing it (gamma branches only). */
  readonly collect?: Map<string, Collected>;
}

interface Collected {
  readonly node: SimpleNode;
  readonly outer: readonly Origin[];
}

interface RegionState {
  readonly subst: Substitution;
  readonly table: Map<string, number>;
  readonly nodes: Node[];
}

function key(node: SimpleNode, inputs: readonly Origin[]): string {
  return `${opKey(node)}(${inputs.map(originKey).join(',')})`;
}

function aliasOf(origins: readonly Origin[], eligible: (i: number) => boolean): number[] {
  const first = new Map<string, number>();
  return origins.map((o, i) => {
    if (!eligible(i)) return i;
    const k = originKey(o);
    const seen = first.get(k);
    if (seen !== undefined) return seen;
    first.set(k, i);
    return i;
  });
}

/** Removes the listed nodes from a region, redirecting their outputs to arguments. */
function replaceByArguments(region: Region, replaced: ReadonlyMap<number, readonly number[]>): Region {
  const map = (o: Origin): Origin => {
    if (o.kind === 'arg') return o;
    const args = replaced.get(o.node);
    return args ? argOrigin(args[o.index] as number) : o;
  };
  const nodes = region.nodes.filter((n) => !replaced.has(n.id)).map((n) => withInputs(n, n.inputs.map(map)));
  return makeRegion(region.arguments, nodes, region.results.map(map));
}

class CommonNodeElimination {
  constructor(
    readonly registry: OpRegistry,
    readonly ids: IdAllocator,
    readonly context: PassContext,
  ) {}

  region(region: Region, frame: Frame | undefined): Region {
    const state: RegionState = { subst: new Substitution(), table: new Map(), nodes: [] };
    frame?.alias.forEach((to, i) => {
      if (to !== i) state.subst.set(argOrigin(i), argOrigin(to));
    });
    let changed = false;
    for (const node of region.nodes) {
      const inputs = state.subst.applyAll(node.inputs);
      if (isPureSimple(node, this.registry)) {
        const k = key(node, inputs);
        const hit = state.table.get(k);
        if (hit !== undefined) {
          node.outputs.forEach((_, i) => state.subst.set(outOrigin(node.id, i), outOrigin(hit, i)));
          this.context.count('merged');
          changed = true;
          continue;
        }
        const outer = frame && inputs.length > 0 ? this.outerInputs(inputs, frame) : undefined;
        if (outer && frame) {
          const outerKey = key(node, outer);
          const existing = frame.parentTable?.get(outerKey);
          if (existing !== undefined && frame.route) {
            const route = frame.route;
            node.outputs.forEach((t, i) =>
              state.subst.set(outOrigin(node.id, i), argOrigin(route(outOrigin(existing, i), t))),
            );
            this.context.count('merged-with-enclosing');
            changed = true;
            continue;
          }
          if (frame.collect && !frame.collect.has(outerKey)) frame.collect.set(outerKey, { node, outer });
        }
        state.table.set(k, node.id);
      }
      let next = withInputs(node, inputs);
      if (next.kind !== 'simple') next = this.structural(next, state);
      if (next !== node) changed = true;
      state.nodes.push(next);
    }
    const results = state.subst.applyAll(region.results);
    if (!changed && results.every((r, i) => r === region.results[i])) return region;
    return makeRegion(region.arguments, state.nodes, results);
  }

  outerInputs(inputs: readonly Origin[], frame: Frame): Origin[] | undefined {
    const outer: Origin[] = [];
    for (const input of inputs) {
      const o = input.kind === 'arg' ? frame.outerOf[input.index] : undefined;
      if (!o) return undefined;
      outer.push(o);
    }
    return outer;
  }

  structural(node: Exclude<Node, SimpleNode>, parent: RegionState): Node {
    switch (node.kind) {
      case 'gamma':
        return this.gamma(node, parent);
      case 'theta':
        return this.theta(node, parent);
      case 'lambda': {
        const fixed = node.type.params.length;
        const origins = [...node.type.params.map(() => undefined), ...node.inputs];
        const alias = aliasOf(
          origins.map((o) => o ?? argOrigin(-1)),
          (i) => i >= fixed,
        );
        return withRegions(node, [this.region(node.regions[0], { alias, outerOf: [] })]);
      }
      case 'delta':
        return withRegions(node, [
          this.region(node.regions[0], { alias: aliasOf(node.inputs, () => true), outerOf: [] }),
        ]);
      case 'phi': {
        const fixed = node.outputs.length;
        const origins = [...node.outputs.map(() => argOrigin(-1)), ...node.inputs];
        return withRegions(node, [
          this.region(node.regions[0], { alias: aliasOf(origins, (i) => i >= fixed), outerOf: [] }),
        ]);
      }
    }
  }

  gamma(node: GammaNode, parent: RegionState): Node {
    const entries = node.inputs.slice(1);
    const extraInputs: Origin[] = [];
    const extraTypes: Type[] = [];
    const carried = new Map<string, number>();
    entries.forEach((o, j) => {
      if (!carried.has(originKey(o))) carried.set(originKey(o), j);
    });
    const route = (outer: Origin, type: Type): number => {
      const k = originKey(outer);
      const known = carried.get(k);
      if (known !== undefined) return known;
      const index = entries.length + extraInputs.length;
      extraInputs.push(outer);
      extraTypes.push(type);
      outerOf.push(outer);
      carried.set(k, index);
      return index;
    };
    const alias = aliasOf(entries, () => true);
    // Grows as values are routed in, so computations on routed values can be merged too.
    const outerOf: Origin[] = [...entries];
    const collected: Map<string, Collected>[] = [];
    let regions = node.regions.map((r) => {
      const collect = new Map<string, Collected>();
      collected.push(collect);
      return this.region(r, { alias, outerOf, parentTable: parent.table, route, collect });
    });

    // A pure computation on outer values made by every branch is made once, before the gamma.
    if (regions.length >= 2) {
      const replaced = regions.map(() => new Map<number, number[]>());
      for (const [outerKey, { node: first, outer }] of collected[0] ?? []) {
        if (!collected.every((c) => c.has(outerKey))) continue;
        const hoisted = makeSimple(this.ids.next(), first.op, outer, first.outputs, first.attrs);
        parent.nodes.push(hoisted);
        parent.table.set(outerKey, hoisted.id);
        const args = first.outputs.map((t, i) => route(outOrigin(hoisted.id, i), t));
        collected.forEach((c, r) => replaced[r]?.set((c.get(outerKey) as Collected).node.id, args));
        this.context.count('hoisted-from-branches');
      }
      regions = regions.map((r, i) =>
        (replaced[i]?.size ?? 0) > 0 ? replaceByArguments(r, replaced[i] as Map<number, number[]>) : r,
      );
    }
    if (extraTypes.length > 0) {
      regions = regions.map((r) => makeRegion([...r.arguments, ...extraTypes], r.nodes, r.results));
    }

    // Exit variables with the same value in every branch are the same value after the gamma.
    const firstExit = new Map<string, number>();
    node.outputs.forEach((_, i) => {
      const k = regions.map((r) => originKey(r.results[i] as Origin)).join('|');
      const seen = firstExit.get(k);
      if (seen === undefined) firstExit.set(k, i);
      else {
        parent.subst.set(outOrigin(node.id, i), outOrigin(node.id, seen));
        this.context.count('exits-merged');
      }
    });
    if (extraInputs.length === 0) return withRegions(node, regions);
    return freeze({ ...node, inputs: freeze([...node.inputs, ...extraInputs]), regions: freeze(regions) });
  }

  theta(node: ThetaNode, parent: RegionState): Node {
    const body = node.regions[0];
    const n = node.inputs.length;
    const invariant = (i: number): boolean => {
      const r = body.results[i + 1];
      return r?.kind === 'arg' && r.index === i;
    };
    const extraInputs: Origin[] = [];
    const extraTypes: Type[] = [];
    const outerOf = node.inputs.map((o, i) => (invariant(i) ? o : undefined));
    const carried = new Map<string, number>();
    node.inputs.forEach((o, i) => {
      if (invariant(i) && !carried.has(originKey(o))) carried.set(originKey(o), i);
    });
    const route = (outer: Origin, type: Type): number => {
      const k = originKey(outer);
      const known = carried.get(k);
      if (known !== undefined) return known;
      const index = n + extraInputs.length;
      extraInputs.push(outer);
      extraTypes.push(type);
      outerOf.push(outer);
      carried.set(k, index);
      return index;
    };
    const alias = aliasOf(node.inputs, invariant);
    const region = this.region(body, { alias, outerOf, parentTable: parent.table, route });
    if (extraInputs.length === 0) return withRegions(node, [region]);
    const results = [...region.results, ...extraTypes.map((_, e) => argOrigin(n + e))];
    return freeze({
      ...node,
      inputs: freeze([...node.inputs, ...extraInputs]),
      regions: freeze([makeRegion([...region.arguments, ...extraTypes], region.nodes, results)]) as [Region],
      outputs: freeze([...node.outputs, ...extraTypes]),
    });
  }
}

/**
 * Common node elimination. Pure simple nodes applying the same op with the
 * same attributes to the same values are merged, within a region and across
 * region boundaries: gamma entry variables, invariant theta loop variables
 * and context variables carrying the same value are merged; a computation
 * inside a gamma or theta that the enclosing region already made is routed
 * in instead; a computation on outer values made by every branch of a gamma
 * is made once before it; gamma exit variables equal in every branch are
 * merged. Effectful ops and calls are never merged.
 *
 * Requires: verified. Ensures: verified. Preserves: typed, no-js-ops,
 * lowerable. Leaves merged-away exits and entries unused (run `dne` after).
 */
export const cne = definePass({
  name: 'cne',
  description: 'common node elimination, within and across gamma and theta regions',
  requires: [verified],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  introduces: [],
  run(module, context) {
    const pass = new CommonNodeElimination(context.registry, new IdAllocator(nextNodeId(module)), context);
    return withRootRegion(module, pass.region(module.region, undefined));
  },
});
