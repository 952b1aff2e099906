import { forEachNode, mapRegions, nextNodeId, nodesById, outOrigin, type Node, type Region } from '@rvsdg/ir';
import { defineCondition, definePass, verified, typed } from '../index.js';

/** The constant power of two fed to a node input, as its exponent, or undefined. */
function powerOfTwo(region: Region, node: Node, input: number): bigint | undefined {
  const origin = node.inputs[input];
  const producer = origin?.kind === 'out' ? nodesById(region).get(origin.node) : undefined;
  if (producer?.kind !== 'simple' || producer.op !== 'const') return undefined;
  const value = BigInt(producer.attrs['value'] as number | bigint);
  if (value <= 0n || (value & (value - 1n)) !== 0n) return undefined;
  return BigInt(value.toString(2).length - 1);
}

const isIntMul = (node: Node): boolean =>
  node.kind === 'simple' && node.op === 'arith.mul' && node.outputs[0]?.kind === 'int';

/** No integer multiplication by a constant power of two is left. */
export const noMulByPowerOfTwo = defineCondition(
  'no-mul-by-power-of-two',
  'no integer multiplication by a constant power of two',
  (module) => {
    const problems: string[] = [];
    const look = (region: Region): void => {
      for (const node of region.nodes) {
        if (isIntMul(node) && powerOfTwo(region, node, 1) !== undefined)
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
export const strengthReduce = definePass({
  name: 'strength-reduce',
  description: 'replace integer multiplication by a power of two with a shift',
  requires: [verified],
  ensures: [verified, noMulByPowerOfTwo],
  preserves: [typed],
  run(module, context) {
    let nextId = nextNodeId(module);
    return mapRegions(module, (region) => {
      if (!region.nodes.some((n) => isIntMul(n) && powerOfTwo(region, n, 1) !== undefined)) return region;
      const nodes: Node[] = [];
      for (const node of region.nodes) {
        const k = isIntMul(node) ? powerOfTwo(region, node, 1) : undefined;
        if (node.kind !== 'simple' || k === undefined) {
          nodes.push(node);
          continue;
        }
        const type = node.outputs[0]!;
        const wide = type.kind === 'int' && type.bits === 64;
        // The shift amount has the operand's type; it is a new constant node, with a fresh id.
        const amount: Node = {
          ...node,
          id: nextId++,
          op: 'const',
          attrs: { value: wide ? k : Number(k), type },
          inputs: [],
        };
        nodes.push(amount, { ...node, op: 'arith.shl', inputs: [node.inputs[0]!, outOrigin(amount.id, 0)] });
        context.count('reduced');
      }
      return { ...region, nodes };
    });
  },
});
