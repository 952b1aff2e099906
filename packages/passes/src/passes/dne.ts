import {
  isState,
  nodesById,
  outOrigin,
  withRootRegion,
  type Node,
  type OpRegistry,
  type Origin,
  type Region,
} from '@rvsdg/ir';
import { lowerable } from '../conditions/lowerable.js';
import { noDeadNodes } from '../conditions/no-dead-nodes.js';
import { noJsOps } from '../conditions/no-js-ops.js';
import { typed } from '../conditions/typed.js';
import { verified } from '../conditions/verified.js';
import { definePass } from '../manager/pass.js';
import { indicesWhere, keepArguments } from '../util/args.js';
import { freeze, makeRegion, withInputs } from '../util/build.js';
import { isPinned, originKey } from '../util/ir.js';

interface Trimmed {
  readonly region: Region;
  /** Which arguments the trimmed region still uses. */
  readonly usedArgs: boolean[];
}

/** A kept node and, when some of its outputs were dropped, where each old output went. */
interface KeptNode {
  readonly node: Node;
  readonly outputMap?: readonly (number | undefined)[];
}

function mapOf(keep: readonly number[], count: number): (number | undefined)[] {
  const map: (number | undefined)[] = new Array<number | undefined>(count).fill(undefined);
  keep.forEach((k, i) => {
    map[k] = i;
  });
  return map;
}

function sameList(keep: readonly number[], count: number): boolean {
  return keep.length === count && keep.every((k, i) => k === i);
}

class DeadNodeElimination {
  /** Counters of the work done so far; a theta's fixpoint keeps only its last iteration's. */
  counts = new Map<string, number>();

  constructor(readonly registry: OpRegistry) {}

  count(counter: string, amount = 1): void {
    this.counts.set(counter, (this.counts.get(counter) ?? 0) + amount);
  }

  /** Removes everything in `region` that does not contribute to the results listed in `keepResults`. */
  trim(region: Region, keepResults: readonly number[]): Trimmed {
    const results = keepResults.map((i) => region.results[i] as Origin);
    const live = new Set<string>(results.map(originKey));
    const index = nodesById(region);
    const kept: KeptNode[] = [];
    let changed = !sameList(keepResults, region.results.length);
    for (let k = region.nodes.length - 1; k >= 0; k--) {
      const node = region.nodes[k] as Node;
      const liveOutputs = node.outputs.map((_, i) => live.has(`${node.id}.${i}`));
      const pinned = isPinned(node, region, this.registry, index);
      if (!pinned && !liveOutputs.some(Boolean)) {
        this.count('nodes-removed');
        changed = true;
        continue;
      }
      const next = node.kind === 'simple' ? { node } : this.structural(node, liveOutputs);
      if (next.node !== node) changed = true;
      for (const input of next.node.inputs) live.add(originKey(input));
      kept.push(next);
    }
    const usedArgs = region.arguments.map((_, i) => live.has(`a${i}`));
    if (!changed) return { region, usedArgs };
    kept.reverse();
    const remap = new Map<number, readonly (number | undefined)[]>();
    for (const { node, outputMap } of kept) if (outputMap) remap.set(node.id, outputMap);
    const map = (o: Origin): Origin => {
      if (o.kind === 'arg') return o;
      const m = remap.get(o.node);
      if (!m) return o;
      const index = m[o.index];
      if (index === undefined) throw new Error(`dne: output ${o.index} of node ${o.node} was removed but is used`);
      return index === o.index ? o : outOrigin(o.node, index);
    };
    const nodes =
      remap.size === 0 ? kept.map((k) => k.node) : kept.map((k) => withInputs(k.node, k.node.inputs.map(map)));
    return { region: makeRegion(region.arguments, nodes, remap.size === 0 ? results : results.map(map)), usedArgs };
  }

