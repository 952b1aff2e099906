import { bool, i32, SccFinder } from '@rvsdg/ir';
import type { BlockGraph, GraphBlock } from './block-graph.js';
import type { Instruction, VarName } from './cfg.js';

/** `name = value` as a CFG instruction (synthetic predicates are plain constants). */
export function constInstruction(name: VarName, value: number | boolean): Instruction {
  return { op: 'const', args: [], results: [name], attrs: { value, type: typeof value === 'boolean' ? bool : i32 } };
}

/** A copy of `array` with room for at least `size` entries. */
export function grown(array: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(size, 2 * array.length));
  next.set(array);
  return next;
}

interface Edge {
  readonly from: number;
  readonly index: number;
  readonly to: number;
}

/**
 * Loop restructuring (Bahmann et al. 2015, section 4.1). Every strongly
 * connected component of the graph, ignoring the repetition edges already
 * made, becomes a loop with one entry block, one tail block whose branch is
 * the only repetition edge (`targets[1]`, taken when true) and the only
 * exit (`targets[0]`). Where a loop has several entries, repetitions or
 * exits, the edges go through new blocks that set synthetic predicates: `q`
 * (which entry), `r` (repeat or leave) and `x` (which exit), read by an
 * entry switch, the tail branch and an exit switch. A loop with no exit gets
 * one that is never taken, to a block jumping to `exit`. Nested loops are
 * handled from a worklist of loop bodies, outermost first.
 */
export function restructureLoops(graph: BlockGraph, entry: number, exit: number): void {
  const finder = new SccFinder();
  let setStamp = new Int32Array(2 * graph.blocks.length + 16);
  let sccStamp = new Int32Array(2 * graph.blocks.length + 16);
  let stamp = 0;
  const work: number[][] = [graph.blocks.map((_, i) => i)];
  while (work.length > 0) {
    const nodes = work.pop() as number[];
    if (setStamp.length < graph.blocks.length) {
      setStamp = grown(setStamp, graph.blocks.length);
      sccStamp = grown(sccStamp, graph.blocks.length);
    }
    const set = ++stamp;
    for (const n of nodes) setStamp[n] = set;
    const edges = {
      count: (n: number): number => (graph.blocks[n] as GraphBlock).targets.length,
      target: (n: number, i: number): number => {
        const b = graph.blocks[n] as GraphBlock;
        const t = b.targets[i] as number;
        return i !== b.back && setStamp[t] === set ? t : -1;
      },
    };
    const components = finder.find(graph.blocks.length, nodes, edges);
    for (const scc of components) {
      if (scc.length === 1) {
        const n = scc[0] as number;
        const b = graph.blocks[n] as GraphBlock;
        if (!b.targets.some((t, i) => t === n && i !== b.back)) continue;
      }
      const body = restructureLoop(graph, scc, ++stamp, sccStamp, exit, entry);
      work.push(body);
    }
  }
}

function restructureLoop(
  graph: BlockGraph,
  scc: readonly number[],
  stamp: number,
  sccStamp: Int32Array<ArrayBuffer>,
  exit: number,
  functionEntry: number,
): number[] {
  for (const n of scc) sccStamp[n] = stamp;
  const inLoop = (n: number): boolean => sccStamp[n] === stamp;
  const entries: number[] = [];
  const entryEdges: Edge[] = [];
  const repetitions: Edge[] = [];
  const exits: number[] = [];
  const exitEdges: Edge[] = [];
  for (const v of scc) {
    if (v === functionEntry) throw new Error('restructureLoops: the function entry must not be inside a loop');
    // A source block is visited once per target even when it has several edges there.
    const sources = new Set<number>();
    for (const p of graph.preds[v] as number[]) {
      if (inLoop(p) || sources.has(p)) continue;
      sources.add(p);
      const b = graph.blocks[p] as GraphBlock;
      b.targets.forEach((t, i) => {
        if (t === v && i !== b.back) entryEdges.push({ from: p, index: i, to: v });
      });
    }
  }
  const entryIndex = new Map<number, number>();
  for (const e of entryEdges) {
    if (!entryIndex.has(e.to)) {
      entryIndex.set(e.to, entries.length);
      entries.push(e.to);
    }
  }
  const exitSeen = new Set<number>();
  for (const u of scc) {
    const b = graph.blocks[u] as GraphBlock;
    b.targets.forEach((t, i) => {
      if (i === b.back) return;
      if (entryIndex.has(t)) repetitions.push({ from: u, index: i, to: t });
      else if (!inLoop(t)) {
        exitEdges.push({ from: u, index: i, to: t });
        if (!exitSeen.has(t)) {
          exitSeen.add(t);
          exits.push(t);
        }
      }
    });
  }

  // Already a tail-controlled loop: leave it as it is.
  const rep = repetitions[0];
  const ex = exitEdges[0];
  if (entries.length === 1 && repetitions.length === 1 && exitEdges.length === 1 && rep && ex) {
    const tail = graph.blocks[rep.from] as GraphBlock;
    if (tail.kind === 'branch' && rep.index === 1 && ex.from === rep.from && ex.index === 0) {
      tail.back = 1;
      return [...scc];
    }
  }

  const q = entries.length > 1 ? graph.predicateVar('q', i32) : undefined;
  const r = graph.predicateVar('r', bool);
  const x = exits.length > 1 ? graph.predicateVar('x', i32) : undefined;
  return buildLoop(graph, scc, { entries, entryEdges, repetitions, exits, exitEdges, q, r, x, exit });
}

function buildLoop(
  graph: BlockGraph,
  scc: readonly number[],
  loop: {
    entries: number[];
    entryEdges: Edge[];
    repetitions: Edge[];
    exits: number[];
    exitEdges: Edge[];
    q: VarName | undefined;
    r: VarName;
    x: VarName | undefined;
    exit: number;
  },
): number[] {
  const { entries, q, r, x } = loop;
  const entryIndex = new Map(entries.map((e, i) => [e, i]));
  const exitIndex = new Map(loop.exits.map((e, i) => [e, i]));
  const body: number[] = [...scc];
  const head = q !== undefined ? graph.addSelectBlock('loop.entry', q, entries, 'switch') : (entries[0] as number);
  if (q !== undefined) body.push(head);
  let after: number;
  if (x !== undefined) after = graph.addSelectBlock('loop.exit', x, loop.exits, 'switch');
  else if (loop.exits.length === 1) after = loop.exits[0] as number;
  else after = graph.addJumpBlock('loop.never', [], loop.exit);
  const tail = graph.addSelectBlock('loop.tail', r, [after, head], 'branch');
  (graph.blocks[tail] as GraphBlock).back = 1;
  body.push(tail);
  if (q !== undefined) {
    for (const e of loop.entryEdges) {
      graph.redirect(
        e.from,
        e.index,
        graph.addJumpBlock('loop.in', [constInstruction(q, entryIndex.get(e.to) as number)], head),
      );
    }
  }
  for (const e of loop.repetitions) {
    const set = [constInstruction(r, true)];
    if (q !== undefined) set.push(constInstruction(q, entryIndex.get(e.to) as number));
    const block = graph.addJumpBlock('loop.again', set, tail);
    graph.redirect(e.from, e.index, block);
    body.push(block);
  }
  for (const e of loop.exitEdges) {
    const set = [constInstruction(r, false)];
    if (x !== undefined) set.push(constInstruction(x, exitIndex.get(e.to) as number));
    const block = graph.addJumpBlock('loop.out', set, tail);
    graph.redirect(e.from, e.index, block);
    body.push(block);
  }
  return body;
}
