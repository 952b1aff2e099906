import type { Type } from '../types/type.js';
import type { Node } from './node.js';
import type { Origin } from './origin.js';

/**
 * A region: typed arguments, nodes in topological order (every input refers
 * to an argument or to an earlier node), and results.
 */
export interface Region {
  readonly arguments: readonly Type[];
  readonly nodes: readonly Node[];
  readonly results: readonly Origin[];
}

const nodeIndexCache = new WeakMap<Region, ReadonlyMap<number, Node>>();

/** Node lookup by id, computed once per region object (regions never change). */
export function nodesById(region: Region): ReadonlyMap<number, Node> {
  let index = nodeIndexCache.get(region);
  if (!index) {
    const map = new Map<number, Node>();
    for (const node of region.nodes) map.set(node.id, node);
    index = map;
    nodeIndexCache.set(region, index);
  }
  return index;
}

/** The type of a value in a region, or undefined when the origin dangles. */
export function originType(region: Region, origin: Origin): Type | undefined {
  if (origin.kind === 'arg') return region.arguments[origin.index];
  return nodesById(region).get(origin.node)?.outputs[origin.index];
}
