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
import { isPinned } from '../util/ir.js';

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

type Structural = Exclude<Node, { kind: 'simple' }>;

/** What the mark phase learned about one region (reached through a kept node, or the root). */
class RegionLiveness {
  readonly index: ReadonlyMap<number, Node>;
  /** Nodes kept: live outputs, or pinned. */
  readonly kept = new Set<number>();
  /** Live outputs per kept node. */
  readonly liveOutputs = new Map<number, boolean[]>();
  readonly liveArgs: boolean[];
  readonly liveResults: boolean[];
  /** The regions of each kept structural node. */
  readonly children = new Map<number, RegionLiveness[]>();

  constructor(
    readonly region: Region,
    /** The structural node owning the region and the region it sits in; none for the root. */
    readonly owner?: { readonly node: Structural; readonly in: RegionLiveness },
  ) {
    this.index = nodesById(region);
    this.liveArgs = region.arguments.map(() => false);
    this.liveResults = region.results.map(() => false);
  }
}

/** Arguments of a lambda, delta or phi body that are not context variables: always kept. */
function fixedArguments(node: Structural): number {
  return node.kind === 'lambda' ? node.type.params.length : node.kind === 'phi' ? node.outputs.length : 0;
}

/**
 * Mark, then sweep. The mark phase computes liveness over the whole module
 * with one worklist: each origin, result and node is visited once, so a
 * loop variable found live deep inside nested loops costs no re-trimming
 * of the bodies around it (trimming each theta body until its loop
 * variables stop growing re-trimmed every nested body per outer iteration:
 * twice the work per nesting level). The sweep then rebuilds each kept
 * region once, returning unchanged regions and nodes as the same objects.
 */
class DeadNodeElimination {
  readonly counts = new Map<string, number>();
  readonly #work: { readonly at: RegionLiveness; readonly origin?: Origin; readonly node?: Node }[] = [];

  constructor(readonly registry: OpRegistry) {}

  count(counter: string, amount = 1): void {
    this.counts.set(counter, (this.counts.get(counter) ?? 0) + amount);
  }

  /** Marks everything `keepResults` of the root region depend on. */
  mark(root: Region, keepResults: readonly number[]): RegionLiveness {
    const rootLiveness = this.enter(root);
    for (const k of keepResults) this.result(rootLiveness, k);
    for (let item = this.#work.pop(); item !== undefined; item = this.#work.pop()) {
      if (item.node) this.keep(item.at, item.node);
      else if (item.origin) this.origin(item.at, item.origin);
    }
    return rootLiveness;
  }

  /** A region of a kept node (or the root): its pinned nodes are kept. */
  private enter(region: Region, owner?: RegionLiveness['owner']): RegionLiveness {
    const at = new RegionLiveness(region, owner);
    for (const node of region.nodes) {
      if (isPinned(node, region, this.registry, at.index)) this.#work.push({ at, node });
    }
    return at;
  }

  private result(at: RegionLiveness, k: number): void {
    if (at.liveResults[k]) return;
    at.liveResults[k] = true;
    this.#work.push({ at, origin: at.region.results[k] as Origin });
  }

  private origin(at: RegionLiveness, origin: Origin): void {
    if (origin.kind === 'arg') {
      if (at.liveArgs[origin.index]) return;
      at.liveArgs[origin.index] = true;
      this.argument(at, origin.index);
      return;
    }
    const node = at.index.get(origin.node) as Node;
    this.keep(at, node);
    const outputs = at.liveOutputs.get(node.id) as boolean[];
    if (outputs[origin.index]) return;
    outputs[origin.index] = true;
    this.output(at, node, origin.index);
  }

  /** A live argument of `at`'s region: what it stands for outside is live. */
  private argument(at: RegionLiveness, i: number): void {
    if (!at.owner) return;
    const { node, in: outer } = at.owner;
    switch (node.kind) {
      case 'gamma':
        this.#work.push({ at: outer, origin: node.inputs[i + 1] as Origin });
        return;
      case 'theta':
        // Used in an iteration, so computed by the previous one and entering the first.
        this.#work.push({ at: outer, origin: node.inputs[i] as Origin });
        this.result(at, i + 1);
        return;
      default: {
        const fixed = fixedArguments(node);
        if (i >= fixed) this.#work.push({ at: outer, origin: node.inputs[i - fixed] as Origin });
      }
    }
  }

