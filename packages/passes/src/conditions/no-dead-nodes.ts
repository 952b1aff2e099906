import { forEachNode, nodesById, type Node, type Region } from '@rvsdg/ir';
import { defineCondition } from '../manager/condition.js';
import { isPinned, originKey } from '../util/ir.js';

function deadNodes(region: Region, isRoot: (node: Node) => boolean): Node[] {
  const live = new Set<string>(region.results.map(originKey));
  const dead: Node[] = [];
  for (let k = region.nodes.length - 1; k >= 0; k--) {
    const node = region.nodes[k] as Node;
    const used = isRoot(node) || node.outputs.some((_, i) => live.has(`${node.id}.${i}`));
    if (!used) {
      dead.push(node);
      continue;
    }
    for (const input of node.inputs) live.add(originKey(input));
  }
  return dead;
}

/**
 * Every node contributes to a region result: nothing is computed and then
 * ignored. Nodes with effects or state edges count as used, since they
 * order the program's effects.
 */
export const noDeadNodes = defineCondition(
  'no-dead-nodes',
  'every node contributes to a result of its region',
  (module, { registry }) => {
    const problems: string[] = [];
    const check = (region: Region, where: string): void => {
      const index = nodesById(region);
      for (const node of deadNodes(region, (n) => isPinned(n, region, registry, index))) {
        const name = node.kind === 'simple' ? node.op : node.kind;
        problems.push(`${name} (node ${node.id}) in ${where} is dead`);
      }
    };
    check(module.region, 'the root region');
    forEachNode(module, (node) => node.regions.forEach((r, i) => check(r, `region ${i} of node ${node.id}`)));
    return problems;
  },
);
