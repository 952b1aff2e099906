import type { Attrs } from '../nodes/simple.js';
import type { SourceLoc } from '../nodes/loc.js';
import type { ScalarType, Type } from '../types/type.js';
import type { FunctionValue, Value } from '../interpreter/value.js';

/** The side effects an op may have; an op with none is pure. */
export type Effect = 'read' | 'write' | 'alloc' | 'throw' | 'io';

export type ErrorName = 'Error' | 'RangeError' | 'TypeError';

/**
 * An error raised by an op while it runs (an out-of-bounds index, a BigInt
 * overflow, an explicit raise). It carries the JavaScript error class the
 * program would have thrown.
 */
export class OpError extends Error {
  constructor(
    readonly errorName: ErrorName,
    message: string,
    readonly loc?: SourceLoc,
  ) {
    super(message);
    this.name = 'OpError';
  }

  /** The message without ` (line N)`: what the JavaScript program itself would have said. */
  get reason(): string {
    return this.message;
  }

  /**
   * Program errors the interpreter raises are instances of the JavaScript
   * class the program throws (RangeError, ...), branded with the class they
   * stand for (InterpreterError); they still count as OpErrors.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null || !(programErrorBrand in value)) return false;
    const brand = (value as { [programErrorBrand]: unknown })[programErrorBrand];
    return this === OpError || brand === this;
  }
}

/** The property a program error made by another class carries: that class (see OpError's instanceof). */
export const programErrorBrand: unique symbol = Symbol('rvsdg program error');

/** The message native code composes for an op's error: the text, then ` (line N)` when the node has a location. */
export function messageWithLine(message: string, loc: SourceLoc | undefined): string {
  return loc ? `${message} (line ${loc.line})` : message;
}

export interface EvalContext {
  /** Calls a function value (used by `call`). */
  call(callee: FunctionValue, args: readonly Value[]): readonly Value[];
  readonly loc?: SourceLoc;
}

/** One use of an op: its attributes and the types around it, as typed by `typeOf`. */
export interface OpInstance {
  readonly attrs: Attrs;
  readonly operandTypes: readonly Type[];
  readonly resultTypes: readonly Type[];
}

export type AttrKind = 'number' | 'bigint' | 'boolean' | 'string' | 'type' | 'scalar';

/** One operand or result as the op reference (`rvsdg ops`, docs/ops.md) shows it. */
export interface OperandSpec {
  /** What the value is: `a`, `array`, `index`, `mem`. */
  readonly name: string;
  /** Its type, or a type variable the signature's `where` constrains: `i64`, `mem`, `T`. */
  readonly type: string;
  /** Stands for any number of operands or results (the arguments of `call`). */
  readonly variadic?: boolean;
}

/**
 * The documented shape of an op: operand order and types, results, and what
 * type variables stand for. It documents `typeOf`, which stays the rule the
 * verifier applies.
 */
export interface OpSignature {
  readonly operands: readonly OperandSpec[];
  readonly results: readonly OperandSpec[];
  /** Constraints on type variables: `T: int or float`. */
  readonly where?: string;
}

export interface OpDef {
  /** Qualified name: `dialect.op`, or a bare name for the builtin dialect. */
  readonly name: string;
  /** One line saying what the op computes. */
  readonly summary: string;
  readonly effects: readonly Effect[];
  /** Operand order and types, for the op reference; `typeOf` is the rule. */
  readonly signature?: OpSignature;
  /** Attributes the op requires (name -> kind); optional ones end in `?`. */
  readonly attrs?: Readonly<Record<string, AttrKind>>;
  /**
   * The typing rule: output types for these operand types and attributes,
   * or a message saying what is wrong. Must not throw.
   */
  typeOf(operands: readonly Type[], attrs: Attrs): readonly Type[] | string;
  /** The meaning of the op, used by the interpreter; throws OpError for program errors. */
  evaluate(operands: readonly Value[], instance: OpInstance, context: EvalContext): readonly Value[];
  /**
   * Optional constant folding: given the operands known at compile time
   * (undefined where unknown), the outputs if they can be computed now.
   */
  fold?(operands: readonly (Value | undefined)[], instance: OpInstance): readonly Value[] | undefined;
  /**
   * The op's code for each backend, by backend name (`llvm`: a `Lowering`
   * of @rvsdg/backend-llvm), so a dialect is registered once, with its
   * typing, meaning and lowering together. A lowering registry given to the
   * backend takes precedence.
   */
  readonly lowerings?: Readonly<Record<string, unknown>>;
  /**
   * The operand types the module generator (`arbModule`, `checkPass`)
   * applies the op to when its dialect's registry is given, so a pass over
   * the op is exercised without describing it again.
   */
  readonly generate?: readonly OpSample[];
}

/** One way to apply an op in generated modules. */
export interface OpSample {
  /** Types of the value operands, in order; the generator makes values of i32, i64, f64 and bool. */
  readonly operands: readonly ScalarType[];
  /** Types of the value results. */
  readonly results: readonly ScalarType[];
  readonly attrs?: Attrs;
  /** The op also takes the memory state as its last operand and returns it as its last result. */
  readonly mem?: boolean;
  /** How often it is chosen relative to the built-in actions (default 3, as often as a call; a binary op is 6). */
  readonly weight?: number;
}

export interface Dialect {
  readonly name: string;
  readonly ops: readonly OpDef[];
}

/** Why `opName` is not in a registry, with what to do about it: the usual cause is a forgotten `registry` option. */
export function unknownOpMessage(opName: string, registered: readonly string[]): string {
  const dialect = dialectOf(opName);
  return registered.includes(dialect)
    ? `unknown op '${opName}': dialect '${dialect}' has no such op`
    : `unknown op '${opName}': dialect '${dialect}' is not registered here (registered: ${registered.join(', ')}); ` +
        `pass the registry that extends the default one with it (the \`registry\` option)`;
}

export function dialectOf(opName: string): string {
  const dot = opName.indexOf('.');
  return dot < 0 ? 'builtin' : opName.slice(0, dot);
}
