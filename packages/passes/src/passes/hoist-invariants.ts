import {
  argOrigin,
  isState,
  mapRegions,
  nextNodeId,
  outOrigin,
  type Node,
  type Origin,
  type Region,
  type ThetaNode,
  type Type,
} from '@rvsdg/ir';
import { lowerable } from '../conditions/lowerable.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import type { PassContext } from '../manager/context.js';
import { definePass } from '../manager/pass.js';
import { freeze, makeRegion, Substitution, withInputs } from '../util/build.js';
import { IdAllocator, isPureSimple } from '../util/ir.js';
import { invariantExit } from './simplify-gamma.js';
import { isInvariant } from './simplify-theta.js';

/**
 * Moves the pure nodes of a theta body that depend only on invariant loop
 * variables (and constants) in front of the loop; their values enter the
 * loop as new invariant loop variables. Returns undefined when nothing moves.
 */
function hoist(node: ThetaNode, into: Node[], ids: IdAllocator, context: PassContext): ThetaNode | undefined {
  const body = node.regions[0];
  const n = node.inputs.length;
  // Where each invariant value of the body is available outside: loop inputs, hoisted nodes, copied constants.
  const outside = new Map<string, Origin>();
  node.inputs.forEach((o, i) => {
    if (isInvariant(node, i) && !isState(node.outputs[i] as Type)) outside.set(`a${i}`, o);
  });
  const constants = new Map<number, Node>();
  const hoisted = new Set<number>();
  const moved: Node[] = [];
  for (const inner of body.nodes) {
    if (!isPureSimple(inner, context.registry)) continue;
    if (inner.inputs.length === 0) {
      if (inner.op === 'const') constants.set(inner.id, inner);
      continue;
    }
    const outer: Origin[] = [];
    for (const input of inner.inputs) {
      const key = input.kind === 'arg' ? `a${input.index}` : `${input.node}.${input.index}`;
      let o = outside.get(key);
      if (!o && input.kind === 'out') {
        const c = constants.get(input.node);
        if (c) {
          const copy = freeze({ ...c, id: ids.next() });
          moved.push(copy);
          o = outOrigin(copy.id, 0);
          outside.set(key, o);
        }
      }
      if (!o) break;
      outer.push(o);
    }
    if (outer.length !== inner.inputs.length) continue;
    moved.push(withInputs(inner, outer));
    hoisted.add(inner.id);
    inner.outputs.forEach((_, i) => outside.set(`${inner.id}.${i}`, outOrigin(inner.id, i)));
  }
  if (hoisted.size === 0) return undefined;
  context.count('nodes-hoisted', hoisted.size);
  into.push(...moved);

  // Values of hoisted nodes still needed in the body come in as new invariant loop variables.
  const extraInputs: Origin[] = [];
  const extraTypes: Type[] = [];
  const subst = new Substitution();
  const routed = new Map<string, Origin>();
  const route = (o: Origin): Origin => {
    if (o.kind !== 'out' || !hoisted.has(o.node)) return o;
    const key = `${o.node}.${o.index}`;
    let arg = routed.get(key);
    if (!arg) {
      arg = argOrigin(n + extraInputs.length);
      extraInputs.push(o);
      extraTypes.push((body.nodes.find((x) => x.id === o.node) as Node).outputs[o.index] as Type);
      routed.set(key, arg);
      subst.set(o, arg);
    }
    return arg;
  };
  const nodes = body.nodes.filter((x) => !hoisted.has(x.id)).map((x) => withInputs(x, x.inputs.map(route)));
  const results = [...body.results.map(route), ...extraTypes.map((_, e) => argOrigin(n + e))];
  const region: Region = makeRegion([...body.arguments, ...extraTypes], nodes, results);
  return freeze({
    ...node,
    inputs: freeze([...node.inputs, ...extraInputs]),
    regions: freeze([region]) as ThetaNode['regions'],
    outputs: freeze([...node.outputs, ...extraTypes]),
  });
}

/**
 * Invariant value redirection and loop-invariant code motion. Uses of a
 * theta output whose loop variable never changes take the value from
 * before the loop; uses of a gamma exit that every branch passes through
 * from the same entry variable take the entry value. Pure computations in
 * a theta body that depend only on invariant values move in front of the
 * loop (a theta body runs at least once, and pure ops cannot fail, so this
 * never computes anything the program would not have). State values are
 * left alone.
 *
 * Requires: verified. Ensures: verified. Preserves: typed, no-js-ops,
 * lowerable. Leaves bypassed outputs unused (run `dne` after it).
 */
export const hoistInvariants = definePass({
  name: 'hoist-invariants',
  description: 'invariant value redirection and hoisting of invariant computations out of loops',
  requires: [verified],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  introduces: [],
  options: { hoist: true },
  optionDocs: { hoist: 'move invariant computations out of loops (redirection always happens)' },
  run(module, context) {
    const ids = new IdAllocator(nextNodeId(module));
    return mapRegions(module, (region) => {
      if (!region.nodes.some((n) => n.kind === 'theta' || n.kind === 'gamma')) return region;
      const subst = new Substitution();
      const nodes: Node[] = [];
      let changed = false;
      for (const original of region.nodes) {
        let node = withInputs(original, subst.applyAll(original.inputs));
        if (node.kind === 'theta') {
          const theta = node;
          if (context.options.hoist) node = hoist(theta, nodes, ids, context) ?? theta;
          theta.outputs.forEach((type, i) => {
            if (isInvariant(theta, i) && !isState(type)) {
              subst.set(outOrigin(theta.id, i), theta.inputs[i] as Origin);
              context.count('uses-redirected');
            }
          });
        } else if (node.kind === 'gamma') {
          const gamma = node;
          gamma.outputs.forEach((type, i) => {
            const entry = invariantExit(gamma, i);
            if (entry !== undefined && !isState(type)) {
              subst.set(outOrigin(gamma.id, i), gamma.inputs[entry + 1] as Origin);
              context.count('uses-redirected');
            }
          });
        }
        if (node !== original) changed = true;
        nodes.push(node);
      }
      const results = subst.applyAll(region.results);
      if (!changed && results.every((r, i) => r === region.results[i])) return region;
      return makeRegion(region.arguments, nodes, results);
    });
  },
});
