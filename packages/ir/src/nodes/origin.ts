/**
 * Where a value comes from inside a region: one of the region's arguments,
 * or one output of a node of the same region (named by node id).
 */
export type Origin =
  | { readonly kind: 'arg'; readonly index: number }
  | { readonly kind: 'out'; readonly node: number; readonly index: number };

export function argOrigin(index: number): Origin {
  return { kind: 'arg', index };
}
export function outOrigin(node: number, index: number): Origin {
  return { kind: 'out', node, index };
}
export function sameOrigin(a: Origin, b: Origin): boolean {
  if (a.kind === 'arg') return b.kind === 'arg' && a.index === b.index;
  return b.kind === 'out' && a.node === b.node && a.index === b.index;
}
export function originToString(origin: Origin): string {
  return origin.kind === 'arg' ? `%a${origin.index}` : `%${origin.node}.${origin.index}`;
}
