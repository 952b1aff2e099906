import { freeze } from '../builder/freeze.js';
import type { Module } from './module.js';
import type { Node } from './node.js';
import type { Origin } from './origin.js';
import type { Region } from './region.js';

/** A copy of `node` with region `index` replaced, or `node` itself when the region is the same object. */
export function withRegion<N extends Node>(node: N, index: number, region: Region): N {
  if (node.regions[index] === region) return node;
  const regions = [...node.regions];
  regions[index] = region;
  return freeze({ ...node, regions: freeze(regions) });
}

/** A region with new nodes and results (arguments kept), or `region` itself when nothing changed. */
export function withNodes(region: Region, nodes: readonly Node[], results: readonly Origin[] = region.results): Region {
  const same =
    nodes.length === region.nodes.length &&
    nodes.every((n, i) => n === region.nodes[i]) &&
    results.length === region.results.length &&
    results.every((r, i) => r === region.results[i]);
  if (same) return region;
  return freeze({ arguments: region.arguments, nodes: freeze([...nodes]), results: freeze([...results]) });
}

/** The module with a new root region, or `module` itself when the region is the same object. */
export function withRootRegion(module: Module, region: Region): Module {
  return region === module.region ? module : freeze({ ...module, region });
}

/**
 * Applies `transform` to every region, innermost first. A node or region is
 * copied only when something inside it changed, so unchanged parts keep
 * their identity and are shared with the input module.
 */
export function mapRegions(module: Module, transform: (region: Region, depth: number) => Region): Module {
  const visit = (region: Region, depth: number): Region => {
    let changed = false;
    const nodes = region.nodes.map((node) => {
      let next = node;
      node.regions.forEach((inner, i) => {
        next = withRegion(next, i, visit(inner, depth + 1));
      });
      if (next !== node) changed = true;
      return next;
    });
    const rebuilt = changed ? withNodes(region, nodes) : region;
    return transform(rebuilt, depth);
  };
  return withRootRegion(module, visit(module.region, 0));
}

/** Calls `visit` on every node of the module, outer regions first. */
export function forEachNode(module: Module, visit: (node: Node, region: Region, depth: number) => void): void {
  const stack: { region: Region; depth: number }[] = [{ region: module.region, depth: 0 }];
  while (stack.length > 0) {
    const { region, depth } = stack.pop() as { region: Region; depth: number };
    for (const node of region.nodes) {
      visit(node, region, depth);
      for (const inner of node.regions) stack.push({ region: inner, depth: depth + 1 });
    }
  }
}

/** Number of nodes in the module, nested ones included. */
export function countNodes(module: Module): number {
  let count = 0;
  forEachNode(module, () => count++);
  return count;
}

/** One more than the largest node id in the module: where new node ids can start. */
export function nextNodeId(module: Module): number {
  let max = -1;
  forEachNode(module, (node) => {
    if (node.id > max) max = node.id;
  });
  return max + 1;
}
