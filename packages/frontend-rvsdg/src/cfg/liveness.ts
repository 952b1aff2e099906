import type { Block, BlockId, Cfg, VarName } from './cfg.js';

/** Live variables at the start and end of each block, in the order of `cfg.variables`. */
export interface Liveness {
  liveIn(block: BlockId): readonly VarName[];
  liveOut(block: BlockId): readonly VarName[];
}

function successorIds(block: Block): readonly BlockId[] {
  const t = block.terminator;
  return t.kind === 'jump' ? [t.target] : t.kind === 'return' ? [] : t.targets;
}

/**
 * Backward dataflow over bit sets: live-in = used before assigned in the
 * block, plus live-out minus assigned; live-out = union of the successors'
 * live-in. A worklist visits blocks until nothing changes (no recursion).
 */
export function liveness(cfg: Cfg): Liveness {
  const names = [...cfg.variables.keys()];
  const varIndex = new Map(names.map((n, i) => [n, i]));
  const words = Math.max(1, Math.ceil(names.length / 32));
  const ids = [...cfg.blocks.keys()];
  const blockIndex = new Map(ids.map((id, i) => [id, i]));
  const count = ids.length;
  const use = new Uint32Array(count * words);
  const def = new Uint32Array(count * words);
  const liveIn = new Uint32Array(count * words);
  const liveOut = new Uint32Array(count * words);
  const succ: number[][] = [];
  const preds: number[][] = ids.map(() => []);
  const set = (bits: Uint32Array, b: number, v: number): void => {
    bits[b * words + (v >>> 5)]! |= 1 << (v & 31);
  };
  const has = (bits: Uint32Array, b: number, v: number): boolean =>
    ((bits[b * words + (v >>> 5)] as number) & (1 << (v & 31))) !== 0;
  ids.forEach((id, b) => {
    const block = cfg.blocks.get(id) as Block;
    const read = (name: VarName): void => {
      const v = varIndex.get(name);
      if (v !== undefined && !has(def, b, v)) set(use, b, v);
    };
    for (const ins of block.instructions) {
      ins.args.forEach(read);
      for (const r of ins.results) {
        const v = varIndex.get(r);
        if (v !== undefined) set(def, b, v);
      }
    }
    const t = block.terminator;
    if (t.kind === 'branch') read(t.cond);
    else if (t.kind === 'switch') read(t.value);
    else if (t.kind === 'return') t.values.forEach(read);
    const out = successorIds(block).map((s) => blockIndex.get(s) as number);
    succ.push(out);
    for (const s of out) (preds[s] as number[]).push(b);
  });
  const queued = new Uint8Array(count).fill(1);
  const work: number[] = [];
  for (let b = 0; b < count; b++) work.push(b);
  while (work.length > 0) {
    const b = work.pop() as number;
    queued[b] = 0;
    const base = b * words;
    for (const s of succ[b] as number[]) {
      const sb = s * words;
      for (let w = 0; w < words; w++) liveOut[base + w]! |= liveIn[sb + w] as number;
    }
    let changed = false;
    for (let w = 0; w < words; w++) {
      // `>>> 0`: bitwise results are signed, the stored words unsigned.
      const next = ((use[base + w] as number) | ((liveOut[base + w] as number) & ~(def[base + w] as number))) >>> 0;
      if (next !== liveIn[base + w]) {
        liveIn[base + w] = next;
        changed = true;
      }
    }
    if (changed) {
      for (const p of preds[b] as number[]) {
        if (!queued[p]) {
          queued[p] = 1;
          work.push(p);
        }
      }
    }
  }
  const list = (bits: Uint32Array, id: BlockId): VarName[] => {
    const b = blockIndex.get(id);
    if (b === undefined) throw new Error(`liveness: no block '${id}'`);
    const out: VarName[] = [];
    for (let w = 0; w < words; w++) {
      let word = bits[b * words + w] as number;
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        out.push(names[w * 32 + bit] as VarName);
        word &= word - 1;
      }
    }
    return out;
  };
  return { liveIn: (id) => list(liveIn, id), liveOut: (id) => list(liveOut, id) };
}