  /** A newly live output of a kept node. */
  private output(at: RegionLiveness, node: Node, i: number): void {
    if (node.kind === 'gamma') for (const branch of at.children.get(node.id) ?? []) this.result(branch, i);
    else if (node.kind === 'theta') {
      const [body] = at.children.get(node.id) ?? [];
      this.#work.push({ at, origin: node.inputs[i] as Origin });
      if (body) this.result(body, i + 1);
    }
  }

  private keep(at: RegionLiveness, node: Node): void {
    if (at.kept.has(node.id)) return;
    at.kept.add(node.id);
    at.liveOutputs.set(
      node.id,
      node.outputs.map(() => false),
    );
    if (node.kind === 'simple') {
      for (const input of node.inputs) this.#work.push({ at, origin: input });
      return;
    }
    const children = node.regions.map((region) => this.enter(region, { node, in: at }));
    at.children.set(node.id, children);
    switch (node.kind) {
      case 'gamma':
      case 'theta':
        if (node.kind === 'gamma') this.#work.push({ at, origin: node.inputs[0] as Origin });
        else this.result(children[0] as RegionLiveness, 0);
        // State outputs stay: they order effects.
        node.outputs.forEach((type, i) => {
          if (isState(type)) this.#work.push({ at, origin: outOrigin(node.id, i) });
        });
        return;
      default:
        for (const child of children) child.region.results.forEach((_, k) => this.result(child, k));
    }
  }

  /** Rebuilds a marked region keeping the results listed in `keepResults` and what they depend on. */
  sweep(at: RegionLiveness, keepResults: readonly number[]): Region {
    const region = at.region;
    const results = keepResults.map((i) => region.results[i] as Origin);
    const kept: KeptNode[] = [];
    let changed = !sameList(keepResults, region.results.length);
    for (const node of region.nodes) {
      if (!at.kept.has(node.id)) {
        this.count('nodes-removed');
        changed = true;
        continue;
      }
      const next = node.kind === 'simple' ? { node } : this.structural(at, node);
      if (next.node !== node) changed = true;
      kept.push(next);
    }
    if (!changed) return region;
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
    return makeRegion(region.arguments, nodes, remap.size === 0 ? results : results.map(map));
  }

  private structural(at: RegionLiveness, node: Structural): KeptNode {
    const children = at.children.get(node.id) as RegionLiveness[];
    const liveOutputs = at.liveOutputs.get(node.id) as boolean[];
    switch (node.kind) {
      case 'gamma': {
        const keepExits = indicesWhere(liveOutputs);
        const trimmed = children.map((child) => this.sweep(child, keepExits));
        const entryCount = node.inputs.length - 1;
        const keepEntries: number[] = [];
        for (let j = 0; j < entryCount; j++) {
          if (children.some((child) => child.liveArgs[j])) keepEntries.push(j);
        }
        const removedExits = node.outputs.length - keepExits.length;
        const removedEntries = entryCount - keepEntries.length;
        if (removedExits > 0) this.count('gamma-exits-removed', removedExits);
        if (removedEntries > 0) this.count('gamma-entries-removed', removedEntries);
        const regions = trimmed.map((region) => keepArguments(region, keepEntries));
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
        const body = children[0] as RegionLiveness;
        // A loop variable is live when its next value is: used after the loop or in a live part of the body.
        const keep = indicesWhere(node.outputs.map((_, i) => body.liveResults[i + 1] === true));
        const removed = node.outputs.length - keep.length;
        if (removed > 0) this.count('loop-vars-removed', removed);
        const region = keepArguments(this.sweep(body, [0, ...keep.map((i) => i + 1)]), keep);
        if (removed === 0 && region === body.region) return { node };
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
        const body = children[0] as RegionLiveness;
        const fixed = fixedArguments(node);
        const trimmed = this.sweep(
          body,
          body.region.results.map((_, i) => i),
        );
        const keep = indicesWhere(body.liveArgs.map((used, i) => i < fixed || used));
        const removed = body.region.arguments.length - keep.length;
        if (removed > 0) this.count('context-vars-removed', removed);
        const region = keepArguments(trimmed, keep);
        if (region === body.region) return { node };
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
  introduces: [],
  run(module, context) {
    const pass = new DeadNodeElimination(context.registry);
    const all = module.region.results.map((_, i) => i);
    const region = pass.sweep(pass.mark(module.region, all), all);
    for (const [counter, amount] of pass.counts) context.count(counter, amount);
    return withRootRegion(module, region);
  },
});
