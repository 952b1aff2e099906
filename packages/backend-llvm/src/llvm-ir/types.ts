/**
 * LLVM types as text. Pointers are typed (`i8*`, `%rvsdg.ctx*`), as LLVM 14
 * uses them by default: its optimizer still crashes on some opaque-pointer
 * (`ptr`) modules (LoopAccessAnalysis and ArgumentPromotion at O2/O3).
 * Integer, float, double, void and pointer types are interned, so `===`
 * compares those; compare other types by `text`.
 */

/** What the C++ API calls the LLVMContext. Text needs none; it only holds the named struct types of the modules built with it. */
export class LLVMContext {
  /** Named struct types, in creation order, printed at the top of every module of this context. */
  readonly namedStructs: StructType[] = [];
  readonly #names = new Set<string>();

  /** A name for a new named struct, made unique as LLVM does (`name.1`, ...). */
  uniqueTypeName(name: string): string {
    let unique = name;
    for (let i = 1; this.#names.has(unique); i++) unique = `${name}.${i}`;
    this.#names.add(unique);
    return unique;
  }
}

export type TypeKind = 'void' | 'integer' | 'float' | 'double' | 'pointer' | 'struct' | 'array' | 'function' | 'label';

export abstract class Type {
  constructor(
    readonly kind: TypeKind,
    /** The type as LLVM IR writes it: `i32`, `ptr`, `{ ptr, i64 }`, `%rvsdg.ctx`. */
    readonly text: string,
  ) {}

  toString(): string {
    return this.text;
  }

  isVoidTy(): boolean {
    return this.kind === 'void';
  }
  isIntegerTy(bits?: number): boolean {
    return this.kind === 'integer' && (bits === undefined || (this as unknown as IntegerType).bits === bits);
  }
  isFloatTy(): boolean {
    return this.kind === 'float';
  }
  isDoubleTy(): boolean {
    return this.kind === 'double';
  }
  isFloatingPointTy(): boolean {
    return this.kind === 'float' || this.kind === 'double';
  }
  isPointerTy(): boolean {
    return this.kind === 'pointer';
  }
  isStructTy(): boolean {
    return this.kind === 'struct';
  }
  isArrayTy(): boolean {
    return this.kind === 'array';
  }
  isFunctionTy(): boolean {
    return this.kind === 'function';
  }

  /** Bits of an integer or floating-point type; 0 for the others (as in LLVM). */
  getPrimitiveSizeInBits(): number {
    switch (this.kind) {
      case 'integer':
        return (this as unknown as IntegerType).bits;
      case 'float':
        return 32;
      case 'double':
        return 64;
      default:
        return 0;
    }
  }

  // The C++ API's static getters; the context argument is accepted for the same call shape and not needed.
  static getVoidTy(_context?: LLVMContext): Type {
    return voidType;
  }
  static getIntNTy(_context: LLVMContext | undefined, bits: number): IntegerType {
    return IntegerType.get(_context, bits);
  }
  static getInt1Ty(context?: LLVMContext): IntegerType {
    return IntegerType.get(context, 1);
  }
  static getInt8Ty(context?: LLVMContext): IntegerType {
    return IntegerType.get(context, 8);
  }
  static getInt16Ty(context?: LLVMContext): IntegerType {
    return IntegerType.get(context, 16);
  }
  static getInt32Ty(context?: LLVMContext): IntegerType {
    return IntegerType.get(context, 32);
  }
  static getInt64Ty(context?: LLVMContext): IntegerType {
    return IntegerType.get(context, 64);
  }
  static getFloatTy(_context?: LLVMContext): Type {
    return floatType;
  }
  static getDoubleTy(_context?: LLVMContext): Type {
    return doubleType;
  }
  static getLabelTy(_context?: LLVMContext): Type {
    return labelType;
  }
  /** `i8*` */
  static getInt8PtrTy(context?: LLVMContext): PointerType {
    return PointerType.getUnqual(IntegerType.get(context, 8));
  }
}

class SimpleType extends Type {}

const voidType: Type = new SimpleType('void', 'void');
const floatType: Type = new SimpleType('float', 'float');
const doubleType: Type = new SimpleType('double', 'double');
const labelType: Type = new SimpleType('label', 'label');

const integerTypes = new Map<number, IntegerType>();

export class IntegerType extends Type {
  private constructor(readonly bits: number) {
    super('integer', `i${bits}`);
  }

  getBitWidth(): number {
    return this.bits;
  }

  static get(_context: LLVMContext | undefined, bits: number): IntegerType {
    let type = integerTypes.get(bits);
    if (!type) {
      if (!Number.isInteger(bits) || bits < 1 || bits > 8_388_608)
        throw new RangeError(`no LLVM integer type of ${bits} bits`);
      type = new IntegerType(bits);
      integerTypes.set(bits, type);
    }
    return type;
  }
}

const pointerTypes = new Map<string, PointerType>();

export class PointerType extends Type {
  private constructor(readonly elementType: Type) {
    super('pointer', `${elementType.text}*`);
  }

