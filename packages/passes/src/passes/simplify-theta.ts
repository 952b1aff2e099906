import { isState, mapRegions, nodesById, outOrigin, type Node, type Origin, type ThetaNode } from '@rvsdg/ir';
import { lowerable } from '../conditions/lowerable.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import { definePass } from '../manager/pass.js';
import { keepArguments } from '../util/args.js';
import { originKey } from '../util/ir.js';
import { freeze, makeRegion, Substitution, withInputs } from '../util/build.js';
import { knownValue } from '../util/constants.js';
import { typeLookup } from '../util/region-types.js';
import { inlineRegion } from './simplify-gamma.js';

/** True when loop variable `i` leaves every iteration as it entered. */
export function isInvariant(node: ThetaNode, i: number): boolean {
  const r = node.regions[0].results[i + 1];
  return r?.kind === 'arg' && r.index === i;
}

/**
 * Theta simplification. A loop whose predicate is known to be 0 (stop)
 * runs its body once: the body replaces the loop. Uses of invariant loop
 * variables after the loop take the value from before the loop; an
 * invariant loop variable the body does not otherwise use is removed
 * (which keeps state values used exactly once).
 *
 * Requires: verified. Ensures: verified. Preserves: typed, no-js-ops,
 * lowerable.
 */
export const simplifyTheta = definePass({
  name: 'simplify-theta',
  description: 'replace loops that stop after one iteration by their body; bypass and remove invariant loop variables',
  requires: [verified],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  introduces: ['builtin'],
  run(module, context) {
    return mapRegions(module, (region) => {
      if (!region.nodes.some((n) => n.kind === 'theta')) return region;
      const subst = new Substitution();
      const nodes: Node[] = [];
      // Set only for real edits: a bypassed output nobody reads, or one still needed inside, changes nothing.
      let changed = false;
      const usedHere = new Set<string>(region.results.map(originKey));
      for (const n of region.nodes) for (const o of n.inputs) usedHere.add(originKey(o));
      for (const original of region.nodes) {
        const node = withInputs(original, subst.applyAll(original.inputs));
        if (node !== original) changed = true;
        if (node.kind !== 'theta') {
          nodes.push(node);
          continue;
        }
        const body = node.regions[0];
        const producers = nodesById(body);
        const predicate = knownValue(
          body.results[0] as Origin,
          producers,
          context.registry,
          typeLookup(body, producers),
        );
        if (predicate === 0) {
          const results = inlineRegion(body, node.inputs, nodes);
          results.slice(1).forEach((r, i) => subst.set(outOrigin(node.id, i), r));
          context.count('single-iteration-loops-inlined');
          changed = true;
          continue;
        }
        const used = new Set<number>();
        for (const n of body.nodes) for (const o of n.inputs) if (o.kind === 'arg') used.add(o.index);
        body.results.forEach((o, k) => {
          if (o.kind === 'arg' && !(k === o.index + 1)) used.add(o.index);
        });
        const keep: number[] = [];
        let bypassed = 0;
        node.outputs.forEach((type, i) => {
          if (!isInvariant(node, i)) {
            keep.push(i);
            return;
          }
          subst.set(outOrigin(node.id, i), node.inputs[i] as Origin);
          if (usedHere.has(`${node.id}.${i}`)) bypassed++;
          if (used.has(i) && !isState(type)) keep.push(i);
        });
        if (bypassed > 0) context.count('invariant-uses-bypassed', bypassed);
        if (keep.length === node.outputs.length) {
          // Every bypassed variable is still needed inside; outputs are now unused but stay.
          nodes.push(node);
          continue;
        }
        changed = true;
        context.count('loop-vars-removed', node.outputs.length - keep.length);
        const trimmed = keepArguments(
          makeRegion(body.arguments, body.nodes, [
            body.results[0] as Origin,
            ...keep.map((i) => body.results[i + 1] as Origin),
          ]),
          keep,
        );
        const next: ThetaNode = freeze({
          ...node,
          inputs: freeze(keep.map((i) => node.inputs[i] as Origin)),
          regions: freeze([trimmed]) as ThetaNode['regions'],
          outputs: freeze(keep.map((i) => node.outputs[i] as ThetaNode['outputs'][number])),
        });
        keep.forEach((i, k) => {
          if (!isInvariant(node, i)) subst.set(outOrigin(node.id, i), outOrigin(node.id, k));
        });
        nodes.push(next);
      }
      const results = subst.applyAll(region.results);
      if (!changed && results.every((o, i) => o === region.results[i])) return region;
      return makeRegion(region.arguments, nodes, results);
    });
  },
});
