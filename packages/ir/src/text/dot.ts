import type { Module } from '../nodes/module.js';
import type { Node } from '../nodes/node.js';
import type { Origin } from '../nodes/origin.js';
import { nodesById, originType, type Region } from '../nodes/region.js';
import { isState, typeToString, type Type } from '../types/type.js';
import { printAttrs, printName } from './print.js';

/**
 * Graphviz export. Every region is a cluster holding its argument nodes,
 * its nodes and its result nodes; a structural node is a cluster holding
 * its input ports, its regions and its output ports. Solid edges carry
 * values, dashed edges carry state (mem/io), dotted grey edges show how a
 * structural node's ports map onto its regions' arguments and results.
 */

export interface DotOptions {
  /** Graph name; defaults to `module`. */
  readonly name?: string;
  /** Show attributes in simple node labels (default true). */
  readonly attrs?: boolean;
}

/** A DOT double-quoted string. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const portStyle = 'shape=box, style="rounded,filled", fillcolor=gray92, fontsize=8, height=0.2, margin="0.04,0.02"';

interface Scope {
  readonly id: number;
  readonly region: Region;
}

class DotWriter {
  readonly lines: string[] = [];
  readonly edges: string[] = [];
  #regions = 0;

  constructor(readonly showAttrs: boolean) {}

  regionArg(scope: Scope, index: number): string {
    return quote(`r${scope.id}a${index}`);
  }
  regionResult(scope: Scope, index: number): string {
    return quote(`r${scope.id}r${index}`);
  }
  nodeId(node: Node): string {
    return quote(`n${node.id}`);
  }
  inputPort(node: Node, index: number): string {
    return quote(`n${node.id}i${index}`);
  }
  outputPort(node: Node, index: number): string {
    return quote(`n${node.id}o${index}`);
  }

  /** The DOT node a value comes from: a region argument, a simple node or a structural node's output port. */
  source(scope: Scope, origin: Origin): string {
    if (origin.kind === 'arg') return this.regionArg(scope, origin.index);
    const node = nodesById(scope.region).get(origin.node);
    if (!node) return quote(`dangling %${origin.node}.${origin.index}`);
    return node.kind === 'simple' ? this.nodeId(node) : this.outputPort(node, origin.index);
  }

  edge(from: string, to: string, type: Type | undefined, extra: string[] = []): void {
    const attrs = [...extra];
    if (type && isState(type)) attrs.push('style=dashed');
    this.edges.push(`  ${from} -> ${to}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
  }

  mapping(from: string, to: string): void {
    this.edges.push(`  ${from} -> ${to} [style=dotted, color=gray50, arrowhead=none];`);
  }

  newScope(region: Region): Scope {
    return { id: this.#regions++, region };
  }

  /** Argument nodes, nodes and result nodes of a region, at `indent`. */
  regionBody(scope: Scope, indent: string, argLabel: (i: number) => string, resultLabel: (i: number) => string): void {
    const { region } = scope;
    region.arguments.forEach((type, i) => {
      this.lines.push(
        `${indent}${this.regionArg(scope, i)} [label=${quote(`${argLabel(i)}: ${typeToString(type)}`)}, shape=invhouse, fontsize=9];`,
      );
    });
    for (const node of region.nodes) this.node(scope, node, indent);
    region.results.forEach((origin, i) => {
      this.lines.push(
        `${indent}${this.regionResult(scope, i)} [label=${quote(resultLabel(i))}, shape=house, fontsize=9];`,
      );
      this.edge(this.source(scope, origin), this.regionResult(scope, i), originType(region, origin));
    });
  }

  node(scope: Scope, node: Node, indent: string): void {
    const loc = node.loc ? `\nat ${node.loc.line}:${node.loc.column}` : '';
    if (node.kind === 'simple') {
      const attrs = this.showAttrs && Object.keys(node.attrs).length > 0 ? `\n${printAttrs(node.attrs)}` : '';
      const label = `${node.op} #${node.id}${attrs}${loc}`;
      this.lines.push(`${indent}${this.nodeId(node)} [label=${quote(label)}, shape=box];`);
      node.inputs.forEach((origin, i) => {
        const port = node.inputs.length > 1 ? [`headlabel=${quote(String(i))}`, 'labelfontsize=8'] : [];
        this.edge(this.source(scope, origin), this.nodeId(node), originType(scope.region, origin), port);
      });
      return;
    }
    const name = node.kind === 'lambda' || node.kind === 'delta' ? ` ${printName(node.name)}` : '';
    const inner = `${indent}  `;
    this.lines.push(`${indent}subgraph ${quote(`cluster_n${node.id}`)} {`);
    this.lines.push(`${inner}label=${quote(`${node.kind}${name} #${node.id}${loc}`)}; style=rounded; color=gray30;`);
    node.inputs.forEach((origin, i) => {
      this.lines.push(`${inner}${this.inputPort(node, i)} [label=${quote(`in ${i}`)}, ${portStyle}];`);
      this.edge(this.source(scope, origin), this.inputPort(node, i), originType(scope.region, origin));
    });
    node.outputs.forEach((type, i) => {
      this.lines.push(
        `${inner}${this.outputPort(node, i)} [label=${quote(`out ${i}: ${typeToString(type)}`)}, ${portStyle}];`,
      );
    });
    node.regions.forEach((region, r) => {
      const scope = this.newScope(region);
      const labels = portLabels(node);
      this.lines.push(`${inner}subgraph ${quote(`cluster_r${scope.id}`)} {`);
      const title = node.kind === 'gamma' ? `branch ${r}` : 'region';
      this.lines.push(`${inner}  label=${quote(title)}; style=dashed; color=gray60;`);
      this.regionBody(scope, `${inner}  `, labels.arg, labels.result);
      this.lines.push(`${inner}}`);
      const { argFromInput, outputFromResult } = portMapping(node, region);
      node.inputs.forEach((_origin, i) => {
        const arg = argFromInput(i);
        if (arg !== undefined) this.mapping(this.inputPort(node, i), this.regionArg(scope, arg));
      });
      region.results.forEach((_origin, i) => {
        const out = outputFromResult(i);
        if (out !== undefined) this.mapping(this.regionResult(scope, i), this.outputPort(node, out));
      });
    });
    this.lines.push(`${indent}}`);
  }
}