  /** What the pointer points to. */
  getElementType(): Type {
    return this.elementType;
  }

  /** `T*` in address space 0. */
  static getUnqual(elementType: Type): PointerType {
    let type = pointerTypes.get(elementType.text);
    if (!type) {
      if (elementType.isVoidTy() || elementType.kind === 'label') {
        throw new TypeError(`no pointer to ${elementType.text} (use i8* for an untyped pointer)`);
      }
      type = new PointerType(elementType);
      pointerTypes.set(elementType.text, type);
    }
    return type;
  }

  static get(elementType: Type, addressSpace = 0): PointerType {
    if (addressSpace !== 0) throw new RangeError('only address space 0 is supported');
    return PointerType.getUnqual(elementType);
  }
}

export class StructType extends Type {
  private constructor(
    readonly elements: readonly Type[],
    text: string,
    /** The name of a named struct (`%name`), undefined for a literal one. */
    readonly name: string | undefined,
  ) {
    super('struct', text);
  }

  getNumElements(): number {
    return this.elements.length;
  }

  getElementType(index: number): Type {
    const element = this.elements[index];
    if (!element) throw new RangeError(`struct ${this.text} has no element ${index}`);
    return element;
  }

  /** The definition a module prints for a named struct: `{ i32, ptr }`. */
  get body(): string {
    return literalStructText(this.elements);
  }

  /** A literal struct `{ ... }`, compared by its text. */
  static get(_context: LLVMContext | undefined, elements: readonly Type[]): StructType {
    return new StructType([...elements], literalStructText(elements), undefined);
  }

  /** A named struct `%name = type { ... }`, defined in every module of `context`. */
  static create(context: LLVMContext, elements: readonly Type[], name: string): StructType {
    const unique = context.uniqueTypeName(name);
    const type = new StructType([...elements], localName(unique), unique);
    context.namedStructs.push(type);
    return type;
  }
}

function literalStructText(elements: readonly Type[]): string {
  return elements.length === 0 ? '{}' : `{ ${elements.map((e) => e.text).join(', ')} }`;
}

export class ArrayType extends Type {
  private constructor(
    readonly elementType: Type,
    readonly numElements: number,
  ) {
    super('array', `[${numElements} x ${elementType.text}]`);
  }

  getElementType(): Type {
    return this.elementType;
  }

  getNumElements(): number {
    return this.numElements;
  }

  static get(elementType: Type, numElements: number): ArrayType {
    if (!Number.isInteger(numElements) || numElements < 0) throw new RangeError(`bad array length ${numElements}`);
    return new ArrayType(elementType, numElements);
  }
}

export class FunctionType extends Type {
  private constructor(
    readonly returnType: Type,
    readonly params: readonly Type[],
    readonly varArgs: boolean,
  ) {
    const list = [...params.map((p) => p.text), ...(varArgs ? ['...'] : [])].join(', ');
    super('function', `${returnType.text} (${list})`);
  }

  getReturnType(): Type {
    return this.returnType;
  }

  getNumParams(): number {
    return this.params.length;
  }

  getParamType(index: number): Type {
    const param = this.params[index];
    if (!param) throw new RangeError(`function type ${this.text} has no parameter ${index}`);
    return param;
  }

  isVarArg(): boolean {
    return this.varArgs;
  }

  static get(returnType: Type, params: readonly Type[], varArgs = false): FunctionType {
    return new FunctionType(returnType, [...params], varArgs);
  }
}

const plainName = /^[-a-zA-Z$._][-a-zA-Z$._0-9]*$/;

/** `name` as an LLVM identifier body: plain when it can be, else quoted with escapes. */
export function identifier(name: string): string {
  if (plainName.test(name)) return name;
  return `"${escapeBytes(name, false)}"`;
}

/** `%name` */
export function localName(name: string): string {
  return `%${identifier(name)}`;
}

/** `@name` */
export function globalName(name: string): string {
  return `@${identifier(name)}`;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of `text` with `"`, `\` and non-printable bytes as `\XX` (LLVM's string escapes); with `nul`, a trailing `\00`. */
export function escapeBytes(text: string, nul: boolean): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return nul ? `${text}\\00` : text;
  let out = '';
  for (const byte of encoder.encode(text)) {
    if (byte < 0x20 || byte > 0x7e || byte === 0x22 || byte === 0x5c)
      out += `\\${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return nul ? `${out}\\00` : out;
}

/** Bytes of `text` in UTF-8, for sizing `[N x i8]` string constants. */
export function utf8Length(text: string): number {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      plain = false;
      break;
    }
  }
  return plain ? text.length : encoder.encode(text).length;
}
