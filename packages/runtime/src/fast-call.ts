import { unit } from '@rvsdg/ir';
import { kindByCode } from './signature.js';
import { plainPrototypeOf } from './typed-array-members.js';
import { bufferOf, byteLengthOf, isPlainBuffer, tagOf } from './array-checks.js';
import { copyNumbers, writeBack } from './plain-arrays.js';

// A JavaScript function of any signature.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

/**
 * Calls with arguments the guards did not accept: validates them all (raising
 * the error a bad argument deserves), finds or compiles their specialization,
 * makes it the fast path's, and calls it.
 */
export type SlowCall = (this: unknown, args: ArrayLike<unknown>) => unknown;

/**
 * The arguments of a native function for `args` of kinds `codes`: each
 * TypedArray followed by its ArrayBuffer (the backend's `arrayArguments:
 * 'unpacked'`), undefined and function arguments left out (they are facts
 * of the specialization, constants in its code), then the TypedArrays read
 * from scopes (`globals`), unpacked the same way. For arguments the full
 * checks have accepted.
 */
export function unpackArguments(
  args: ArrayLike<unknown>,
  codes: readonly number[],
  globals: readonly unknown[] = [],
): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < codes.length; i++) {
    const a = args[i];
    const kind = kindByCode(codes[i] as number);
    if (kind === undefined || kind.type === unit) continue;
    if (kind.typedArray) out.push(a, bufferOf.call(a));
    else out.push(a);
  }
  for (const g of globals) out.push(g, bufferOf.call(g));
  return out;
}

let serial = 0;

/**
 * The guard of one parameter of kind `code`, true when the argument `a` needs
 * no further look: a number, a boolean, a BigInt that fits in i64, or a
 * TypedArray of the expected kind whose own prototype is the plain
 * constructor's, without own `length` or iterator (see
 * typed-array-members.ts), with a non-empty attached buffer (a detached one
 * has byte length 0) that is neither resizable nor shared. These are
 * exactly the conditions under which the slow path's checks pass; an empty
 * array or a subclass simply takes the slow path.
 */
function guard(a: string, code: number, i: number): string {
  switch (code) {
    case 1:
      return `typeof ${a} === 'number'`;
    case 2:
      return `typeof ${a} === 'boolean'`;
    case 3:
      return `typeof ${a} === 'bigint' && asIntN(64, ${a}) === ${a}`;
    default: {
      const name = kindByCode(code)?.name;
      if (name === undefined) throw new Error(`no argument kind ${code}`);
      return (
        `tagOf.call(${a}) === '${name}' && getPrototypeOf(${a}) === proto${i} && ` +
        `byteLengthOf.call(${a}) !== 0 && !hasOwn(${a}, 'length') && !hasOwn(${a}, iterator) && ` +
        `isPlainBuffer((b${i} = bufferOf.call(${a})))`
      );
    }
  }
}

/**
 * The fast path of one specialization: a function of the specialization's
 * parameters that checks each argument inline against its kind and calls
 * the native function, or hands the arguments to `slow` when any check
 * fails. Generated with its own source text (a serial number in a comment)
 * so that V8 keeps separate type feedback for every specialization, sees
 * one native target at its call, and inlines the checks.
 */
