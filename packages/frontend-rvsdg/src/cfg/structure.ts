import type { Block, BlockId, Cfg } from './cfg.js';

/** One step of a structured CFG, as a tree mirroring the gamma and theta nodes it becomes. */
export type StructuredItem =
  /** Runs the block's instructions. */
  | { readonly kind: 'block'; readonly block: Block }
  /** The block's branch or switch picks one arm; the arms meet again at `join`. */
  | { readonly kind: 'branch'; readonly block: Block; readonly arms: readonly StructuredSeq[]; readonly join: BlockId }
  /** A tail-controlled loop: runs `body` while the tail's branch condition is true, then goes on at `exit`. */
  | {
      readonly kind: 'loop';
      readonly header: BlockId;
      readonly tail: Block;
      readonly exit: BlockId;
      readonly body: StructuredSeq;
    }
  /** The function returns the block's return values. */
  | { readonly kind: 'return'; readonly block: Block };
export type StructuredSeq = readonly StructuredItem[];

export type StructureResult =
  { readonly ok: true; readonly body: StructuredSeq } | { readonly ok: false; readonly reason: string };

const FUNCTION_END = -1;
const LOOP_END = -2;

interface Frame {
  readonly seq: StructuredItem[];
  node: number;
  readonly stop: number;
  /** Tail of the innermost loop the frame is in, or -1. */
  readonly tail: number;
  /** The loop header this frame starts at (so it is not taken for a new loop), or -1. */
  entering: number;
}

function successorIds(block: Block): readonly BlockId[] {
  const t = block.terminator;
  return t.kind === 'jump' ? [t.target] : t.kind === 'return' ? [] : t.targets;
}

/**
 * Parses a CFG into its control structure, or says why it is not
 * structured. Structured means: one return block; repetition edges (found
 * by depth-first search) only from loop tails, one per loop header, each
 * tail a `branch` repeating on true (`targets[1]` is the header) and leaving
 * to `targets[0]`; every branch's arms are entered only from the branch and
 * meet at its immediate post-dominator, with no edge out of an arm to
 * anywhere else. Iterative throughout.
 */
