import { isState, mapRegions, outOrigin, type GammaNode, type Node, type Origin, type Region } from '@rvsdg/ir';
import { lowerable } from '../conditions/lowerable.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import { definePass } from '../manager/pass.js';
import { indicesWhere, keepArguments } from '../util/args.js';
import { freeze, makeRegion, Substitution, withInputs } from '../util/build.js';
import { knownValue } from '../util/constants.js';
import { typeLookup } from '../util/region-types.js';

/** The entry variable every branch yields unchanged as exit `exit`, if there is one. */
export function invariantExit(node: GammaNode, exit: number): number | undefined {
  let entry: number | undefined;
  for (const region of node.regions) {
    const r = region.results[exit];
    if (r?.kind !== 'arg' || (entry !== undefined && r.index !== entry)) return undefined;
    entry = r.index;
  }
  return entry;
}

/** Moves the nodes of `region` into the enclosing region: arguments become `args`; returns where the results went. */
export function inlineRegion(region: Region, args: readonly Origin[], into: Node[]): Origin[] {
  const map = (o: Origin): Origin => (o.kind === 'arg' ? (args[o.index] as Origin) : o);
  for (const node of region.nodes) into.push(withInputs(node, node.inputs.map(map)));
  return region.results.map(map);
}

/**
 * Gamma simplification. A gamma whose predicate is known at compile time
 * (a constant, or a `match` of one) or that has a single branch is replaced
 * by the chosen branch's nodes. An exit variable that every branch yields
 * unchanged from the same entry variable is removed, its uses taking the
 * entry value directly; entry variables no branch uses any more are
 * removed with it (so state values keep exactly one use).
 *
 * Requires: verified. Ensures: verified. Preserves: typed, no-js-ops,
 * lowerable.
 */
export const simplifyGamma = definePass({
  name: 'simplify-gamma',
  description: 'replace gammas with a known predicate by their branch; remove invariant exit variables',
  requires: [verified],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  introduces: ['builtin'],
  run(module, context) {
    return mapRegions(module, (region) => {
      if (!region.nodes.some((n) => n.kind === 'gamma')) return region;
      const subst = new Substitution();
      const nodes: Node[] = [];
      const producers = new Map<number, Node>();
      const typeOf = typeLookup(region, producers);
      let changed = false;
      for (const original of region.nodes) {
        const node = withInputs(original, subst.applyAll(original.inputs));
        if (node !== original) changed = true;
        if (node.kind !== 'gamma') {
          nodes.push(node);
          producers.set(node.id, node);
          continue;
        }
        const choice =
          node.regions.length === 1 ? 0 : knownValue(node.inputs[0] as Origin, producers, context.registry, typeOf);
        const chosen = typeof choice === 'number' ? node.regions[choice] : undefined;
        if (chosen) {
          const start = nodes.length;
          const results = inlineRegion(chosen, node.inputs.slice(1), nodes);
          for (let k = start; k < nodes.length; k++) producers.set((nodes[k] as Node).id, nodes[k] as Node);
          results.forEach((r, i) => subst.set(outOrigin(node.id, i), r));
          context.count('gammas-inlined');
          changed = true;
          continue;
        }
        const keepExits: number[] = [];
        node.outputs.forEach((_, i) => {
          const entry = invariantExit(node, i);
          if (entry === undefined) keepExits.push(i);
          else subst.set(outOrigin(node.id, i), node.inputs[entry + 1] as Origin);
        });
        if (keepExits.length === node.outputs.length) {
          nodes.push(node);
          producers.set(node.id, node);
          continue;
        }
        context.count('invariant-exits-removed', node.outputs.length - keepExits.length);
        changed = true;
        const trimmed = node.regions.map((r) =>
          makeRegion(
            r.arguments,
            r.nodes,
            keepExits.map((i) => r.results[i] as Origin),
          ),
        );
        const used = new Set<number>();
        for (const r of trimmed) {
          for (const n of r.nodes) for (const o of n.inputs) if (o.kind === 'arg') used.add(o.index);
          for (const o of r.results) if (o.kind === 'arg') used.add(o.index);
        }
        const entryTypes = (trimmed[0] as Region).arguments;
        const keepEntries = indicesWhere(entryTypes.map((t, j) => used.has(j) || !isState(t)));
        const next: GammaNode = freeze({
          ...node,
          inputs: freeze([node.inputs[0] as Origin, ...keepEntries.map((j) => node.inputs[j + 1] as Origin)]),
          regions: freeze(trimmed.map((r) => keepArguments(r, keepEntries))),
          outputs: freeze(keepExits.map((i) => node.outputs[i] as GammaNode['outputs'][number])),
        });
        keepExits.forEach((i, k) => {
          if (i !== k) subst.set(outOrigin(node.id, i), outOrigin(node.id, k));
        });
        nodes.push(next);
        producers.set(next.id, next);
      }
      if (!changed) return region;
      return makeRegion(region.arguments, nodes, subst.applyAll(region.results));
    });
  },
});