/** How a structural node's inputs feed its region's arguments and its region's results feed its outputs. */
function portMapping(
  node: Exclude<Node, { kind: 'simple' }>,
  region: Region,
): { argFromInput: (i: number) => number | undefined; outputFromResult: (i: number) => number | undefined } {
  const within = (n: number, limit: number): number | undefined => (n >= 0 && n < limit ? n : undefined);
  const args = region.arguments.length;
  const outs = node.outputs.length;
  switch (node.kind) {
    case 'gamma':
      return { argFromInput: (i) => within(i - 1, args), outputFromResult: (i) => within(i, outs) };
    case 'theta':
      return { argFromInput: (i) => within(i, args), outputFromResult: (i) => within(i - 1, outs) };
    case 'lambda': {
      const params = node.type.params.length;
      return { argFromInput: (i) => within(params + i, args), outputFromResult: () => undefined };
    }
    case 'delta':
      return { argFromInput: (i) => within(i, args), outputFromResult: (i) => within(i, outs) };
    case 'phi':
      return { argFromInput: (i) => within(outs + i, args), outputFromResult: (i) => within(i, outs) };
  }
}

function portLabels(node: Exclude<Node, { kind: 'simple' }>): {
  arg: (i: number) => string;
  result: (i: number) => string;
} {
  switch (node.kind) {
    case 'gamma':
      return { arg: (i) => `entry ${i}`, result: (i) => `exit ${i}` };
    case 'theta':
      return { arg: (i) => `loop ${i}`, result: (i) => (i === 0 ? 'repeat?' : `next ${i - 1}`) };
    case 'lambda': {
      const params = node.type.params.length;
      return {
        arg: (i) => (i < params ? `param ${i}` : `ctx ${i - params}`),
        result: (i) => `return ${i}`,
      };
    }
    case 'delta':
      return { arg: (i) => `ctx ${i}`, result: () => 'value' };
    case 'phi': {
      const rec = node.outputs.length;
      return { arg: (i) => (i < rec ? `rec ${i}` : `ctx ${i - rec}`), result: (i) => `def ${i}` };
    }
  }
}

/** The module as a Graphviz digraph (render with `dot -Tsvg`). */
export function toDot(module: Module, options: DotOptions = {}): string {
  const writer = new DotWriter(options.attrs ?? true);
  const root = writer.newScope(module.region);
  writer.lines.push(
    `digraph ${quote(options.name ?? 'module')} {`,
    '  compound=true;',
    '  node [fontname="monospace", fontsize=10];',
    '  edge [fontname="monospace"];',
  );
  writer.regionBody(
    root,
    '  ',
    (i) => `import ${printName(module.imports[i]?.name ?? `#${i}`)}`,
    (i) => {
      const name = module.exports[i];
      return name === undefined ? `result ${i}` : `export ${printName(name)}`;
    },
  );
  return [...writer.lines, ...writer.edges, '}', ''].join('\n');
}
