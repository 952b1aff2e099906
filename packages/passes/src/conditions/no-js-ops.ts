import { dialectOf, forEachNode } from '@rvsdg/ir';
import { defineCondition } from '../manager/condition.js';

/** No simple node applies an op of the JavaScript frontend's `js` dialect. */
export const noJsOps = defineCondition(
  'no-js-ops',
  'no node applies a `js.*` op',
  (module) => {
    const problems: string[] = [];
    forEachNode(module, (node) => {
      if (node.kind === 'simple' && dialectOf(node.op) === 'js') problems.push(`node ${node.id} applies ${node.op}`);
    });
    return problems;
  },
  { dialects: ['js'] },
);
