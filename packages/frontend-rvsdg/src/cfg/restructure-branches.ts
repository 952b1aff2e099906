import { i32 } from '@rvsdg/ir';
import type { BlockGraph, GraphBlock } from './block-graph.js';
import { constInstruction, grown } from './restructure-loops.js';

/**
 * Branch restructuring (Bahmann et al. 2015, section 4.2) on the graph
 * without its repetition edges, which loop restructuring made acyclic.
 * Walking from `entry` to `exit`, at each block with several outgoing edges
 * the branch subgraphs are the blocks dominated by an edge's target (found
 * by counting in-edges, so only the branch's own blocks are visited); the
 * continuation points are where edges leave them. With several continuation
 * points, those edges go through new blocks that set a synthetic predicate
 * and meet at a new switch block, which becomes the single continuation.
 * The branch subgraphs are then restructured the same way, from a worklist.
 */
export function restructureBranches(graph: BlockGraph, entry: number, exit: number): void {
  const capacity = 2 * graph.blocks.length + 16;
  let indegree = new Int32Array(capacity);
  for (const b of graph.blocks)
    b.targets.forEach((t, i) => i !== b.back && (indegree[t] = (indegree[t] as number) + 1));
  let armStamp = new Int32Array(capacity);
  let armOf = new Int32Array(capacity);
  let countStamp = new Int32Array(capacity);
  let count = new Int32Array(capacity);
  let seenArm = new Int32Array(capacity);
  let contStamp = new Int32Array(capacity);
  const ensure = (): void => {
    const size = graph.blocks.length + 1;
    if (indegree.length >= size) return;
    indegree = grown(indegree, size);
    armStamp = grown(armStamp, size);
    armOf = grown(armOf, size);
    countStamp = grown(countStamp, size);
    count = grown(count, size);
    seenArm = grown(seenArm, size);
    contStamp = grown(contStamp, size);
  };
  let stamp = 0;
  const work: [number, number, number][] = [[entry, exit, 0]];

  while (work.length > 0) {
    const [start, stop, depth] = work.pop() as [number, number, number];
    let n = start;
    while (n !== stop) {
      const block = graph.blocks[n] as GraphBlock;
      const edges: number[] = [];
      block.targets.forEach((_, i) => i !== block.back && edges.push(i));
      if (edges.length === 0) {
        throw new Error(`restructureBranches: block '${block.name}' ends the function before the exit block`);
      }
      if (edges.length === 1) {
        n = block.targets[edges[0] as number] as number;
        continue;
      }
      const s = ++stamp;
      // Branch subgraphs: each arm's head has the branch as its only predecessor.
      const queue: number[] = [];
      const heads: number[] = [];
      const leaving: { from: number; index: number }[] = [];
      for (const i of edges) {
        const h = block.targets[i] as number;
        if (h !== stop && indegree[h] === 1) {
          armStamp[h] = s;
          armOf[h] = i;
          queue.push(h);
          heads.push(h);
        } else leaving.push({ from: n, index: i });
      }
      for (let qi = 0; qi < queue.length; qi++) {
        const u = queue[qi] as number;
        const arm = armOf[u] as number;
        const ub = graph.blocks[u] as GraphBlock;
        ub.targets.forEach((w, i) => {
          if (i === ub.back) return;
          leaving.push({ from: u, index: i });
          if (w === stop) return;
          if (countStamp[w] !== s) {
            countStamp[w] = s;
            count[w] = 0;
            seenArm[w] = arm;
          } else if (seenArm[w] !== arm) seenArm[w] = -1;
          count[w] = (count[w] as number) + 1;
          if (count[w] === indegree[w] && seenArm[w] === arm) {
            armStamp[w] = s;
            armOf[w] = arm;
            queue.push(w);
          }
        });
      }
      const exits = leaving.filter(
        (e) => armStamp[(graph.blocks[e.from] as GraphBlock).targets[e.index] as number] !== s,
      );
      const continuations: number[] = [];
      for (const e of exits) {
        const c = (graph.blocks[e.from] as GraphBlock).targets[e.index] as number;
        if (contStamp[c] !== s) {
          contStamp[c] = s;
          continuations.push(c);
        }
      }
      let join: number;
      if (continuations.length === 1) join = continuations[0] as number;
      else {
        // Joins nest: an edge may pass an outer join's setter, then an inner
        // join's setter and the inner join before reaching the outer join, so
        // each nesting depth has its own predicate variable.
        const p = graph.predicateVar(`p${depth}.`, i32);
        ensure();
        const position = new Map(continuations.map((c, i) => [c, i]));
        join = graph.addSelectBlock('join', p, continuations, 'switch');
        indegree[join] = exits.length;
        for (const c of continuations) indegree[c] = (indegree[c] as number) + 1;
        for (const e of exits) {
          const c = (graph.blocks[e.from] as GraphBlock).targets[e.index] as number;
          const setter = graph.addJumpBlock('join.from', [constInstruction(p, position.get(c) as number)], join);
          ensure();
          indegree[setter] = 1;
          indegree[c] = (indegree[c] as number) - 1;
          graph.redirect(e.from, e.index, setter);
        }
      }
      for (const h of heads) work.push([h, join, depth + 1]);
      n = join;
    }
  }
}
