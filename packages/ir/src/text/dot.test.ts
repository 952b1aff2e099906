import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ModuleBuilder } from '../builder/builder.js';
import type { Module } from '../nodes/module.js';
import type { Node } from '../nodes/node.js';
import { forEachNode } from '../nodes/rewrite.js';
import { array, bool, f64, fn, i64, mem } from '../types/type.js';
import { toDot } from './dot.js';
import { parseModule } from './parse.js';

/** Gamma, theta, lambda, delta and phi, a mem state threaded through a loop, and names that need escaping. */
function sample(): Module {
  const b = new ModuleBuilder();
  const data = b.import('da"ta\\', array(f64));
  const k = b.delta('k', (d) => d.const(2, f64));
  const sum = b.lambda('sum', [mem], (f, [m]) => {
    const len = f.op1('array.length', [data]);
    const [, total, mOut] = f.theta([f.const(0n, i64), f.const(0, f64), m!], (l, [i, acc, lm]) => {
      const [x, m2] = l.op('array.load', [data, i!, lm!]);
      const i2 = l.op1('arith.add', [i!, l.const(1n, i64)]);
      const acc2 = l.op1('arith.add', [acc!, l.op1('arith.mul', [x!, k])]);
      return { repeat: l.op1('arith.lt', [i2, len]), next: [i2, acc2, m2!] };
    });
    return [total!, mOut!];
  });
  const [isEven] = b.phi([fn([i64], [bool]), fn([i64], [bool])], (p, [even, odd]) => {
    const mk = (name: string, other: typeof even, base: boolean) =>
      p.lambda(name, [i64], (f, [n]) =>
        f.ifElse(
          f.op1('arith.eq', [n!, f.const(0n, i64)]),
          (r) => [r.const(base, bool)],
          (r) => r.call(other!, [r.op1('arith.sub', [n!, r.const(1n, i64)])]),
        ),
      );
    return [mk('even', odd, true), mk('odd', even, false)];
  });
  return b.export('sum', sum).export('even', isEven!).build();
}

type DotToken = { kind: 'id' | 'string' | 'punct'; text: string };

function dotTokens(text: string): DotToken[] {
  const tokens: DotToken[] = [];
  const re = /\s+|"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?)|(->|[{}[\];,=])|(.)/gsy;
  for (const m of text.matchAll(re)) {
    if (m[4] !== undefined) throw new Error(`stray character ${JSON.stringify(m[4])} in DOT output`);
    if (m[1] !== undefined) tokens.push({ kind: 'string', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'punct', text: m[3] });
  }
  return tokens;
}

interface DotGraph {
  /** Node statements by id, with their attributes. */
  nodes: Map<string, Record<string, string>>;
  edges: { from: string; to: string; attrs: Record<string, string> }[];
  /** Cluster names, each with the ids declared directly or indirectly inside it. */
  clusters: Map<string, string[]>;
}

/**
 * Parses the subset of DOT that toDot emits (the DOT grammar's graph,
 * subgraph, node, edge and attribute statements) and fails on anything else,
 * so the output is checked for validity even where Graphviz is not installed.
 */
function parseDot(text: string): DotGraph {
  const tokens = dotTokens(text);
  let pos = 0;
  const graph: DotGraph = { nodes: new Map(), edges: [], clusters: new Map() };
  const peek = (): DotToken | undefined => tokens[pos];
  const take = (): DotToken => {
    const t = tokens[pos++];
    if (!t) throw new Error('unexpected end of DOT');
    return t;
  };
  const expectPunct = (p: string): void => {
    const t = take();
    if (t.kind !== 'punct' || t.text !== p) throw new Error(`expected ${p} but found ${t.text}`);
  };
  const id = (): string => {
    const t = take();
    if (t.kind === 'punct') throw new Error(`expected an id but found ${t.text}`);
    return t.text;
  };
  const attrList = (): Record<string, string> => {
    const attrs: Record<string, string> = {};
    expectPunct('[');
    while (peek()?.text !== ']' || peek()?.kind !== 'punct') {
      const key = id();
      expectPunct('=');
      attrs[key] = id();
      if (peek()?.kind === 'punct' && peek()?.text === ',') take();
    }
    expectPunct(']');
    return attrs;
  };
  const statements = (members: string[][]): void => {
    expectPunct('{');
    while (!(peek()?.kind === 'punct' && peek()?.text === '}')) {
      const first = take();
      if (first.kind === 'id' && first.text === 'subgraph') {
        const name = id();
        const inner: string[] = [];
        graph.clusters.set(name, inner);
        statements([...members, inner]);
        continue;
      }
      if (first.kind === 'punct') throw new Error(`unexpected ${first.text}`);
      const next = peek();
      if (next?.kind === 'punct' && next.text === '=') {
        take();
        id();
      } else if (next?.kind === 'punct' && next.text === '->') {
        take();
        const to = id();
        const attrs = peek()?.text === '[' ? attrList() : {};
        graph.edges.push({ from: first.text, to, attrs });
      } else {
        const attrs = attrList();
        if (first.kind === 'string' || (first.text !== 'node' && first.text !== 'edge')) {
          if (graph.nodes.has(first.text)) throw new Error(`node ${first.text} declared twice`);
          graph.nodes.set(first.text, attrs);
          for (const m of members) m.push(first.text);
        }
      }
      expectPunct(';');
    }
    expectPunct('}');
  };
  if (id() !== 'digraph') throw new Error('expected digraph');
  id();
  statements([]);
  if (pos !== tokens.length) throw new Error('text after the graph');
  return graph;
}

