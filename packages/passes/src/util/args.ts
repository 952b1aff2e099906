import { argOrigin, type Origin, type Region } from '@rvsdg/ir';
import { makeRegion, withInputs } from './build.js';

/**
 * The region keeping only the arguments listed in `keep` (in that order),
 * with every use renumbered. The dropped arguments must be unused.
 */
export function keepArguments(region: Region, keep: readonly number[]): Region {
  if (keep.length === region.arguments.length && keep.every((k, i) => k === i)) return region;
  const renumber = new Map<number, number>();
  keep.forEach((k, i) => renumber.set(k, i));
  const map = (o: Origin): Origin => {
    if (o.kind !== 'arg') return o;
    const index = renumber.get(o.index);
    if (index === undefined) throw new Error(`argument ${o.index} is still used but was dropped`);
    return index === o.index ? o : argOrigin(index);
  };
  const nodes = region.nodes.map((node) => withInputs(node, node.inputs.map(map)));
  return makeRegion(
    keep.map((k) => region.arguments[k] as Region['arguments'][number]),
    nodes,
    region.results.map(map),
  );
}

/** The region with extra arguments appended (nothing uses them yet). */
export function appendArguments(region: Region, types: Region['arguments']): Region {
  if (types.length === 0) return region;
  return makeRegion([...region.arguments, ...types], region.nodes, region.results);
}

/** Indices 0..n-1 of `flags` that are true. */
export function indicesWhere(flags: readonly boolean[]): number[] {
  const out: number[] = [];
  flags.forEach((f, i) => {
    if (f) out.push(i);
  });
  return out;
}
