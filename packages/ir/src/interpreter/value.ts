import type { ArrayType, FunctionType, ScalarType, Type } from '../types/type.js';

export type AnyTypedArray =
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** A state token: the value carried by `mem` and `io` edges. */
export interface StateToken {
  readonly kind: 'state';
  readonly state: 'mem' | 'io';
}
export const memToken: StateToken = Object.freeze({ kind: 'state', state: 'mem' });
export const ioToken: StateToken = Object.freeze({ kind: 'state', state: 'io' });

/** A function value produced by a lambda (or passed in as an import). */
export interface FunctionValue {
  readonly kind: 'function';
  readonly name: string;
  readonly type: FunctionType;
  invoke(args: readonly Value[]): readonly Value[];
}

/**
 * What flows along an edge at interpretation time: booleans for bool,
 * numbers for floats and integers up to 32 bits, bigints for 64-bit
 * integers, numbers for ctrl, TypedArrays for arrays, arrays for tuples.
 * Untyped (`?`) edges carry any of these, plus `undefined`.
 */
export type Value =
  number | bigint | boolean | undefined | AnyTypedArray | StateToken | FunctionValue | readonly Value[];

type TypedArrayConstructor = new (length: number) => AnyTypedArray;

export function typedArrayConstructor(type: ArrayType): TypedArrayConstructor {
  if (type.clamped) return Uint8ClampedArray;
  return elementConstructor(type.element);
}

function elementConstructor(element: ScalarType): TypedArrayConstructor {
  switch (element.kind) {
    case 'bool':
      return Uint8Array;
    case 'float':
      return element.bits === 32 ? Float32Array : Float64Array;
    case 'int':
      switch (element.bits) {
        case 8:
          return element.signed ? Int8Array : Uint8Array;
        case 16:
          return element.signed ? Int16Array : Uint16Array;
        case 32:
          return element.signed ? Int32Array : Uint32Array;
        case 64:
          return element.signed ? BigInt64Array : BigUint64Array;
      }
  }
}

export function isTypedArray(value: unknown): value is AnyTypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** Reduces an integer to the range of an integer type (two's complement wrap-around). */
export function wrapInt(value: number | bigint, type: { signed: boolean; bits: number }): number | bigint {
  if (type.bits === 64) {
    const big = typeof value === 'bigint' ? value : BigInt(value);
    return type.signed ? BigInt.asIntN(64, big) : BigInt.asUintN(64, big);
  }
  const num = typeof value === 'bigint' ? Number(BigInt.asIntN(32, value)) : value;
  switch (type.bits) {
    case 8:
      return type.signed ? (num << 24) >> 24 : num & 0xff;
    case 16:
      return type.signed ? (num << 16) >> 16 : num & 0xffff;
    default:
      return type.signed ? num | 0 : num >>> 0;
  }
}

/** True when the value is a valid representation of a value of the type. */
export function valueHasType(value: Value, type: Type): boolean {
  switch (type.kind) {
    case 'bool':
      return typeof value === 'boolean';
    case 'int':
      if (type.bits === 64) return typeof value === 'bigint' && wrapInt(value, type) === value;
      return (
        typeof value === 'number' && Number.isInteger(value) && wrapInt(value, type) === value && !Object.is(value, -0)
      );
    case 'float':
      return typeof value === 'number' && (type.bits === 64 || Object.is(Math.fround(value), value));
    case 'array':
      return isTypedArray(value) && value.constructor === typedArrayConstructor(type);
    case 'tuple':
      return (
        Array.isArray(value) &&
        value.length === type.elements.length &&
        type.elements.every((t, i) => valueHasType((value as readonly Value[])[i], t))
      );
    case 'fn':
      return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'function';
    case 'ctrl':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < type.alternatives;
    case 'state':
      return (
        typeof value === 'object' &&
        value !== null &&
        'kind' in value &&
        value.kind === 'state' &&
        value.state === type.state
      );
    case 'unknown':
      return true;
  }
}
