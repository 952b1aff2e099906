/**
 * IR types. Every type is interned: two structurally equal types are the
 * same object, so `a === b` is type equality everywhere in the toolkit.
 */

export type IntBits = 8 | 16 | 32 | 64;
export type FloatBits = 32 | 64;
export type ArrayLayout = 'C' | 'F' | 'A';
export type StateKind = 'mem' | 'io';

export interface BoolType {
  readonly kind: 'bool';
}
export interface IntType {
  readonly kind: 'int';
  readonly signed: boolean;
  readonly bits: IntBits;
}
export interface FloatType {
  readonly kind: 'float';
  readonly bits: FloatBits;
}
/** A reference to array memory; its contents are read and written under a memory state. */
export interface ArrayType {
  readonly kind: 'array';
  readonly element: ScalarType;
  readonly rank: number;
  readonly layout: ArrayLayout;
  /** Stores clamp to 0..255 and round half to even (JavaScript's Uint8ClampedArray). */
  readonly clamped: boolean;
}
export interface TupleType {
  readonly kind: 'tuple';
  readonly elements: readonly Type[];
}
export interface FunctionType {
  readonly kind: 'fn';
  readonly params: readonly Type[];
  readonly results: readonly Type[];
}
export interface CtrlType {
  readonly kind: 'ctrl';
  readonly alternatives: number;
}
export interface StateType {
  readonly kind: 'state';
  readonly state: StateKind;
}
/** Placeholder for a type not inferred yet (the `js` dialect produces these). */
export interface UnknownType {
  readonly kind: 'unknown';
}

export type ScalarType = BoolType | IntType | FloatType;
export type Type =
  BoolType | IntType | FloatType | ArrayType | TupleType | FunctionType | CtrlType | StateType | UnknownType;

/**
 * How deep tuple and fn types may nest inside one another: the verifier
 * calls a deeper type invalid and the text parser refuses it, so the
 * recursive functions over types (typeToString, interning) never run out of
 * stack on a checked or parsed type.
 */
export const maxTypeNesting = 64;

const interned = new Map<string, Type>();

function intern<T extends Type>(type: T): T {
  const key = typeToString(type);
  const existing = interned.get(key);
  if (existing) return existing as T;
  Object.freeze(type);
  interned.set(key, type);
  return type;
}

export const bool: BoolType = intern({ kind: 'bool' });
export function int(bits: IntBits, signed = true): IntType {
  return intern({ kind: 'int', signed, bits });
}
export function float(bits: FloatBits): FloatType {
  return intern({ kind: 'float', bits });
}
export const i8 = int(8);
export const i16 = int(16);
export const i32 = int(32);
export const i64 = int(64);
export const u8 = int(8, false);
export const u16 = int(16, false);
export const u32 = int(32, false);
export const u64 = int(64, false);
export const f32 = float(32);
export const f64 = float(64);
export const mem: StateType = intern({ kind: 'state', state: 'mem' });
export const io: StateType = intern({ kind: 'state', state: 'io' });
export const unknown: UnknownType = intern({ kind: 'unknown' });

export function array(
  element: ScalarType,
  options: { rank?: number; layout?: ArrayLayout; clamped?: boolean } = {},
): ArrayType {
  const rank = options.rank ?? 1;
  if (!Number.isInteger(rank) || rank < 1) throw new RangeError(`array rank must be a positive integer, got ${rank}`);
  const clamped = options.clamped ?? false;
  if (clamped && element !== u8) throw new TypeError('only u8 arrays can be clamped');
  return intern({ kind: 'array', element, rank, layout: options.layout ?? 'C', clamped });
}
export function tuple(elements: readonly Type[]): TupleType {
  return intern({ kind: 'tuple', elements: Object.freeze([...elements]) });
}
export const unit: TupleType = tuple([]);
export function fn(params: readonly Type[], results: readonly Type[]): FunctionType {
  return intern({ kind: 'fn', params: Object.freeze([...params]), results: Object.freeze([...results]) });
}
export function ctrl(alternatives: number): CtrlType {
  if (!Number.isInteger(alternatives) || alternatives < 1) {
    throw new RangeError(`ctrl arity must be a positive integer, got ${alternatives}`);
  }
  return intern({ kind: 'ctrl', alternatives });
}

export function isScalar(type: Type): type is ScalarType {
  return type.kind === 'bool' || type.kind === 'int' || type.kind === 'float';
}
export function isState(type: Type): type is StateType {
  return type.kind === 'state';
}
export function isInteger(type: Type): type is IntType {
  return type.kind === 'int';
}
export function isFloat(type: Type): type is FloatType {
  return type.kind === 'float';
}
/** Integers of 64 bits are represented by bigint values; all other scalars by number or boolean. */
export function isBigIntType(type: Type): boolean {
  return type.kind === 'int' && type.bits === 64;
}

/** True when the type mentions the "not yet inferred" placeholder anywhere. */
export function containsUnknown(type: Type): boolean {
  switch (type.kind) {
    case 'unknown':
      return true;
    case 'tuple':
      return type.elements.some(containsUnknown);
    case 'fn':
      return type.params.some(containsUnknown) || type.results.some(containsUnknown);
    default:
      return false;
  }
}

function layoutSuffix(type: ArrayType): string {
  const commas = ','.repeat(type.rank - 1);
  const layout = type.layout === 'C' ? '' : `:${type.layout}`;
  return `[${commas}${layout}]`;
}

/** The text form of a type, as used by the printer, the parser and diagnostics. */
export function typeToString(type: Type): string {
  switch (type.kind) {
    case 'bool':
      return 'bool';
    case 'int':
      return `${type.signed ? 'i' : 'u'}${type.bits}`;
    case 'float':
      return `f${type.bits}`;
    case 'array':
      return `${type.clamped ? 'u8c' : typeToString(type.element)}${layoutSuffix(type)}`;
    case 'tuple':
      return `tuple<${type.elements.map(typeToString).join(', ')}>`;
    case 'fn':
      return `fn(${type.params.map(typeToString).join(', ')}) -> (${type.results.map(typeToString).join(', ')})`;
    case 'ctrl':
      return `ctrl<${type.alternatives}>`;
    case 'state':
      return type.state;
    case 'unknown':
      return '?';
  }
}
