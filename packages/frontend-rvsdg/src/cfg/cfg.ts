import type { Attrs, SourceLoc, Type } from '@rvsdg/ir';

/** A block's name, unique within its CFG. */
export type BlockId = string;
/** A variable's name, unique within its CFG. Variables are assigned any number of times. */
export type VarName = string;

/**
 * Pseudo-op for a CFG instruction with no args and one result: the function
 * value of the CFG named by attribute `name`, compiled in the same unit
 * (this is how calls, recursion and mutual recursion are expressed).
 */
export const FUNCTION_REF_OP = 'cfg.ref';

/**
 * Pseudo-op for a CFG instruction with one arg and one result that assigns
 * the arg's value to the result (no RVSDG node: the value is renamed).
 */
export const COPY_OP = 'cfg.copy';

/**
 * Names of blocks and variables that restructuring introduces start with
 * this prefix, so traces can be compared on the original program only.
 * Frontends must not use names starting with it.
 */
export const SYNTHETIC_PREFIX = '%r.';

export function isSynthetic(name: string): boolean {
  return name.startsWith(SYNTHETIC_PREFIX);
}

/**
 * One instruction: applies a registered IR op to variables and assigns its
 * outputs to variables. State (memory, io) is an ordinary variable that the
 * effectful ops read and assign, so program order is data flow once the CFG
 * is turned into RVSDG.
 */
export interface Instruction {
  readonly op: string;
  readonly args: readonly VarName[];
  readonly results: readonly VarName[];
  readonly attrs?: Attrs;
  readonly loc?: SourceLoc;
}

export type Terminator =
  | { readonly kind: 'jump'; readonly target: BlockId }
  /** `cond` is a bool variable: false goes to targets[0], true to targets[1]. */
  | { readonly kind: 'branch'; readonly cond: VarName; readonly targets: readonly [BlockId, BlockId] }
  /** `value` is an integer variable v: goes to targets[v] when 0 <= v < n, otherwise to the last target. */
  | { readonly kind: 'switch'; readonly value: VarName; readonly targets: readonly BlockId[] }
  | { readonly kind: 'return'; readonly values: readonly VarName[] };

export interface Block {
  readonly id: BlockId;
  readonly instructions: readonly Instruction[];
  readonly terminator: Terminator;
}

/**
 * A function as a control-flow graph: parameters are variables assigned on
 * entry; every variable has one type (IR types, `unknown` allowed before
 * inference); all returns yield values of `results`.
 */
export interface Cfg {
  readonly name: string;
  readonly params: readonly VarName[];
  readonly variables: ReadonlyMap<VarName, Type>;
  readonly results: readonly Type[];
  readonly entry: BlockId;
  readonly blocks: ReadonlyMap<BlockId, Block>;
}
