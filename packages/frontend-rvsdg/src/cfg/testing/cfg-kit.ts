import { bool, i32, type Type } from '@rvsdg/ir';
import type { Block, BlockId, Cfg, Instruction, Terminator, VarName } from '../cfg.js';

/**
 * Small helpers for writing CFGs by hand in tests: every block counts its
 * executions in `c` and decides its branches on `c`, so runs are
 * deterministic and loops end after a few iterations.
 */

/** The variables every kit CFG declares (all i32 except `cond`). */
export const kitVariables: ReadonlyMap<VarName, Type> = new Map<VarName, Type>([
  ['x', i32],
  ['c', i32],
  ['one', i32],
  ['a', i32],
  ['b', i32],
  ['m', i32],
  ['t', i32],
  ['z', i32],
  ['sel', i32],
  ['cond', bool],
]);

export function konst(result: VarName, value: number | boolean): Instruction {
  return { op: 'const', args: [], results: [result], attrs: { value, type: typeof value === 'boolean' ? bool : i32 } };
}

export function op(name: string, result: VarName, ...args: VarName[]): Instruction {
  return { op: `arith.${name}`, args, results: [result] };
}

/** c = c + 1 */
export function count(): Instruction[] {
  return [konst('one', 1), op('add', 'c', 'c', 'one')];
}

/** cond = (c % modulus == offset) */
export function test(modulus: number, offset: number): Instruction[] {
  return [konst('m', modulus), op('rem', 't', 'c', 'm'), konst('z', offset), op('eq', 'cond', 't', 'z')];
}

/** sel = c % modulus */
export function select(modulus: number): Instruction[] {
  return [konst('m', modulus), op('rem', 'sel', 'c', 'm')];
}

export const jump = (target: BlockId): Terminator => ({ kind: 'jump', target });
/** Goes to `ifFalse` or `ifTrue` on `cond`. */
export const branch = (ifFalse: BlockId, ifTrue: BlockId): Terminator => ({
  kind: 'branch',
  cond: 'cond',
  targets: [ifFalse, ifTrue],
});
export const switchOn = (...targets: BlockId[]): Terminator => ({ kind: 'switch', value: 'sel', targets });
export const ret = (value: VarName = 'a'): Terminator => ({ kind: 'return', values: [value] });

export function block(id: BlockId, instructions: Instruction[], terminator: Terminator): Block {
  return { id, instructions, terminator };
}

/** A CFG `name(x: i32) -> i32` over the kit variables; the first block is the entry. */
export function kitCfg(
  name: string,
  blocks: readonly Block[],
  variables: ReadonlyMap<VarName, Type> = kitVariables,
): Cfg {
  const first = blocks[0];
  if (!first) throw new Error('a CFG needs blocks');
  return {
    name,
    params: ['x'],
    variables,
    results: [i32],
    entry: first.id,
    blocks: new Map(blocks.map((b) => [b.id, b])),
  };
}

/** Entry block instructions: c = 0, a = x, b = 1. */
export function start(): Instruction[] {
  return [konst('c', 0), op('add', 'a', 'x', 'c'), konst('b', 1)];
}
