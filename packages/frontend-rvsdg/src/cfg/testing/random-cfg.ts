import { i32 } from '@rvsdg/ir';
import fc from 'fast-check';
import type { Cfg, Instruction, Terminator, VarName } from '../cfg.js';
import { block, count, kitCfg, kitVariables, konst, op, select, start, test } from './cfg-kit.js';

/** What fast-check chooses for one block of a random CFG. */
export interface RandomBlockSpec {
  /** Which data assignment the block makes (several read `d`, which only some blocks assign). */
  readonly data: number;
  /** 0 jump, 1 branch, 2 switch, 3 return. */
  readonly terminator: number;
  /** Successor choices, taken modulo the number of blocks. */
  readonly targets: readonly number[];
  readonly modulus: number;
  readonly offset: number;
}

export const randomVariables = new Map([...kitVariables, ['d', i32]]);

function dataInstructions(choice: number): Instruction[] {
  switch (choice) {
    case 0:
      return [op('add', 'a', 'a', 'c')];
    case 1:
      return [op('sub', 'b', 'b', 'a')];
    case 2:
      return [op('mul', 'a', 'a', 'b')];
    case 3:
      return [op('xor', 'b', 'a', 'c')];
    case 4:
      return [konst('one', 1), op('add', 'd', 'c', 'one')];
    case 5:
      return [op('add', 'a', 'a', 'd')];
    default:
      return [];
  }
}

/**
 * A CFG whose blocks each count their executions in `c` and branch on
 * `c % modulus`, so every run is deterministic; any block may jump to any
 * other, so loops, irreducible loops, unstructured joins and endless loops
 * all occur. Runs are bounded by the interpreter's fuel.
 */
export function randomCfg(name: string, specs: readonly RandomBlockSpec[]): Cfg {
  const n = specs.length;
  const id = (i: number): string => `b${i}`;
  const blocks = specs.map((spec, i) => {
    const instructions: Instruction[] = [...(i === 0 ? start() : []), ...count(), ...dataInstructions(spec.data)];
    const target = (k: number): string => id((spec.targets[k] ?? 0) % n);
    let terminator: Terminator;
    switch (spec.terminator) {
      case 0:
        terminator = { kind: 'jump', target: target(0) };
        break;
      case 1:
        instructions.push(...test(spec.modulus, spec.offset % spec.modulus));
        terminator = { kind: 'branch', cond: 'cond', targets: [target(0), target(1)] };
        break;
      case 2:
        instructions.push(...select(spec.modulus));
        terminator = { kind: 'switch', value: 'sel', targets: spec.targets.map((_, k) => target(k)) };
        break;
      default:
        terminator = { kind: 'return', values: [(['a', 'b', 'd'] as VarName[])[spec.offset % 3] as VarName] };
    }
    return block(id(i), instructions, terminator);
  });
  return kitCfg(name, blocks, randomVariables);
}

const blockSpec: fc.Arbitrary<RandomBlockSpec> = fc.record({
  data: fc.integer({ min: 0, max: 6 }),
  terminator: fc.constantFrom(0, 1, 1, 1, 2, 3),
  targets: fc.array(fc.nat({ max: 63 }), { minLength: 3, maxLength: 3 }),
  modulus: fc.integer({ min: 2, max: 5 }),
  offset: fc.nat({ max: 5 }),
});

/** Random CFGs of 1 to `maxBlocks` blocks. */
export function arbitraryCfg(maxBlocks = 14): fc.Arbitrary<Cfg> {
  return fc.array(blockSpec, { minLength: 1, maxLength: maxBlocks }).map((specs) => randomCfg('random', specs));
}
