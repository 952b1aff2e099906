import {
  mapRegions,
  nextNodeId,
  nodesById,
  outOrigin,
  type IRValue,
  type Node,
  type OpRegistry,
  type Origin,
  type SimpleNode,
  type ThetaNode,
  type Type,
} from '@rvsdg/ir';
import { lowerable } from '../conditions/lowerable.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import { definePass } from '../manager/pass.js';
import { cloneNodes, makeRegion, Substitution, withInputs } from '../util/build.js';
import { countNodesIn, IdAllocator, isPureSimple, originKey } from '../util/ir.js';

/**
 * The number of iterations of a theta, found by running the part of the
 * body that decides the predicate on the loop's initial values, when that
 * part is closed (it reads only loop variables it computes itself, with
 * constant initial values) and pure. Undefined when unknown or above `limit`.
 */
export function tripCount(
  node: ThetaNode,
  producers: ReadonlyMap<number, Node>,
  registry: OpRegistry,
  limit: number,
): number | undefined {
  const body = node.regions[0];
  const inBody = nodesById(body);
  const sliceIds = new Set<number>();
  const vars = new Set<number>();
  const work: Origin[] = [body.results[0] as Origin];
  while (work.length > 0) {
    const o = work.pop() as Origin;
    if (o.kind === 'arg') {
      if (vars.has(o.index)) continue;
      vars.add(o.index);
      work.push(body.results[o.index + 1] as Origin);
      continue;
    }
    if (sliceIds.has(o.node)) continue;
    const n = inBody.get(o.node);
    if (!n || !isPureSimple(n, registry)) return undefined;
    sliceIds.add(o.node);
    work.push(...n.inputs);
  }
  const initial = new Map<number, IRValue>();
  for (const v of vars) {
    const input = node.inputs[v] as Origin;
    const producer = input.kind === 'out' ? producers.get(input.node) : undefined;
    if (producer?.kind !== 'simple' || producer.op !== 'const') return undefined;
    initial.set(v, producer.attrs['value'] as IRValue);
  }
  const slice = body.nodes.filter((n): n is SimpleNode => n.kind === 'simple' && sliceIds.has(n.id));
  const typeOf = (o: Origin): Type =>
    (o.kind === 'arg' ? body.arguments[o.index] : (inBody.get(o.node) as Node).outputs[o.index]) as Type;
  const plans = slice.map((n) => ({
    node: n,
    def: registry.get(n.op),
    instance: { attrs: n.attrs, operandTypes: n.inputs.map(typeOf), resultTypes: n.outputs },
  }));
  let current = initial;
  for (let trips = 1; trips <= limit; trips++) {
    const values = new Map<string, IRValue>();
    for (const [v, value] of current) values.set(`a${v}`, value);
    for (const { node: n, def, instance } of plans) {
      if (!def) return undefined;
      let outputs: readonly IRValue[];
      try {
        outputs = def.evaluate(
          n.inputs.map((o) => values.get(originKey(o))),
          instance,
          {
            call() {
              throw new Error('no calls while counting trips');
            },
          },
        );
      } catch {
        return undefined;
      }
      outputs.forEach((value, i) => values.set(`${n.id}.${i}`, value));
    }
    const predicate = values.get(originKey(body.results[0] as Origin));
    if (predicate === 0) return trips;
    if (predicate !== 1) return undefined;
    const next = new Map<number, IRValue>();
    for (const v of vars) next.set(v, values.get(originKey(body.results[v + 1] as Origin)));
    current = next;
  }
  return undefined;
}

export interface UnrollOptions extends Record<string, number | boolean | string> {
  readonly maxTrips: number;
  readonly maxNodes: number;
}

/**
 * Full unrolling of loops with a trip count known at compile time: the
 * theta is replaced by that many copies of its body, each feeding the next.
 * Loops run more than `maxTrips` times, or whose unrolled size would exceed
 * `maxNodes` nodes, are left alone.
 *
 * Requires: verified. Ensures: verified. Preserves: typed, no-js-ops,
 * lowerable. Leaves the copies' predicates unused (run `dne` after it).
 */
export const unroll = definePass<UnrollOptions>({
  name: 'unroll',
  description: 'fully unroll loops whose trip count is a compile-time constant',
  requires: [verified],
  ensures: [verified],
  preserves: [typed, noJsOps, lowerable],
  introduces: ['builtin', 'arith'],
  options: { maxTrips: 8, maxNodes: 400 },
  optionDocs: {
    maxTrips: 'largest trip count to unroll',
    maxNodes: 'largest number of nodes the unrolled copies may have in total',
  },
  run(module, context) {
    const ids = new IdAllocator(nextNodeId(module));
    const { maxTrips, maxNodes } = context.options;
    return mapRegions(module, (region) => {
      if (!region.nodes.some((n) => n.kind === 'theta')) return region;
      const subst = new Substitution();
      const nodes: Node[] = [];
      const producers = new Map<number, Node>();
      let changed = false;
      for (const original of region.nodes) {
        const node = withInputs(original, subst.applyAll(original.inputs));
        if (node !== original) changed = true;
        const trips = node.kind === 'theta' ? tripCount(node, producers, context.registry, maxTrips) : undefined;
        if (node.kind !== 'theta' || trips === undefined || trips * countNodesIn(node.regions[0]) > maxNodes) {
          nodes.push(node);
          producers.set(node.id, node);
          continue;
        }
        let vars: Origin[] = [...node.inputs];
        for (let t = 0; t < trips; t++) {
          const copy = cloneNodes(node.regions[0], vars, ids);
          for (const c of copy.nodes) {
            nodes.push(c);
            producers.set(c.id, c);
          }
          vars = copy.results.slice(1);
        }
        vars.forEach((o, i) => subst.set(outOrigin(node.id, i), o));
        context.count('loops-unrolled');
        context.count('copies', trips);
        changed = true;
      }
      if (!changed) return region;
      return makeRegion(region.arguments, nodes, subst.applyAll(region.results));
    });
  },
});
