import {
  array,
  bool,
  f32,
  f64,
  fn,
  i16,
  i32,
  i64,
  i8,
  u16,
  u32,
  u64,
  u8,
  typeToString,
  unit,
  type Type,
} from '@rvsdg/ir';

/**
 * What JavaScript can pass to a jitted function, and the IR type each kind
 * of argument specializes to. `code` is a small positive integer used to
 * build dispatch keys quickly; `name` is what users and messages call it.
 */
export interface ArgumentKind {
  readonly code: number;
  /** The JavaScript name: `number`, `boolean`, `bigint` or a TypedArray constructor name. */
  readonly name: string;
  /** The IR type of the parameter: f64 for numbers, i64 for BigInts, an array type for TypedArrays. */
  readonly type: Type;
  readonly typedArray: boolean;
}

const kindList: readonly ArgumentKind[] = [
  { code: 1, name: 'number', type: f64, typedArray: false },
  { code: 2, name: 'boolean', type: bool, typedArray: false },
  { code: 3, name: 'bigint', type: i64, typedArray: false },
  { code: 4, name: 'Int8Array', type: array(i8), typedArray: true },
  { code: 5, name: 'Uint8Array', type: array(u8), typedArray: true },
  { code: 6, name: 'Uint8ClampedArray', type: array(u8, { clamped: true }), typedArray: true },
  { code: 7, name: 'Int16Array', type: array(i16), typedArray: true },
  { code: 8, name: 'Uint16Array', type: array(u16), typedArray: true },
  { code: 9, name: 'Int32Array', type: array(i32), typedArray: true },
  { code: 10, name: 'Uint32Array', type: array(u32), typedArray: true },
  { code: 11, name: 'Float32Array', type: array(f32), typedArray: true },
  { code: 12, name: 'Float64Array', type: array(f64), typedArray: true },
  { code: 13, name: 'BigInt64Array', type: array(i64), typedArray: true },
  { code: 14, name: 'BigUint64Array', type: array(u64), typedArray: true },
  // An omitted argument or `undefined`: a compile-time fact of the specialization, passed as nothing.
  { code: 15, name: 'undefined', type: unit, typedArray: false },
];

/** Every kind of argument a jitted function accepts. */
export const argumentKinds: readonly ArgumentKind[] = kindList;

const byCode: readonly (ArgumentKind | undefined)[] = [undefined, ...kindList];
const byName = new Map(kindList.map((k) => [k.name, k]));
const byType = new Map<Type, ArgumentKind>(kindList.map((k) => [k.type, k]));
const typedArrayCodes = new Map(kindList.filter((k) => k.typedArray).map((k) => [k.name, k.code]));

/**
 * %TypedArray%.prototype[Symbol.toStringTag] is the one check that cannot be
 * fooled: it returns the real kind of any TypedArray (subclasses included)
 * and undefined for everything else, own `Symbol.toStringTag` properties and
 * proxies notwithstanding.
 */
const typedArrayTag = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Int8Array.prototype) as object,
  Symbol.toStringTag,
)?.get as (this: unknown) => string | undefined;

/** The kind code of an argument, or 0 when JavaScript cannot pass it to jitted code. */
export function kindCodeOf(value: unknown): number {
  switch (typeof value) {
    case 'number':
      return 1;
    case 'boolean':
      return 2;
    case 'bigint':
      return 3;
    case 'undefined':
      return 15;
    case 'object': {
      if (value === null) return 0;
      const tag = typedArrayTag.call(value);
      return tag === undefined ? 0 : (typedArrayCodes.get(tag) ?? 0);
    }
    default:
      return 0;
  }
}

export function kindByCode(code: number): ArgumentKind | undefined {
  return byCode[code];
}

/** The kind of a JS-visible parameter type (f64, bool, i64 or one of the TypedArray array types). */
export function kindOfType(type: Type): ArgumentKind | undefined {
  return byType.get(type);
}

/** The parameter type native code gets for a value read from a scope: a TypedArray's, or `f64[]` for a plain Array of numbers (copied at each call). */
export function scopeValueType(value: unknown): Type | undefined {
  return kindOf(value)?.type ?? (Array.isArray(value) ? array(f64) : undefined);
}

/** The argument kind of a value, or undefined when it cannot be passed. */
export function kindOf(value: unknown): ArgumentKind | undefined {
  return byCode[kindCodeOf(value)];
}

/** A short description of a value for messages: `string`, `null`, `undefined`, `Array`, `Float64Array`, `object (Map)`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  const type = typeof value;
  if (type !== 'object') return type;
  const tag = typedArrayTag.call(value);
  if (tag !== undefined) return tag;
  if (Array.isArray(value)) return 'Array';
  if (value instanceof DataView) return 'DataView';
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  const name = typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : '';
  return name && name !== 'Object' ? `object (${name})` : 'object';
}

/** A signature: the IR types of the parameters, and of the results once compiled. */
export interface Signature {
  readonly params: readonly Type[];
  /** Non-state results of the compiled function; absent until compiled (or when the text gave none). */
  readonly results?: readonly Type[];
}

/**
 * The parameter type of a function argument: the specialization is on the
 * function's identity (it is compiled with the rest and passed as nothing).
 */
export const functionArgument: Type = fn([], []);

/** The kind code of a function argument in dispatch keys (never a key digit: those keys are strings). */
export const functionCode = 16;

function typeText(type: Type): string {
  if (type === functionArgument) return 'function';
  return type === unit ? 'undefined' : typeToString(type);
}

