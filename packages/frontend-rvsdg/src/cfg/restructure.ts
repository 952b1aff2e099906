import { BlockGraph, type GraphBlock } from './block-graph.js';
import { COPY_OP, type Cfg, type VarName } from './cfg.js';
import { restructureBranches } from './restructure-branches.js';
import { restructureLoops } from './restructure-loops.js';
import { assertValidCfg } from './validate.js';

/**
 * Result variables of a function that never returns. Its exit is never
 * reached, but the RVSDG still needs each state result to come from the
 * state threaded through the function (a fresh state would leave that one
 * unused), so state results name a state parameter of the same type.
 */
function neverReturned(graph: BlockGraph, cfg: Cfg): VarName[] {
  const taken = new Set<VarName>();
  return cfg.results.map((t) => {
    const param = t.kind === 'state' ? cfg.params.find((p) => !taken.has(p) && cfg.variables.get(p) === t) : undefined;
    if (param !== undefined) {
      taken.add(param);
      return param;
    }
    return graph.freshVar('ret', t);
  });
}

/**
 * Gives the graph a synthetic entry block with no predecessors and a single
 * exit block (the only return); returns their node numbers. Returns that
 * yield different variables first copy them to synthetic result variables.
 */
function addEntryAndExit(graph: BlockGraph, cfg: Cfg, entry: number): { entry: number; exit: number } {
  const returns: number[] = [];
  graph.blocks.forEach((b, i) => b.kind === 'return' && returns.push(i));
  // A result slot that every return fills from the same variable needs no
  // copy; this matters for state, which a copy would use twice.
  const values =
    returns.length === 0
      ? neverReturned(graph, cfg)
      : cfg.results.map((t, i) => {
          const first = (graph.blocks[returns[0] as number] as GraphBlock).values[i] as VarName;
          return returns.every((r) => (graph.blocks[r] as GraphBlock).values[i] === first)
            ? first
            : graph.freshVar('ret', t);
        });
  const exit = graph.add({
    name: graph.freshBlockName('exit'),
    instructions: [],
    kind: 'return',
    selector: undefined,
    values,
    targets: [],
  });
  for (const r of returns) {
    const block = graph.blocks[r] as GraphBlock;
    const copies = block.values.flatMap((v, i) =>
      v === values[i] ? [] : [{ op: COPY_OP, args: [v], results: [values[i] as VarName] }],
    );
    const target = copies.length > 0 ? graph.addJumpBlock('return', copies, exit) : exit;
    block.kind = 'jump';
    block.values = [];
    block.targets.push(target);
    (graph.preds[target] as number[]).push(r);
  }
  const start = graph.addJumpBlock('entry', [], entry);
  return { entry: start, exit };
}

/**
 * Restructures a CFG into structured control flow (Bahmann et al. 2015):
 * loop restructuring, then branch restructuring. In the result every loop
 * has one entry block and one tail block whose branch (`targets[1]`,
 * taken when true) is the loop's only repetition edge and whose
 * `targets[0]` is its only exit; every branch's arms meet again at one
 * block before anything else joins them; there is one return block.
 * Original blocks keep their instructions and terminator kinds (only their
 * targets change, and returns become jumps to the exit); everything new is
 * named with SYNTHETIC_PREFIX. Blocks unreachable from the entry are dropped.
 */
export function restructureCfg(cfg: Cfg): Cfg {
  assertValidCfg(cfg);
  const { graph, entry: original } = BlockGraph.fromCfg(cfg);
  const { entry, exit } = addEntryAndExit(graph, cfg, original);
  restructureLoops(graph, entry, exit);
  restructureBranches(graph, entry, exit);
  return graph.toCfg(cfg, entry);
}
