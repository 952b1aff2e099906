import { forEachNode, type IRValue, type Region } from '@rvsdg/ir';
import { constantValue, defineCondition, definePatternPass, verified, typed } from '../index.js';

/** k when `value` is the integer 2^k, else undefined. */
function exponentOf(value: IRValue | undefined): bigint | undefined {
  if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) return undefined;
  const v = BigInt(value);
  if (v <= 0n || (v & (v - 1n)) !== 0n) return undefined;
  return BigInt(v.toString(2).length - 1);
}

/** No integer multiplication by a constant power of two (in any form) is left. */
export const noMulByPowerOfTwo = defineCondition(
  'no-mul-by-power-of-two',
  'no integer multiplication by a constant power of two',
  (module) => {
    const problems: string[] = [];
    const look = (region: Region): void => {
      for (const node of region.nodes) {
        if (node.kind !== 'simple' || node.op !== 'arith.mul' || node.outputs[0]?.kind !== 'int') continue;
        if (exponentOf(constantValue(region, node.inputs[1]!)) !== undefined)
          problems.push(`node ${node.id} multiplies by a power of two`);
      }
    };
    look(module.region);
    forEachNode(module, (node) => node.regions.forEach(look));
    return problems;
  },
);

/**
 * Strength reduction: `x * 2^k` on integers becomes `x << k`. Integer
 * multiplication wraps around, and so does the shift, so the two agree on
 * every input.
 *
 * Requires: verified. Ensures: verified, no-mul-by-power-of-two.
 * Preserves: typed.
 */
export const strengthReduce = definePatternPass({
  name: 'strength-reduce',
  description: 'replace integer multiplication by a power of two with a shift',
  ensures: [verified, noMulByPowerOfTwo],
  preserves: [typed],
  patterns: {
    'arith.mul': (node, rewriter) => {
      const type = node.outputs[0]!;
      const k = type.kind === 'int' ? exponentOf(rewriter.constantValue(node.inputs[1]!)) : undefined;
      if (type.kind !== 'int' || k === undefined) return;
      // The shift amount has the operand's type: a bigint for 64 bits, a number otherwise.
      const amount = rewriter.constant(type.bits === 64 ? k : Number(k), type);
      rewriter.replace(...rewriter.op('arith.shl', [node.inputs[0]!, amount], node.outputs));
      rewriter.context.count('reduced');
    },
  },
});
