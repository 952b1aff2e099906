import type { OpRegistry } from '@rvsdg/ir';
import { COPY_OP, FUNCTION_REF_OP, type Block, type Cfg } from './cfg.js';

/** Thrown for a CFG that breaks the model's rules; lists every problem found. */
export class CfgError extends Error {
  constructor(
    readonly cfgName: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid CFG '${cfgName}':\n  ${problems.join('\n  ')}`);
    this.name = 'CfgError';
  }
}

export interface ValidateOptions {
  /** When given, every op must be registered in it (or be a `cfg.*` pseudo-op). */
  readonly registry?: OpRegistry;
  /** Names of the other CFGs compiled together, which `cfg.ref` may name. */
  readonly functions?: ReadonlySet<string>;
}

function successors(block: Block): readonly string[] {
  const t = block.terminator;
  switch (t.kind) {
    case 'jump':
      return [t.target];
    case 'branch':
      return t.targets;
    case 'switch':
      return t.targets;
    case 'return':
      return [];
  }
}

/** Every problem with `cfg`, each naming the block and what is wrong; empty when it is well formed. */
export function validateCfg(cfg: Cfg, options: ValidateOptions = {}): string[] {
  const problems: string[] = [];
  const checkVar = (name: string, where: string): void => {
    if (!cfg.variables.has(name)) problems.push(`${where}: variable '${name}' is not declared`);
  };
  if (!cfg.blocks.has(cfg.entry)) problems.push(`entry block '${cfg.entry}' does not exist`);
  const seenParams = new Set<string>();
  for (const p of cfg.params) {
    checkVar(p, 'parameters');
    if (seenParams.has(p)) problems.push(`parameters: '${p}' appears twice`);
    seenParams.add(p);
  }
  for (const [id, block] of cfg.blocks) {
    const where = `block '${id}'`;
    if (block.id !== id) problems.push(`${where}: stored under '${id}' but its id is '${block.id}'`);
    block.instructions.forEach((ins, i) => {
      const at = `${where}, instruction ${i} (${ins.op})`;
      for (const a of ins.args) checkVar(a, at);
      for (const r of ins.results) checkVar(r, at);
      if (ins.op === FUNCTION_REF_OP) {
        const name = ins.attrs?.['name'];
        if (typeof name !== 'string') problems.push(`${at}: needs a string attribute 'name'`);
        else if (options.functions && !options.functions.has(name)) problems.push(`${at}: no CFG named '${name}'`);
        if (ins.args.length !== 0 || ins.results.length !== 1) problems.push(`${at}: takes no args and has one result`);
      } else if (ins.op === COPY_OP) {
        if (ins.args.length !== 1 || ins.results.length !== 1) problems.push(`${at}: takes one arg and has one result`);
      } else if (options.registry && !options.registry.get(ins.op)) {
        problems.push(`${at}: op '${ins.op}' is not registered`);
      }
    });
    const t = block.terminator;
    if (t.kind === 'branch') checkVar(t.cond, `${where}, branch`);
    if (t.kind === 'switch') {
      checkVar(t.value, `${where}, switch`);
      if (t.targets.length === 0) problems.push(`${where}: switch has no targets`);
    }
    if (t.kind === 'return') {
      for (const v of t.values) checkVar(v, `${where}, return`);
      if (t.values.length !== cfg.results.length) {
        problems.push(
          `${where}: returns ${t.values.length} value(s) but the function has ${cfg.results.length} result(s)`,
        );
      }
    }
    for (const target of successors(block)) {
      if (!cfg.blocks.has(target)) problems.push(`${where}: jumps to block '${target}', which does not exist`);
    }
  }
  return problems;
}

/** Throws a CfgError listing every problem when `cfg` is not well formed. */
export function assertValidCfg(cfg: Cfg, options: ValidateOptions = {}): void {
  const problems = validateCfg(cfg, options);
  if (problems.length > 0) throw new CfgError(cfg.name, problems);
}