function nodesOf(module: Module): Node[] {
  const nodes: Node[] = [];
  forEachNode(module, (n) => nodes.push(n));
  return nodes;
}

describe('toDot', () => {
  const module = sample();
  const text = toDot(module);
  const graph = parseDot(text);

  it('emits one cluster per structural node and per region, nested as in the module', () => {
    const nodes = nodesOf(module);
    const structural = nodes.filter((n) => n.kind !== 'simple');
    const regionCount = structural.reduce((sum, n) => sum + n.regions.length, 0);
    expect([...graph.clusters.keys()].filter((c) => c.startsWith('cluster_n'))).toHaveLength(structural.length);
    expect([...graph.clusters.keys()].filter((c) => c.startsWith('cluster_r'))).toHaveLength(regionCount);
    for (const node of structural) {
      const members = graph.clusters.get(`cluster_n${node.id}`) ?? [];
      for (const inner of node.regions.flatMap((r) => r.nodes)) {
        expect(members).toContain(inner.kind === 'simple' ? `n${inner.id}` : `n${inner.id}o0`);
      }
    }
  });

  it('labels simple nodes with op and id, and structural clusters with kind, name and id', () => {
    for (const node of nodesOf(module)) {
      if (node.kind !== 'simple') {
        const name = node.kind === 'lambda' || node.kind === 'delta' ? ` @${node.name}` : '';
        expect(text).toContain(`label="${node.kind}${name} #${node.id}"`);
        continue;
      }
      expect(graph.nodes.get(`n${node.id}`)?.['label']?.startsWith(`${node.op} #${node.id}`)).toBe(true);
    }
    expect(graph.nodes.get('r0a0')?.['label']).toBe('import @\\"da\\\\\\"ta\\\\\\\\\\": f64[]');
  });

  it('draws one edge per node input and per region result; state edges dashed', () => {
    for (const node of nodesOf(module)) {
      node.inputs.forEach((_origin, i) => {
        const target = node.kind === 'simple' ? `n${node.id}` : `n${node.id}i${i}`;
        expect(graph.edges.filter((e) => e.to === target && e.attrs['style'] !== 'dotted').length).toBe(
          node.kind === 'simple' ? node.inputs.length : 1,
        );
      });
    }
    const load = nodesOf(module).find((n) => n.kind === 'simple' && n.op === 'array.load') as Node;
    const intoLoad = graph.edges.filter((e) => e.to === `n${load.id}`);
    expect(intoLoad.map((e) => e.attrs['style'] ?? 'solid').sort()).toEqual(['dashed', 'solid', 'solid']);
    // The mem state is used exactly once per region it passes through: theta input, load, next-state result, lambda result.
    expect(graph.edges.filter((e) => e.attrs['style'] === 'dashed')).toHaveLength(4);
  });

  it('connects structural ports to region arguments and results', () => {
    const theta = nodesOf(module).find((n) => n.kind === 'theta') as Node;
    const mappings = graph.edges.filter((e) => e.attrs['style'] === 'dotted' && e.from.startsWith(`n${theta.id}i`));
    expect(mappings).toHaveLength(theta.inputs.length);
    const fromResults = graph.edges.filter((e) => e.attrs['style'] === 'dotted' && e.to.startsWith(`n${theta.id}o`));
    expect(fromResults).toHaveLength(theta.outputs.length);
  });

  it('renders with Graphviz when it is installed', () => {
    let dot: string | undefined;
    try {
      dot = execFileSync('which', ['dot'], { encoding: 'utf8' }).trim();
    } catch {
      dot = undefined;
    }
    if (!dot) return; // structural checks above stand in for Graphviz
    const svg = execFileSync(dot, ['-Tsvg'], { input: text, encoding: 'utf8' });
    expect(svg).toContain('<svg');
  });

  it('handles dangling origins and ill-formed structure without throwing', () => {
    const bad = parseModule(
      'module {\n  %0 = arith.add(%9.1, %a3) : f64\n  %1 = theta(%0.0) : ()\n  export @x = %0.0\n}',
    );
    const g = parseDot(toDot(bad));
    expect(g.edges.some((e) => e.from === 'dangling %9.1' && e.to === 'n0')).toBe(true);
  });
});
