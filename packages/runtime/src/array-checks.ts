import { overriddenMember } from './typed-array-members.js';

/*
 * The checks a TypedArray argument passes before native code gets its memory,
 * shared by the dispatcher's slow path (jit.ts, which says what is wrong) and
 * the generated fast paths (fast-call.ts, which only tell good from bad).
 *
 * %TypedArray%.prototype getters and ArrayBuffer.prototype.resizable are
 * called on the real object, so that subclasses overriding `buffer` or
 * `byteLength` cannot hide what native code will see.
 */
const typedArrayProto = Object.getPrototypeOf(Int8Array.prototype) as object;
const getter = (proto: object, name: string | symbol) =>
  Object.getOwnPropertyDescriptor(proto, name)?.get as (this: unknown) => unknown;
export const tagOf = getter(typedArrayProto, Symbol.toStringTag);
export const bufferOf = getter(typedArrayProto, 'buffer') as (this: unknown) => ArrayBufferLike;
export const byteLengthOf = getter(typedArrayProto, 'byteLength') as (this: unknown) => number;
const resizableOf = getter(ArrayBuffer.prototype, 'resizable') as ((this: unknown) => boolean) | undefined;

/**
 * True for an ArrayBuffer that is neither resizable nor shared (the
 * `resizable` getter throws on a SharedArrayBuffer). Anything else takes
 * the slow path, which says what is wrong with it.
 */
export function isPlainBuffer(buffer: unknown): boolean {
  if (resizableOf === undefined) return true;
  try {
    return !resizableOf.call(buffer);
  } catch {
    return false;
  }
}

function isDetached(buffer: ArrayBufferLike): boolean {
  try {
    ArrayBuffer.prototype.slice.call(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Why native code must not receive this TypedArray, or undefined. Shared
 * memory can change under the compiled code's feet (other threads), a
 * resizable buffer could shrink while native code holds its length, and a
 * detached one has no memory at all.
 */
export function bufferProblem(array: unknown): string | undefined {
  const buffer = bufferOf.call(array);
  let resizable: boolean;
  try {
    resizable = resizableOf ? resizableOf.call(buffer) : false;
  } catch {
    return 'is backed by a SharedArrayBuffer, which jitted code does not accept (other threads could change it during the call); copy it into an ArrayBuffer';
  }
  if (resizable) {
    return 'is backed by a resizable ArrayBuffer, which jitted code does not accept (its length could change during the call)';
  }
  if (byteLengthOf.call(array) === 0 && isDetached(buffer)) return 'is on a detached ArrayBuffer';
  return undefined;
}

/** Why this TypedArray's `length` or iterator would differ under V8 (see typed-array-members.ts), or undefined. */
export function memberProblem(array: object, code: number): string | undefined {
  const member = overriddenMember(array, code);
  if (member === undefined) return undefined;
  return `has its own ${member} (a subclass or the object redefines it), which jitted code would not call: V8 runs it, compiled code reads the array itself; pass a plain TypedArray`;
}
