import { forEachNode, unknownOpMessage } from '@rvsdg/ir';
import { defineCondition } from '../manager/condition.js';
import { noJsOps } from './no-js-ops.js';
import { typed } from './typed.js';

/**
 * What a backend needs: every type is known (`typed`), no `js.*` op is left
 * (`no-js-ops`), and every op is registered.
 */
export const lowerable = defineCondition(
  'lowerable',
  'typed, free of `js.*` ops, and every op is registered',
  (module, context) => {
    const problems = [...typed.check(module, context), ...noJsOps.check(module, context)];
    forEachNode(module, (node) => {
      if (node.kind === 'simple' && !context.registry.get(node.op))
        problems.push(
          `node ${node.id}: ${unknownOpMessage(
            node.op,
            context.registry.dialects().map((d) => d.name),
          )}`,
        );
    });
    return problems;
  },
);
