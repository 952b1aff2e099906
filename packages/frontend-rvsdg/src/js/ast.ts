import type { Node } from 'acorn';

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The child nodes of an acorn (ESTree) node, in source order of its fields; `loc` is not a child. */
export function childNodes(node: Node): Node[] {
  const out: Node[] = [];
  const fields = node as unknown as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key === 'loc') continue;
    const value = fields[key];
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) out.push(v);
    } else if (isNode(value)) out.push(value);
  }
  return out;
}
