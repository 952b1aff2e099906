import {
  escapeBytes,
  globalName,
  IntegerType,
  PointerType,
  type FunctionType,
  type LLVMContext,
  type Type,
} from './types.js';
import type { BasicBlock } from './function.js';

/**
 * An LLVM value: its type and how an operand refers to it (`%x`, `@f`,
 * `42`, `null`). Instructions are text in their block; only their result is
 * an object.
 */
export class Value {
  constructor(
    readonly type: Type,
    /** The value as an operand writes it, without its type. */
    readonly ref: string,
  ) {}

  getType(): Type {
    return this.type;
  }

  /** `<type> <ref>`, the value as a typed operand. */
  toString(): string {
    return `${this.type.text} ${this.ref}`;
  }
}

/** A function parameter. */
export class Argument extends Value {
  constructor(
    type: Type,
    ref: string,
    readonly argNo: number,
  ) {
    super(type, ref);
  }
}

/** The result of an instruction. */
export class Instruction extends Value {}

/** An `alloca`'s pointer. */
export class AllocaInst extends Instruction {
  constructor(
    ref: string,
    readonly allocatedType: Type,
  ) {
    super(PointerType.getUnqual(allocatedType), ref);
  }

  getAllocatedType(): Type {
    return this.allocatedType;
  }
}

/** A `phi`, printed when its block is, so incoming values may be added after later code is built (a loop's latch). */
export class PHINode extends Instruction {
  readonly #incoming: string[] = [];

  addIncoming(value: Value, block: BasicBlock): void {
    this.#incoming.push(`[ ${value.ref}, ${block.ref} ]`);
  }

  getNumIncomingValues(): number {
    return this.#incoming.length;
  }

  override toString(): string {
    return `  ${this.ref} = phi ${this.type.text} ${this.#incoming.join(', ')}`;
  }
}

/** A `switch`, printed when its block is, so cases may be added after it was created. */
export class SwitchInst {
  readonly #cases: string[] = [];

  constructor(
    readonly condition: Value,
    readonly defaultDest: BasicBlock,
  ) {}

  addCase(value: ConstantInt | Value, dest: BasicBlock): void {
    this.#cases.push(`    ${value.type.text} ${value.ref}, label ${dest.ref}`);
  }

  toString(): string {
    const cases = this.#cases.length === 0 ? '[]' : `[\n${this.#cases.join('\n')}\n  ]`;
    return `  switch ${this.condition.type.text} ${this.condition.ref}, label ${this.defaultDest.ref} ${cases}`;
  }
}

// ---- constants -----------------------------------------------------------------

export class Constant extends Value {
  /** The zero value of `type`: 0, 0.0, null, false or zeroinitializer. */
  static getNullValue(type: Type): Constant {
    switch (type.kind) {
      case 'integer':
        return type.isIntegerTy(1) ? ConstantInt.getFalse() : new ConstantInt(type as IntegerType, '0');
      case 'float':
      case 'double':
        return new ConstantFP(type, '0.0');
      case 'pointer':
        return ConstantPointerNull.get(type as PointerType);
      case 'struct':
      case 'array':
        return new Constant(type, 'zeroinitializer');
      default:
        throw new TypeError(`no null value of type ${type.text}`);
    }
  }

  /** Every bit set: -1 (true for i1). */
  static getAllOnesValue(type: Type): Constant {
    if (!type.isIntegerTy()) throw new TypeError(`no all-ones value of type ${type.text}`);
    return type.isIntegerTy(1) ? ConstantInt.getTrue() : new ConstantInt(type as IntegerType, '-1');
  }
}

export class ConstantInt extends Constant {
  /** @internal */
  constructor(type: IntegerType, ref: string) {
    super(type, ref);
  }

  /**
   * The integer of type `type` with the two's complement bits of `value`
   * (a number must be an integer; a bigint may have any size and is
   * wrapped). `signed` is accepted for the C++ API's call shape: the bits
   * are the same either way.
   */
  static get(type: IntegerType | Type, value: number | bigint, _signed = false): ConstantInt {
    if (!(type instanceof IntegerType)) throw new TypeError(`ConstantInt.get needs an integer type, got ${type.text}`);
    if (typeof value === 'number' && !Number.isInteger(value)) {
      throw new RangeError(`ConstantInt.get: ${value} is not an integer`);
    }
    const bits = type.bits;
    if (bits === 1) return BigInt(value) & 1n ? ConstantInt.getTrue() : ConstantInt.getFalse();
    const small = typeof value === 'number' && bits >= 32 && Math.abs(value) <= 0x7fffffff;
    return new ConstantInt(type, small ? String(value) : BigInt.asIntN(bits, BigInt(value)).toString());
  }

  static getTrue(_context?: LLVMContext): ConstantInt {
    return trueConstant;
  }

  static getFalse(_context?: LLVMContext): ConstantInt {
    return falseConstant;
  }
}

const trueConstant = new ConstantInt(IntegerType.get(undefined, 1), 'true');
const falseConstant = new ConstantInt(IntegerType.get(undefined, 1), 'false');

const doubleView = new DataView(new ArrayBuffer(8));

/**
 * A float or double constant. Finite values other than -0 are written in
 * decimal (the shortest text that reads back as the same double; LLVM's
 * parser rounds correctly); NaN, infinities and -0 as the hexadecimal
 * bits of the double, which is how LLVM writes float constants too.
 */