export function parseStructure(cfg: Cfg): StructureResult {
  const fail = (reason: string): StructureResult => ({ ok: false, reason });
  const index = new Map<BlockId, number>();
  const blocks: Block[] = [];
  const number = (id: BlockId): number => {
    let n = index.get(id);
    if (n === undefined) {
      const b = cfg.blocks.get(id);
      if (!b) throw new Error(`CFG '${cfg.name}': block '${id}' does not exist`);
      n = blocks.length;
      index.set(id, n);
      blocks.push(b);
    }
    return n;
  };
  number(cfg.entry);
  const succ: number[][] = [];
  for (let i = 0; i < blocks.length; i++) succ.push(successorIds(blocks[i] as Block).map(number));
  const size = blocks.length;
  const name = (n: number): string => (blocks[n] as Block).id;

  // Back edges: edges to a block on the depth-first search stack.
  const back: number[] = new Array<number>(size).fill(-1);
  const tailOf: number[] = new Array<number>(size).fill(-1);
  {
    const state = new Uint8Array(size); // 0 new, 1 on stack, 2 done
    const stackNode: number[] = [0];
    const stackEdge: number[] = [0];
    state[0] = 1;
    while (stackNode.length > 0) {
      const top = stackNode.length - 1;
      const v = stackNode[top] as number;
      const i = stackEdge[top] as number;
      const out = succ[v] as number[];
      if (i < out.length) {
        stackEdge[top] = i + 1;
        const w = out[i] as number;
        if (state[w] === 1) {
          if (back[v] !== -1) return fail(`block '${name(v)}' has two repetition edges`);
          if (tailOf[w] !== -1)
            return fail(
              `loop header '${name(w)}' has two repetition edges (from '${name(tailOf[w] as number)}' and '${name(v)}')`,
            );
          back[v] = i;
          tailOf[w] = v;
        } else if (state[w] === 0) {
          state[w] = 1;
          stackNode.push(w);
          stackEdge.push(0);
        }
      } else {
        state[v] = 2;
        stackNode.pop();
        stackEdge.pop();
      }
    }
  }
  const isTail = new Uint8Array(size);
  for (let h = 0; h < size; h++) {
    const t = tailOf[h] as number;
    if (t === -1) continue;
    const tb = blocks[t] as Block;
    if (tb.terminator.kind !== 'branch' || back[t] !== 1 || succ[t]?.[0] === h) {
      return fail(
        `loop at '${name(h)}' is not tail-controlled: its repetition edge from '${name(t)}' must be the true edge of a branch whose false edge leaves the loop`,
      );
    }
    isTail[t] = 1;
  }

  // Acyclic edges, in-degrees, the return block.
  const preds: number[][] = succ.map(() => []);
  const indegree = new Int32Array(size);
  let exit = -1;
  for (let v = 0; v < size; v++) {
    (succ[v] as number[]).forEach((w, i) => {
      if (i === back[v]) return;
      (preds[w] as number[]).push(v);
      indegree[w] = (indegree[w] as number) + 1;
    });
    if ((blocks[v] as Block).terminator.kind === 'return') {
      if (exit !== -1) return fail(`two return blocks ('${name(exit)}' and '${name(v)}')`);
      exit = v;
    }
  }
  if (exit === -1) return fail('no return block is reachable');

  // Immediate post-dominators (Cooper, Harvey and Kennedy) on the acyclic graph.
  const order = new Int32Array(size).fill(-1);
  const postorder: number[] = [];
  {
    const seen = new Uint8Array(size);
    const stackNode: number[] = [exit];
    const stackEdge: number[] = [0];
    seen[exit] = 1;
    while (stackNode.length > 0) {
      const top = stackNode.length - 1;
      const v = stackNode[top] as number;
      const i = stackEdge[top] as number;
      const ps = preds[v] as number[];
      if (i < ps.length) {
        stackEdge[top] = i + 1;
        const w = ps[i] as number;
        if (!seen[w]) {
          seen[w] = 1;
          stackNode.push(w);
          stackEdge.push(0);
        }
      } else {
        order[v] = postorder.length;
        postorder.push(v);
        stackNode.pop();
        stackEdge.pop();
      }
    }
  }
  for (let v = 0; v < size; v++) if (order[v] === -1) return fail(`block '${name(v)}' cannot reach the return block`);
  const ipdom = new Int32Array(size).fill(-1);
  ipdom[exit] = exit;
  for (let changed = true; changed;) {
    changed = false;
    for (let k = postorder.length - 2; k >= 0; k--) {
      const v = postorder[k] as number;
      let next = -1;
      (succ[v] as number[]).forEach((w, i) => {
        if (i === back[v] || ipdom[w] === -1) return;
        if (next === -1) {
          next = w;
          return;
        }
        let a = w;
        let b = next;
        while (a !== b) {
          while ((order[a] as number) < (order[b] as number)) a = ipdom[a] as number;
          while ((order[b] as number) < (order[a] as number)) b = ipdom[b] as number;
        }
        next = a;
      });
      if (ipdom[v] !== next) {
        ipdom[v] = next;
        changed = true;
      }
    }
  }

  // The parse proper: each frame walks one region; arms and loop bodies are new frames.
  const visited = new Uint8Array(size);
  const body: StructuredItem[] = [];
  const frames: Frame[] = [{ seq: body, node: 0, stop: FUNCTION_END, tail: -1, entering: -1 }];
  while (frames.length > 0) {
    const frame = frames.pop() as Frame;
    const { seq } = frame;
    for (;;) {
      const n = frame.node;
      if (n === frame.stop) break;
      if (visited[n]) return fail(`block '${name(n)}' is entered from two regions that do not nest`);
      const block = blocks[n] as Block;
      if (tailOf[n] !== -1 && frame.entering !== n) {
        const tail = tailOf[n] as number;
        const exitBlock = succ[tail]?.[0] as number;
        const loopBody: StructuredItem[] = [];
        frames.push({ seq: loopBody, node: n, stop: LOOP_END, tail, entering: n });
        seq.push({
          kind: 'loop',
          header: block.id,
          tail: blocks[tail] as Block,
          exit: name(exitBlock),
          body: loopBody,
        });
        frame.node = exitBlock;
        continue;
      }
      frame.entering = -1;
      visited[n] = 1;
      seq.push({ kind: 'block', block });
      if (block.terminator.kind === 'return') {
        if (frame.stop !== FUNCTION_END) return fail(`block '${name(n)}' returns from inside a branch or loop`);
        seq.push({ kind: 'return', block });
        break;
      }
      if (isTail[n]) {
        if (frame.stop !== LOOP_END || frame.tail !== n)
          return fail(`a branch arm reaches loop tail '${name(n)}' before its join`);
        break;
      }
      const out = succ[n] as number[];
      if (out.length === 1) {
        frame.node = out[0] as number;
        continue;
      }
      const join = ipdom[n] as number;
      const arms: StructuredItem[][] = [];
      for (const h of out) {
        const arm: StructuredItem[] = [];
        arms.push(arm);
        if (h === join) continue;
        if (indegree[h] !== 1)
          return fail(`block '${name(h)}' starts an arm of '${name(n)}' but has other predecessors`);
        frames.push({ seq: arm, node: h, stop: join, tail: frame.tail, entering: -1 });
      }
      seq.push({ kind: 'branch', block, arms, join: name(join) });
      frame.node = join;
    }
  }
  for (let v = 0; v < size; v++) if (!visited[v]) return fail(`block '${name(v)}' is not part of the structure`);
  return { ok: true, body };
}

/** True when `cfg` has structured control flow (see parseStructure), as restructureCfg produces. */
export function isStructured(cfg: Cfg): boolean {
  return parseStructure(cfg).ok;
}
