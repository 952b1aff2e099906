import { types } from 'node:util';
import { argumentKinds } from './signature.js';

/**
 * Compiled code reads a TypedArray's length from its internal slot, and
 * `for...of` walks its elements directly. JavaScript instead runs whatever
 * `a.length` and `a[Symbol.iterator]` resolve to, so a subclass (or an
 * instance) that redefines them would see other values under V8 than under
 * jit. Such arguments are refused; this finds them.
 */

const typedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype) as object;
const intrinsicLength = Object.getOwnPropertyDescriptor(typedArrayPrototype, 'length')?.get;
const intrinsicValues = (typedArrayPrototype as { values: unknown }).values;

/** The members compiled code implements itself, the built-in each must resolve to, and that built-in's source text. */
const members: readonly {
  name: string;
  key: string | symbol;
  read: 'get' | 'value';
  intrinsic: unknown;
  text: string;
}[] = [
  {
    name: 'length',
    key: 'length',
    read: 'get',
    intrinsic: intrinsicLength,
    text: 'function get length() { [native code] }',
  },
  {
    name: '[Symbol.iterator]',
    key: Symbol.iterator,
    read: 'value',
    intrinsic: intrinsicValues,
    text: 'function values() { [native code] }',
  },
];

/** By kind code: the prototype of the plain constructor (Float64Array.prototype, ...), whose instances need no further look. */
const plainPrototypes: readonly unknown[] = (() => {
  const byCode: unknown[] = [];
  for (const k of argumentKinds) {
    if (k.typedArray)
      byCode[k.code] = (globalThis as unknown as Record<string, { prototype: object }>)[k.name]?.prototype;
  }
  return byCode;
})();

/** The prototype of the plain TypedArray constructor of kind `code` (Float64Array.prototype for 12, ...). */
export function plainPrototypeOf(code: number): unknown {
  return plainPrototypes[code];
}

const functionText = Function.prototype.toString;

/** Whether `value` is the built-in: this realm's, or (same native source text) another realm's. */
function isIntrinsic(value: unknown, intrinsic: unknown, nativeText: string): boolean {
  if (value === intrinsic) return true;
  if (typeof value !== 'function' || types.isProxy(value)) return false;
  return functionText.call(value) === nativeText;
}

/**
 * The name of the member of `array` (a real TypedArray of kind `code`) that
 * JavaScript would not resolve to the built-in, or undefined when there is
 * none. The common case, a plain instance without own `length` or iterator,
 * costs a prototype read and two own-property tests.
 */
export function overriddenMember(array: object, code: number): string | undefined {
  if (
    plainPrototypes[code] === Object.getPrototypeOf(array) &&
    !Object.hasOwn(array, 'length') &&
    !Object.hasOwn(array, Symbol.iterator)
  ) {
    return undefined;
  }
  // A subclass, an array of another realm, or own properties: find what each member lookup would run.
  for (const { name, key, read, intrinsic, text } of members) {
    let resolved: unknown;
    for (let o: object | null = array; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      // A proxy on the chain could answer each lookup differently.
      if (types.isProxy(o)) return name;
      const descriptor = Object.getOwnPropertyDescriptor(o, key);
      if (descriptor) {
        resolved = descriptor[read];
        break;
      }
    }
    if (!isIntrinsic(resolved, intrinsic, text)) return name;
  }
  return undefined;
}