export function floatLiteral(value: number): string {
  if (Number.isFinite(value) && !Object.is(value, -0)) {
    const text = String(value);
    const e = text.indexOf('e');
    if (e < 0) return text.includes('.') ? text : `${text}.0`;
    const mantissa = text.slice(0, e);
    return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}${text.slice(e)}`;
  }
  doubleView.setFloat64(0, value);
  const hex = doubleView.getBigUint64(0).toString(16).toUpperCase().padStart(16, '0');
  return `0x${hex}`;
}

export class ConstantFP extends Constant {
  /** @internal */
  constructor(type: Type, ref: string) {
    super(type, ref);
  }

  /** `value` in `type` (float constants are rounded to float first, as LLVM requires them exact). */
  static get(type: Type, value: number): ConstantFP {
    if (type.isFloatTy()) return new ConstantFP(type, floatLiteral(Math.fround(value)));
    if (!type.isDoubleTy()) throw new TypeError(`ConstantFP.get needs float or double, got ${type.text}`);
    return new ConstantFP(type, floatLiteral(value));
  }

  static getNaN(type: Type): ConstantFP {
    return ConstantFP.get(type, NaN);
  }

  static getInfinity(type: Type, negative = false): ConstantFP {
    return ConstantFP.get(type, negative ? -Infinity : Infinity);
  }

  static getZero(type: Type, negative = false): ConstantFP {
    return ConstantFP.get(type, negative ? -0 : 0);
  }
}

export class ConstantPointerNull extends Constant {
  /** The null pointer of pointer type `type`. */
  static get(type: PointerType | Type): ConstantPointerNull {
    if (!type.isPointerTy()) throw new TypeError(`ConstantPointerNull.get needs a pointer type, got ${type.text}`);
    return new ConstantPointerNull(type, 'null');
  }
}

export class UndefValue extends Constant {
  static get(type: Type): UndefValue {
    return new UndefValue(type, 'undef');
  }
}

export class PoisonValue extends Constant {
  static get(type: Type): PoisonValue {
    return new PoisonValue(type, 'poison');
  }
}

// ---- globals -------------------------------------------------------------------

export type Linkage =
  'external' | 'internal' | 'private' | 'linkonce_odr' | 'weak_odr' | 'available_externally' | 'common' | 'extern_weak';

const linkageTypes = {
  ExternalLinkage: 'external',
  InternalLinkage: 'internal',
  PrivateLinkage: 'private',
  LinkOnceODRLinkage: 'linkonce_odr',
  WeakODRLinkage: 'weak_odr',
  AvailableExternallyLinkage: 'available_externally',
  CommonLinkage: 'common',
  ExternalWeakLinkage: 'extern_weak',
} as const satisfies Record<string, Linkage>;

/** Something a module's symbol table holds: a function or a global variable. Its value is its address (`T*`). */
export abstract class GlobalValue extends Constant {
  static readonly LinkageTypes = linkageTypes;

  constructor(
    readonly name: string,
    public linkage: Linkage,
    /** The type of what it holds: the function type, or the variable's type. */
    valueType: Type,
  ) {
    super(PointerType.getUnqual(valueType), globalName(name));
  }

  getName(): string {
    return this.name;
  }

  setLinkage(linkage: Linkage): void {
    this.linkage = linkage;
  }

  abstract isDeclaration(): boolean;

  /** The definition or declaration as the module prints it. */
  abstract print(): string;
}

/** What a global registers with: the module's symbol table. */
export interface SymbolTable {
  /** `name`, or when it is taken a unique variant of it (`name.1`, ...), as LLVM renames. */
  uniqueName(name: string): string;
  /** Adds a function or global variable, in order, under its name. */
  register(global: GlobalValue): void;
}

export class GlobalVariable extends GlobalValue {
  /** `unnamed_addr` and an alignment, for string constants. */
  unnamedAddr = false;
  alignment = 0;
  readonly valueType: Type;
  readonly constant: boolean;
  initializer: Constant | undefined;

  /**
   * The C++ API's constructor shape: adds itself to `module` (under a
   * unique variant of `name` when it is taken).
   */
  constructor(
    module: SymbolTable,
    type: Type,
    constant: boolean,
    linkage: Linkage,
    initializer: Constant | null | undefined,
    name = '',
  ) {
    super(module.uniqueName(name), linkage, type);
    this.valueType = type;
    this.constant = constant;
    this.initializer = initializer ?? undefined;
    module.register(this);
  }

  getValueType(): Type {
    return this.valueType;
  }

  isDeclaration(): boolean {
    return this.initializer === undefined;
  }

  setInitializer(initializer: Constant): void {
    this.initializer = initializer;
  }

  setUnnamedAddr(on = true): void {
    this.unnamedAddr = on;
  }

  setAlignment(bytes: number): void {
    this.alignment = bytes;
  }

  print(): string {
    const linkage =
      this.initializer === undefined ? 'external ' : this.linkage === 'external' ? '' : `${this.linkage} `;
    const unnamed = this.unnamedAddr ? 'unnamed_addr ' : '';
    const kind = this.constant ? 'constant' : 'global';
    const init = this.initializer === undefined ? '' : ` ${this.initializer.ref}`;
    const align = this.alignment > 0 ? `, align ${this.alignment}` : '';
    return `${this.ref} = ${linkage}${unnamed}${kind} ${this.valueType.text}${init}${align}`;
  }
}

/**
 * Inline assembly, called with `builder.CreateCall(type, asm, args)`:
 * `InlineAsm.get(FunctionType.get(i64, []), 'movq %rsp, $0', '=r', true)`
 * reads the stack pointer.
 */
export class InlineAsm extends Value {
  static get(type: FunctionType, asm: string, constraints: string, hasSideEffects = false): InlineAsm {
    const flags = hasSideEffects ? 'sideeffect ' : '';
    return new InlineAsm(
      PointerType.getUnqual(type),
      `asm ${flags}"${escapeBytes(asm, false)}", "${escapeBytes(constraints, false)}"`,
    );
  }
}