  structural(node: Exclude<Node, { kind: 'simple' }>, liveOutputs: readonly boolean[]): KeptNode {
    switch (node.kind) {
      case 'gamma': {
        const keepExits = indicesWhere(
          liveOutputs.map((l, i) => l || isState(node.outputs[i] as Node['outputs'][number])),
        );
        const trimmed = node.regions.map((r) => this.trim(r, keepExits));
        const entryCount = node.inputs.length - 1;
        const keepEntries: number[] = [];
        for (let j = 0; j < entryCount; j++) {
          if (trimmed.some((t) => t.usedArgs[j])) keepEntries.push(j);
        }
        const removedExits = node.outputs.length - keepExits.length;
        const removedEntries = entryCount - keepEntries.length;
        if (removedExits > 0) this.count('gamma-exits-removed', removedExits);
        if (removedEntries > 0) this.count('gamma-entries-removed', removedEntries);
        const regions = trimmed.map((t) => keepArguments(t.region, keepEntries));
        if (removedExits === 0 && removedEntries === 0 && regions.every((r, i) => r === node.regions[i]))
          return { node };
        const next = freeze({
          ...node,
          inputs: freeze([node.inputs[0] as Origin, ...keepEntries.map((j) => node.inputs[j + 1] as Origin)]),
          regions: freeze(regions),
          outputs: freeze(keepExits.map((i) => node.outputs[i] as Node['outputs'][number])),
        });
        return removedExits === 0 ? { node: next } : { node: next, outputMap: mapOf(keepExits, node.outputs.length) };
      }
      case 'theta': {
        const body = node.regions[0];
        const live = liveOutputs.map((l, i) => l || isState(node.outputs[i] as Node['outputs'][number]));
        // A loop variable is live if used after the loop or by the live part of the body; iterate to the fixpoint.
        let trimmed: Trimmed;
        const outer = this.counts;
        for (;;) {
          this.counts = new Map();
          trimmed = this.trim(body, [0, ...indicesWhere(live).map((i) => i + 1)]);
          let grew = false;
          trimmed.usedArgs.forEach((used, i) => {
            if (used && !live[i]) {
              live[i] = true;
              grew = true;
            }
          });
          if (!grew) break;
        }
        for (const [counter, amount] of this.counts) outer.set(counter, (outer.get(counter) ?? 0) + amount);
        this.counts = outer;
        const keep = indicesWhere(live);
        const removed = node.outputs.length - keep.length;
        if (removed > 0) this.count('loop-vars-removed', removed);
        const region = keepArguments(trimmed.region, keep);
        if (removed === 0 && region === body) return { node };
        const next = freeze({
          ...node,
          inputs: freeze(keep.map((i) => node.inputs[i] as Origin)),
          regions: freeze([region]) as [Region],
          outputs: freeze(keep.map((i) => node.outputs[i] as Node['outputs'][number])),
        });
        return removed === 0 ? { node: next } : { node: next, outputMap: mapOf(keep, node.outputs.length) };
      }
      case 'lambda':
      case 'delta':
      case 'phi': {
        const body = node.regions[0];
        const fixed = node.kind === 'lambda' ? node.type.params.length : node.kind === 'phi' ? node.outputs.length : 0;
        const trimmed = this.trim(
          body,
          body.results.map((_, i) => i),
        );
        const keep = indicesWhere(trimmed.usedArgs.map((used, i) => i < fixed || used));
        const removed = body.arguments.length - keep.length;
        if (removed > 0) this.count('context-vars-removed', removed);
        const region = keepArguments(trimmed.region, keep);
        if (region === body) return { node };
        const inputs = keep.filter((i) => i >= fixed).map((i) => node.inputs[i - fixed] as Origin);
        return { node: freeze({ ...node, inputs: freeze(inputs), regions: freeze([region]) }) as Node };
      }
    }
  }
}

/**
 * Dead node elimination: removes every node that contributes nothing to a
 * region result, including unused gamma exit variables, loop variables
 * that only feed themselves, unused gamma entry variables and context
 * variables, and lambdas and deltas nothing refers to. Nodes with effects
 * or state edges, and calls, are kept.
 *
 * Requires: verified. Ensures: verified, no-dead-nodes. Preserves: typed,
 * no-js-ops, lowerable.
 */
export const dne = definePass({
  name: 'dne',
  description: 'dead node elimination (dead nodes, gamma exits and entries, loop variables, context variables)',
  requires: [verified],
  ensures: [verified, noDeadNodes],
  preserves: [typed, noJsOps, lowerable],
  run(module, context) {
    const pass = new DeadNodeElimination(context.registry);
    const { region } = pass.trim(
      module.region,
      module.region.results.map((_, i) => i),
    );
    for (const [counter, amount] of pass.counts) context.count(counter, amount);
    return withRootRegion(module, region);
  },
});
