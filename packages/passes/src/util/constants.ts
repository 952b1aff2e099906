import { defaultRegistry, nodesById, originType } from '@rvsdg/ir';
import type { IRValue, Node, OpRegistry, Origin, Region, Type } from '@rvsdg/ir';
import { isPureSimple } from './ir.js';

/**
 * The value of `origin` when it is known at compile time: a `const`, or a
 * pure op applied to known values (folded through the op's `fold`, so a
 * `match` of a constant gives its ctrl value). Looks `depth` producers deep.
 */
export function knownValue(
  origin: Origin,
  producers: ReadonlyMap<number, Node>,
  registry: OpRegistry,
  typeOf: (o: Origin) => Type | undefined,
  depth = 3,
): IRValue | undefined {
  if (origin.kind !== 'out') return undefined;
  const node = producers.get(origin.node);
  if (!node || node.kind !== 'simple') return undefined;
  if (node.op === 'const') return node.attrs['value'] as IRValue;
  if (depth <= 0 || node.inputs.length === 0 || !isPureSimple(node, registry)) return undefined;
  const def = registry.get(node.op);
  if (!def?.fold) return undefined;
  const operands = node.inputs.map((o) => knownValue(o, producers, registry, typeOf, depth - 1));
  if (operands.some((v) => v === undefined)) return undefined;
  const operandTypes = node.inputs.map(typeOf);
  if (operandTypes.some((t) => t === undefined)) return undefined;
  const values = def.fold(operands, {
    attrs: node.attrs,
    operandTypes: operandTypes as Type[],
    resultTypes: node.outputs,
  });
  return values?.[origin.index];
}

/**
 * The compile-time value of `origin`, an operand in `region`, whatever form
 * the constant takes: `const 2`, `neg(const -2)`, `convert(const 2 : i32)
 * : f64`, or any pure op of the registry applied to constants (folded by the
 * op's own `fold`). Numbers are i32/f64 values, bigints i64, booleans bool.
 * Undefined when the value depends on anything not known here (a region
 * argument, an effect); values routed into a nested region arrive as region
 * arguments, so match in the region that holds the constant or run `fold` first.
 */
export function constantValue(
  region: Region,
  origin: Origin,
  registry: OpRegistry = defaultRegistry,
): IRValue | undefined {
  return knownValue(origin, nodesById(region), registry, (o) => originType(region, o));
}
