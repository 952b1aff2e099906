import type { SimpleNode } from '@rvsdg/ir';
import type { LoweringContext, Slot } from './lowering-context.js';
import { arithLowerings } from './ops/arith-lowerings.js';
import { arrayLowerings } from './ops/array-lowerings.js';
import { builtinLowerings } from './ops/builtin-lowerings.js';
import { mathLowerings } from './ops/math-lowerings.js';

/**
 * Emits the LLVM code of one simple node at the builder's position.
 * `operands` holds one entry per node input, undefined for state inputs
 * (state is erased: it only orders the code). Return either one entry per
 * output (undefined for state outputs) or only the non-state outputs, in
 * order. `ctx.operandTypes` holds the IR types of the operands.
 */
export type Lowering = (ctx: LoweringContext, node: SimpleNode, operands: readonly Slot[]) => readonly Slot[];

/**
 * Lowerings keyed by op name. A registry may extend a parent, so a third
 * party adds its dialect's lowerings without touching the built-in ones:
 * `new LoweringRegistry(defaultLowerings).register('mydsl.op', fn)`.
 */
export class LoweringRegistry {
  readonly #lowerings = new Map<string, Lowering>();

  constructor(readonly parent?: LoweringRegistry) {}

  register(opName: string, lowering: Lowering): this {
    if (this.#lowerings.has(opName)) throw new Error(`a lowering for '${opName}' is already registered`);
    this.#lowerings.set(opName, lowering);
    return this;
  }

  registerAll(lowerings: Readonly<Record<string, Lowering>>): this {
    for (const [name, lowering] of Object.entries(lowerings)) this.register(name, lowering);
    return this;
  }

  get(opName: string): Lowering | undefined {
    return this.#lowerings.get(opName) ?? this.parent?.get(opName);
  }

  has(opName: string): boolean {
    return this.get(opName) !== undefined;
  }

  /** Names of every op with a lowering, the parent's included. */
  opNames(): string[] {
    return [...new Set([...(this.parent?.opNames() ?? []), ...this.#lowerings.keys()])];
  }

  /** A new registry that sees this one's lowerings plus its own. */
  extend(lowerings: Readonly<Record<string, Lowering>> = {}): LoweringRegistry {
    return new LoweringRegistry(this).registerAll(lowerings);
  }
}

/** Lowerings of every op of the builtin, arith, math and array dialects. */
export const defaultLowerings: LoweringRegistry = new LoweringRegistry()
  .registerAll(builtinLowerings)
  .registerAll(arithLowerings)
  .registerAll(mathLowerings)
  .registerAll(arrayLowerings);
