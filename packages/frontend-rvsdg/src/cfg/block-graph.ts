import { type Type } from '@rvsdg/ir';
import {
  SYNTHETIC_PREFIX,
  type Block,
  type BlockId,
  type Cfg,
  type Instruction,
  type Terminator,
  type VarName,
} from './cfg.js';

/** A block of the working graph: successors by node number, so edges can be redirected cheaply. */
export interface GraphBlock {
  readonly name: BlockId;
  readonly instructions: readonly Instruction[];
  kind: Terminator['kind'];
  /** The branch condition or switch value. */
  selector: VarName | undefined;
  /** Returned variables when `kind` is 'return'. */
  values: readonly VarName[];
  readonly targets: number[];
  /** Index in `targets` of this block's loop repetition (back) edge, or -1. */
  back: number;
}

/**
 * The mutable graph restructuring works on. Edges are (block, successor
 * index) pairs, so a switch with two equal targets has two distinct edges.
 * `preds` lists each edge's source once per edge.
 */
export class BlockGraph {
  readonly blocks: GraphBlock[] = [];
  readonly preds: number[][] = [];
  readonly variables: Map<VarName, Type>;
  readonly #names = new Set<string>();
  #counter = 0;

  constructor(variables: ReadonlyMap<VarName, Type>) {
    this.variables = new Map(variables);
  }

  #fresh(hint: string, taken: (name: string) => boolean): string {
    for (;;) {
      const name = `${SYNTHETIC_PREFIX}${hint}${this.#counter++}`;
      if (!taken(name)) return name;
    }
  }

  readonly #predicates = new Map<string, VarName>();

  /**
   * The synthetic predicate variable of one kind, shared by every loop or
   * join of the graph: each is assigned on every path only a few synthetic
   * blocks before the block that reads it, so lifetimes never overlap, and
   * sharing keeps the number of variables (and the cost of liveness)
   * independent of the graph's size.
   */
  predicateVar(kind: string, type: Type): VarName {
    let name = this.#predicates.get(kind);
    if (name === undefined) {
      name = this.freshVar(kind, type);
      this.#predicates.set(kind, name);
    }
    return name;
  }

  freshVar(hint: string, type: Type): VarName {
    const name = this.#fresh(hint, (n) => this.variables.has(n));
    this.variables.set(name, type);
    return name;
  }

  freshBlockName(hint: string): BlockId {
    return this.#fresh(hint, (n) => this.#names.has(n));
  }

  add(block: Omit<GraphBlock, 'back'> & { back?: number }): number {
    const index = this.blocks.length;
    this.blocks.push({ ...block, back: block.back ?? -1 });
    this.#names.add(block.name);
    this.preds.push([]);
    for (const t of block.targets) this.preds[t]?.push(index);
    return index;
  }

  /** Adds a synthetic block that runs `instructions` and jumps to `target`. */
  addJumpBlock(hint: string, instructions: readonly Instruction[], target: number): number {
    return this.add({
      name: this.freshBlockName(hint),
      instructions,
      kind: 'jump',
      selector: undefined,
      values: [],
      targets: [target],
    });
  }

  /** Adds a synthetic block that branches on a bool variable (`targets` = [false, true]) or switches on an integer. */
  addSelectBlock(hint: string, selector: VarName, targets: readonly number[], kind: 'branch' | 'switch'): number {
    return this.add({
      name: this.freshBlockName(hint),
      instructions: [],
      kind,
      selector,
      values: [],
      targets: [...targets],
    });
  }

  /** Points edge (`from`, `index`) at `to`. */
  redirect(from: number, index: number, to: number): void {
    const block = this.blocks[from] as GraphBlock;
    const old = block.targets[index] as number;
    block.targets[index] = to;
    const list = this.preds[old] as number[];
    const at = list.indexOf(from);
    if (at >= 0) {
      list[at] = list[list.length - 1] as number;
      list.pop();
    }
    (this.preds[to] as number[]).push(from);
  }

  /** The graph of the blocks reachable from the entry; returns it with the entry's node number. */
  static fromCfg(cfg: Cfg): { graph: BlockGraph; entry: number } {
    const graph = new BlockGraph(cfg.variables);
    const index = new Map<BlockId, number>();
    const order: Block[] = [];
    const visit = (id: BlockId): number => {
      let n = index.get(id);
      if (n === undefined) {
        const block = cfg.blocks.get(id);
        if (!block) throw new Error(`CFG '${cfg.name}': block '${id}' does not exist`);
        n = order.length;
        index.set(id, n);
        order.push(block);
      }
      return n;
    };
    const entry = visit(cfg.entry);
    const targets: number[][] = [];
    for (let i = 0; i < order.length; i++) {
      const t = (order[i] as Block).terminator;
      const ids = t.kind === 'jump' ? [t.target] : t.kind === 'return' ? [] : t.targets;
      targets.push(ids.map(visit));
    }
    order.forEach((block, i) => {
      const t = block.terminator;
      graph.blocks.push({
        name: block.id,
        instructions: block.instructions,
        kind: t.kind,
        selector: t.kind === 'branch' ? t.cond : t.kind === 'switch' ? t.value : undefined,
        values: t.kind === 'return' ? t.values : [],
        targets: targets[i] as number[],
        back: -1,
      });
      graph.#names.add(block.id);
      graph.preds.push([]);
    });
    graph.blocks.forEach((b, i) => {
      for (const t of b.targets) (graph.preds[t] as number[]).push(i);
    });
    return { graph, entry };
  }

  toCfg(template: Cfg, entry: number): Cfg {
    const blocks = new Map<BlockId, Block>();
    const name = (n: number): BlockId => (this.blocks[n] as GraphBlock).name;
    for (const b of this.blocks) {
      let terminator: Terminator;
      switch (b.kind) {
        case 'jump':
          terminator = { kind: 'jump', target: name(b.targets[0] as number) };
          break;
        case 'branch':
          terminator = {
            kind: 'branch',
            cond: b.selector as VarName,
            targets: [name(b.targets[0] as number), name(b.targets[1] as number)],
          };
          break;
        case 'switch':
          terminator = { kind: 'switch', value: b.selector as VarName, targets: b.targets.map(name) };
          break;
        case 'return':
          terminator = { kind: 'return', values: b.values };
          break;
      }
      blocks.set(b.name, { id: b.name, instructions: b.instructions, terminator });
    }
    return {
      name: template.name,
      params: template.params,
      variables: this.variables,
      results: template.results,
      entry: name(entry),
      blocks,
    };
  }
}
