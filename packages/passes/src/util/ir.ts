import { isState, outOrigin, type Node, type OpRegistry, type Origin, type Region, type SimpleNode } from '@rvsdg/ir';

/** A string naming a value of a region: `a3` for argument 3, `12.0` for output 0 of node 12. */
export function originKey(origin: Origin): string {
  return origin.kind === 'arg' ? `a${origin.index}` : `${origin.node}.${origin.index}`;
}

/**
 * True for nodes a pass must keep in place: simple nodes whose op has
 * effects (or is unknown), calls (a call may not return: deep recursion
 * throws in JavaScript), and any node that takes or yields a state value
 * (state edges order effects, and each state value is used exactly once).
 */
export function isPinned(
  node: Node,
  region: Region,
  registry: OpRegistry,
  nodeIndex: ReadonlyMap<number, Node>,
): boolean {
  if (node.kind === 'simple') {
    const def = registry.get(node.op);
    if (!def || def.effects.length > 0 || node.op === 'call') return true;
  }
  if (node.outputs.some(isState)) return true;
  for (const input of node.inputs) {
    const type = input.kind === 'arg' ? region.arguments[input.index] : nodeIndex.get(input.node)?.outputs[input.index];
    if (type && isState(type)) return true;
  }
  return false;
}

/**
 * A pure simple node: a registered op without effects, not a call, no state
 * out (state operands cannot exist without a state result being pinned).
 */
export function isPureSimple(node: Node, registry: OpRegistry): node is SimpleNode {
  if (node.kind !== 'simple' || node.op === 'call') return false;
  const def = registry.get(node.op);
  return def !== undefined && def.effects.length === 0 && !node.outputs.some(isState);
}

/** How often each value of the region is used (by its nodes' inputs and its results). */
export function useCounts(region: Region): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (o: Origin): void => {
    const key = originKey(o);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (const node of region.nodes) for (const input of node.inputs) add(input);
  for (const result of region.results) add(result);
  return counts;
}

/** Allocates fresh node ids for one pass run. */
export class IdAllocator {
  #next: number;
  constructor(first: number) {
    this.#next = first;
  }
  next(): number {
    return this.#next++;
  }
}

export function outputsOf(node: Node): Origin[] {
  return node.outputs.map((_, i) => outOrigin(node.id, i));
}

/** A stable key for a simple node's op and attributes. */
export function opKey(node: SimpleNode): string {
  const attrs = Object.keys(node.attrs)
    .sort()
    .map((k) => {
      const v = node.attrs[k];
      if (typeof v === 'object') return `${k}=${typeToKey(v)}`;
      if (typeof v === 'number') return `${k}=${Object.is(v, -0) ? '-0' : String(v)}`;
      return `${k}=${typeof v}:${String(v)}`;
    });
  return `${node.op}{${attrs.join(',')}}`;
}

const typeIds = new WeakMap<object, number>();
let nextTypeId = 0;
function typeToKey(type: object): string {
  let id = typeIds.get(type);
  if (id === undefined) {
    id = nextTypeId++;
    typeIds.set(type, id);
  }
  return `t${id}`;
}

/** Nodes in a region, nested ones included. */
export function countNodesIn(region: Region): number {
  let count = 0;
  const stack = [region];
  while (stack.length > 0) {
    const r = stack.pop() as Region;
    count += r.nodes.length;
    for (const n of r.nodes) stack.push(...n.regions);
  }
  return count;
}

/** Whether a loop (theta) is somewhere in `region`, nested regions included. */
export function containsTheta(region: Region): boolean {
  return region.nodes.some((n) => n.kind === 'theta' || n.regions.some(containsTheta));
}