/** `(f64, f64[])`: the part of a signature that selects a specialization. */
export function printParams(params: readonly Type[]): string {
  return `(${params.map(typeText).join(', ')})`;
}

/** `(f64, f64[]) -> f64`; a function without a result prints `-> undefined`, several results as a tuple. */
export function printSignature(signature: Signature): string {
  const params = printParams(signature.params);
  if (!signature.results) return params;
  const { results } = signature;
  const result =
    results.length === 0
      ? 'undefined'
      : results.length === 1
        ? typeText(results[0] as Type)
        : `(${results.map(typeText).join(', ')})`;
  return `${params} -> ${result}`;
}

/** Error in the text of a signature, with the offending text. */
export class SignatureSyntaxError extends SyntaxError {
  constructor(
    readonly text: string,
    readonly reason: string,
  ) {
    super(`invalid signature '${text}': ${reason}`);
    this.name = 'SignatureSyntaxError';
  }
}

const scalarNames: Readonly<Record<string, Type>> = { f64, i64, bool, number: f64, bigint: i64, boolean: bool };
const elementNames: Readonly<Record<string, Type>> = {
  i8: array(i8),
  u8: array(u8),
  u8c: array(u8, { clamped: true }),
  i16: array(i16),
  u16: array(u16),
  i32: array(i32),
  u32: array(u32),
  f32: array(f32),
  f64: array(f64),
  i64: array(i64),
  u64: array(u64),
};
const resultScalars: Readonly<Record<string, Type>> = { i8, u8, i16, u16, i32, u32, f32, f64, i64, u64, bool };

/**
 * One parameter type as written in a signature: the IR spelling (`f64`,
 * `i64`, `bool`, `f64[]`, `u8c[]`) or the JavaScript one (`number`,
 * `bigint`, `boolean`, `Float64Array`).
 */
export function parseParamType(word: string, text = word): Type {
  const trimmed = word.trim();
  const scalar = scalarNames[trimmed];
  if (scalar) return scalar;
  const js = byName.get(trimmed);
  if (js) return js.type;
  const arrayMatch = /^(\w+)\s*\[\s*\]$/.exec(trimmed);
  if (arrayMatch) {
    const element = elementNames[arrayMatch[1] as string];
    if (element) return element;
    throw new SignatureSyntaxError(text, `'${trimmed}' is not the type of a TypedArray`);
  }
  if (resultScalars[trimmed]) {
    throw new SignatureSyntaxError(
      text,
      `'${trimmed}' is not a type JavaScript can pass: numbers are f64, BigInts i64, booleans bool`,
    );
  }
  throw new SignatureSyntaxError(
    text,
    `unknown type '${trimmed}' (expected number, boolean, bigint, a TypedArray name, or f64, i64, bool, <element>[])`,
  );
}

function parseResultType(word: string, text: string): readonly Type[] {
  const trimmed = word.trim();
  if (trimmed === 'undefined' || trimmed === 'void') return [];
  const scalar = resultScalars[trimmed];
  if (scalar) return [scalar];
  return [parseParamType(trimmed, text)];
}

function splitList(inner: string): string[] {
  return inner.trim() === '' ? [] : inner.split(',');
}

/** Parses `(f64, f64[]) -> f64`, `(number, Float64Array)` or `()`; the result part is optional. */
export function parseSignature(text: string): Signature {
  const match = /^\s*\(([^()]*)\)\s*(?:->\s*(.+?))?\s*$/.exec(text);
  if (!match) throw new SignatureSyntaxError(text, "expected '(type, ...)' optionally followed by '-> type'");
  const params = splitList(match[1] as string).map((word) => {
    if (word.trim() === '') throw new SignatureSyntaxError(text, 'empty parameter type');
    return parseParamType(word, text);
  });
  const resultText = match[2];
  return resultText === undefined ? { params } : { params, results: parseResultType(resultText, text) };
}

/** A dispatch key for a list of kind codes (the same function computes it for arguments). */
export function keyOfCodes(codes: readonly number[]): number | string {
  if (codes.length <= maxNumericKeyParams) {
    let key = 0;
    for (let i = codes.length - 1; i >= 0; i--) key = key * 16 + (codes[i] as number);
    return key;
  }
  return codes.join(',');
}

/** Kind codes fit in 4 bits; 13 of them fit in a double's 53-bit mantissa. */
export const maxNumericKeyParams = 13;

/** The kind codes of a parameter list, or a description of the first type JavaScript cannot pass. */
export function codesOfParams(params: readonly Type[]): number[] {
  return params.map((type) => {
    const kind = kindOfType(type);
    if (!kind) throw new TypeError(`${typeToString(type)} is not a type JavaScript can pass`);
    return kind.code;
  });
}

/** What JavaScript receives for a result type: `number`, `boolean`, `bigint`, a TypedArray name or `undefined`. */
export function jsResultKind(results: readonly Type[]): string {
  if (results.length === 0) return 'undefined';
  if (results.length > 1) return 'Array';
  const type = results[0] as Type;
  switch (type.kind) {
    case 'bool':
      return 'boolean';
    case 'float':
      return 'number';
    case 'int':
      return type.bits === 64 ? 'bigint' : 'number';
    default:
      return kindOfType(type)?.name ?? typeToString(type);
  }
}

const ordinals = ['th', 'st', 'nd', 'rd'];

/** 1st, 2nd, 3rd, 4th, 11th, 21st ... */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : (ordinals[n % 10] ?? 'th');
  return `${n}${suffix}`;
}
