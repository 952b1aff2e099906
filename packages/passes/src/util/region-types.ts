import type { Node, Origin, Region, Type } from '@rvsdg/ir';

/** Type lookup for origins of a region, given a producer index that may include new nodes. */
export function typeLookup(region: Region, producers: ReadonlyMap<number, Node>): (o: Origin) => Type | undefined {
  return (o) => (o.kind === 'arg' ? region.arguments[o.index] : producers.get(o.node)?.outputs[o.index]);
}
