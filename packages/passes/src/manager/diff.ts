import { originToString, printNode, typeToString, type Module, type Node, type Origin, type Region } from '@rvsdg/ir';

function origins(list: readonly Origin[]): string {
  return list.map(originToString).join(', ');
}

/** One line naming a node; structural nodes without their regions. */
function header(node: Node): string {
  if (node.kind === 'simple') return printNode(node);
  const name = node.kind === 'lambda' || node.kind === 'delta' ? ` ${node.name}` : '';
  return `%${node.id} = ${node.kind}${name}(${origins(node.inputs)}) : (${node.outputs.map(typeToString).join(', ')})`;
}

function diffRegion(path: string, a: Region, b: Region, out: string[]): void {
  if (a === b) return;
  const where = path === '' ? 'module' : path;
  const argsA = a.arguments.map(typeToString).join(', ');
  const argsB = b.arguments.map(typeToString).join(', ');
  if (argsA !== argsB) out.push(`  ${where}:`, `-   ^(${argsA})`, `+   ^(${argsB})`);
  const inB = new Map(b.nodes.map((n) => [n.id, n]));
  const inA = new Map(a.nodes.map((n) => [n.id, n]));
  const lines: string[] = [];
  const nested: [string, Region, Region][] = [];
  for (const node of a.nodes) {
    const other = inB.get(node.id);
    if (other === node) continue;
    if (!other) {
      lines.push(`-   ${header(node)}`);
      continue;
    }
    const ha = header(node);
    const hb = header(other);
    if (ha !== hb) lines.push(`-   ${ha}`, `+   ${hb}`);
    if (node.kind === other.kind && node.regions.length === other.regions.length) {
      node.regions.forEach((r, i) => nested.push([`${path}%${node.id}/${i}`, r, other.regions[i] as Region]));
    } else if (ha === hb) lines.push(`-   ${ha}  (regions)`, `+   ${hb}  (regions)`);
  }
  for (const node of b.nodes) if (!inA.has(node.id)) lines.push(`+   ${header(node)}`);
  const resultsA = origins(a.results);
  const resultsB = origins(b.results);
  if (resultsA !== resultsB) lines.push(`-   yield (${resultsA})`, `+   yield (${resultsB})`);
  if (lines.length > 0) out.push(`  ${where}:`, ...lines);
  for (const [p, ra, rb] of nested) diffRegion(p, ra, rb, out);
}

/**
 * A structural diff of two versions of a module: per region (named by the
 * path of node ids and region indices leading to it), the nodes removed
 * (`-`), added (`+`) and changed (both), matched by node id. Parts shared by
 * identity are skipped without being looked at, so the diff of a small
 * rewrite of a large module is cheap. Empty when the modules are the same
 * object or structurally equal.
 */
export function diffModules(before: Module, after: Module): string {
  const out: string[] = [];
  const importsA = before.imports.map((i) => `${i.name}: ${typeToString(i.type)}`).join(', ');
  const importsB = after.imports.map((i) => `${i.name}: ${typeToString(i.type)}`).join(', ');
  if (importsA !== importsB) out.push(`- imports ${importsA}`, `+ imports ${importsB}`);
  if (before.exports.join(',') !== after.exports.join(',')) {
    out.push(`- exports ${before.exports.join(', ')}`, `+ exports ${after.exports.join(', ')}`);
  }
  diffRegion('', before.region, after.region, out);
  return out.join('\n');
}