export function fastCall(
  codes: readonly number[],
  native: AnyFunction,
  slow: SlowCall,
  /** Throws the error as JavaScript would see it, or returns what a raise standing for a return returns. */
  relocate: (error: unknown) => unknown,
  globals: readonly unknown[] = [],
): AnyFunction {
  const params = codes.map((_, i) => `a${i}`);
  // Plain Arrays read from scopes are copied into Float64Arrays at each call and written back after (plain-arrays.ts).
  const arrays = globals.flatMap((g, k) => (Array.isArray(g) ? [k] : []));
  // The TypedArrays read from scopes (see unpackArguments): their buffers never change, but may be detached (byte length 0).
  const globalBuffers = globals.map((g) => (Array.isArray(g) ? undefined : bufferOf.call(g)));
  const globalGuards = globals.map((g, k) =>
    Array.isArray(g)
      ? `(c${k} = copyNumbers(g${k})) !== undefined`
      : isPlainBuffer(globalBuffers[k])
        ? `byteLengthOf.call(g${k}) !== 0`
        : 'false',
  );
  const guards = [...codes.map((code, i) => `(${guard(params[i] as string, code, i)})`), ...globalGuards].join(
    ' &&\n      ',
  );
  const prototypes = codes.map((code) => (code >= 4 ? plainPrototypeOf(code) : undefined));
  const buffers = codes.flatMap((code, i) => (code >= 4 ? [`b${i}`] : []));
  // The native function takes each TypedArray followed by its buffer (see unpackArguments); the guard has read it.
  const nativeArgs = [
    ...codes.map((code, i) => (code >= 4 ? `a${i}, b${i}` : `a${i}`)),
    ...globals.map((g, k) => (Array.isArray(g) ? `c${k}, bufferOf.call(c${k})` : `g${k}, gb${k}`)),
  ];
  const locals = [...buffers, ...arrays.map((k) => `c${k}`)];
  const call =
    arrays.length === 0
      ? `return native(${nativeArgs.join(', ')});`
      : `const r = native(${nativeArgs.join(', ')});
        ${arrays.map((k) => `if (r === c${k}) return g${k};`).join('\n        ')}
        return r;`;
  const body = `
    return function fast(${params.join(', ')}) { // #${serial++} ${codes.join(',')}
      ${locals.length > 0 ? `let ${locals.join(', ')};` : ''}
      if (!(${guards || 'true'})) return slow.call(this, [${params.join(', ')}]);
      try {
        ${call}
      } catch (error) {
        return relocate(error);
      }${
        arrays.length === 0
          ? ''
          : ` finally {
        ${arrays.map((k) => `writeBack(g${k}, c${k});`).join('\n        ')}
      }`
      }
    };`;
  const names = [
    'native',
    'slow',
    'relocate',
    'tagOf',
    'bufferOf',
    'byteLengthOf',
    'isPlainBuffer',
    'getPrototypeOf',
    'hasOwn',
    'iterator',
    'asIntN',
    'copyNumbers',
    'writeBack',
    ...prototypes.map((_, i) => `proto${i}`),
    ...globals.map((_, k) => `g${k}`),
    ...globals.map((_, k) => `gb${k}`),
  ];
  const values = [
    native,
    slow,
    relocate,
    tagOf,
    bufferOf,
    byteLengthOf,
    isPlainBuffer,
    Object.getPrototypeOf,
    Object.hasOwn,
    Symbol.iterator,
    BigInt.asIntN,
    copyNumbers,
    writeBack,
    ...prototypes,
    ...globals,
    ...globalBuffers,
  ];
  return new Function(...names, body)(...values) as AnyFunction;
}

/**
 * The function `jit` returns for `arity` parameters: one named parameter per
 * argument (no rest array, no spread), the count checked, then the current
 * fast path called. `setFast` replaces that fast path (when another
 * signature is called). Generated per jitted function, so that call sites
 * in different jitted functions keep their own feedback.
 */
export function dispatcher(
  arity: number,
  slow: SlowCall,
  first: AnyFunction,
): { call: AnyFunction; setFast: (fast: AnyFunction) => void } {
  const params = Array.from({ length: arity }, (_, i) => `a${i}`);
  const body = `
    let fast = first;
    return {
      call: function jitted(${params.join(', ')}) { // #${serial++}
        if (arguments.length !== ${arity}) return slow.call(this, arguments);
        return fast.call(this, ${params.join(', ')});
      },
      setFast: (f) => { fast = f; },
    };`;
  return new Function('slow', 'first', body)(slow, first) as {
    call: AnyFunction;
    setFast: (fast: AnyFunction) => void;
  };
}
