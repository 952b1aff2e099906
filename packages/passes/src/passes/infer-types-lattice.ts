import {
  array,
  bool,
  f32,
  f64,
  i16,
  i32,
  i64,
  i8,
  typeToString,
  u16,
  u32,
  u64,
  u8,
  type ArrayType,
  type LambdaNode,
  type SourceLoc,
  type Type,
} from '@rvsdg/ir';

/**
 * The abstract values type inference computes for each JavaScript value.
 * IR types stand for the JavaScript types they represent (f64 = number,
 * i64 = BigInt, bool = boolean, arrays = TypedArrays); the other elements
 * have no run-time representation:
 * - `never`: no value ever flows here (unassigned variables read as `undef`,
 *   results of code that always throws) — the bottom of the lattice;
 * - `undefined`: JavaScript's `undefined`, a value of which there is only
 *   one, so it needs no register;
 * - `conflict`: different types on different paths — an error where used;
 * - `fnref`: a function known at compile time (only ever called).
 */
export interface NeverLat {
  readonly kind: 'never';
}
export interface UndefinedLat {
  readonly kind: 'undefined';
}
export interface ConflictLat {
  readonly kind: 'conflict';
  readonly a: Sourced;
  readonly b: Sourced;
}
export interface FnRefLat {
  readonly kind: 'fnref';
  readonly lambda: LambdaNode;
}
export type Lat = Type | NeverLat | UndefinedLat | ConflictLat | FnRefLat;

/** An abstract value with the position of the code that produced it, for messages. */
export interface Sourced {
  readonly lat: Lat;
  readonly loc?: SourceLoc | undefined;
}

export const never: NeverLat = Object.freeze({ kind: 'never' });
export const undefinedLat: UndefinedLat = Object.freeze({ kind: 'undefined' });

/** A lattice element with a run-time value (an IR type). */
export function isMaterial(lat: Lat): lat is Type {
  return lat.kind !== 'never' && lat.kind !== 'undefined' && lat.kind !== 'conflict' && lat.kind !== 'fnref';
}

export function sameLat(a: Lat, b: Lat): boolean {
  if (a === b) return true;
  if (a.kind === 'fnref' && b.kind === 'fnref') return a.lambda === b.lambda;
  return false;
}

/** Least upper bound: never is neutral, equal types stay, anything else is a conflict (keeping the first one found). */
export function join(a: Sourced, b: Sourced): Sourced {
  if (a.lat.kind === 'never') return b;
  if (b.lat.kind === 'never') return a;
  if (a.lat.kind === 'conflict') return a;
  if (b.lat.kind === 'conflict') return b;
  if (sameLat(a.lat, b.lat)) return a.loc || !b.loc ? a : b;
  return { lat: { kind: 'conflict', a, b }, loc: a.loc ?? b.loc };
}

/** A stable text key for specialization tables. */
export function latKey(lat: Lat): string {
  if (isMaterial(lat)) return typeToString(lat);
  if (lat.kind === 'fnref') return `fn#${lat.lambda.id}`;
  return lat.kind === 'conflict' ? '!conflict' : lat.kind;
}

const arrayNames = new Map<Type, string>([
  [i8, 'Int8Array'],
  [u8, 'Uint8Array'],
  [i16, 'Int16Array'],
  [u16, 'Uint16Array'],
  [i32, 'Int32Array'],
  [u32, 'Uint32Array'],
  [f32, 'Float32Array'],
  [f64, 'Float64Array'],
  [i64, 'BigInt64Array'],
  [u64, 'BigUint64Array'],
]);

/** JavaScript's name for the TypedArray class an array type stands for. */
export function typedArrayName(type: ArrayType): string {
  if (type.clamped) return 'Uint8ClampedArray';
  return arrayNames.get(type.element) ?? `${typeToString(type)} array`;
}

/** The array type of `new <name>(n)`, or undefined for names that are not TypedArray classes. */
export function arrayTypeOfName(name: string): ArrayType | undefined {
  if (name === 'Uint8ClampedArray') return array(u8, { clamped: true });
  for (const [element, n] of arrayNames) if (n === name) return array(element as typeof u8);
  return undefined;
}

/** How a message names a value of this abstract type: "a number", "undefined", "a Float64Array". */
export function describeLat(lat: Lat): string {
  if (lat === f64) return 'a number';
  if (lat === i64) return 'a BigInt';
  if (lat === bool) return 'a boolean';
  switch (lat.kind) {
    case 'never':
      return 'nothing';
    case 'undefined':
      return 'undefined';
    case 'conflict':
      return `${describeLat(lat.a.lat)} or ${describeLat(lat.b.lat)}`;
    case 'fnref':
      return `the function '${lat.lambda.name}'`;
    case 'array':
      return `a ${typedArrayName(lat)}`;
    default:
      return `a value of type ${typeToString(lat)}`;
  }
}

/** The abstract type of a JavaScript argument value (number -> f64, bigint -> i64, TypedArrays by class). */
export function typeOfJsValue(value: unknown): Type | undefined {
  switch (typeof value) {
    case 'number':
      return f64;
    case 'bigint':
      return i64;
    case 'boolean':
      return bool;
    case 'object':
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        return arrayTypeOfName((value as { constructor: { name: string } }).constructor.name);
      }
      return undefined;
    default:
      return undefined;
  }
}
