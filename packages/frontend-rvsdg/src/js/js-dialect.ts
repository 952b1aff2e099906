import {
  bool,
  defaultRegistry,
  isTypedArray,
  maxArrayLength,
  OpError,
  pureOp,
  typeToString,
  unknown,
  type AnyTypedArray,
  type Attrs,
  type Dialect,
  type Effect,
  type EvalContext,
  type IRValue,
  type OpDef,
  type OpRegistry,
  type OperandSpec,
  type OpSignature,
  type Type,
} from '@rvsdg/ir';

/**
 * The `js` dialect: ops on untyped (`?`) values with exactly the meaning
 * JavaScript gives the corresponding operator or built-in, for the values
 * the frontend produces (numbers, booleans, BigInts, `undefined` and
 * TypedArrays). Type inference later replaces them with typed ops.
 *
 * State convention: an op that can throw for some operands (BigInt mixed
 * with numbers, `+x` on a BigInt, out-of-range TypedArray accesses, ...)
 * takes the memory state as its last operand and returns it as its last
 * result, so throws stay ordered with stores and calls. Ops that never throw
 * on these values are pure and take no state.
 *
 * Where V8 would produce something compiled code cannot represent (a string
 * from `+` on a TypedArray) or silently read `undefined` out of range, the op
 * throws a clear error instead (the semantics contract: same result as V8,
 * or a JavaScript error).
 */

type JsValue = IRValue;

/** JavaScript TypeErrors and RangeErrors raised while evaluating become program errors of the same class. */
function asProgramError(error: unknown, context: EvalContext): unknown {
  if (error instanceof OpError) return error;
  if (error instanceof TypeError) return new OpError('TypeError', error.message, context.loc);
  if (error instanceof RangeError) return new OpError('RangeError', error.message, context.loc);
  return error;
}

function valueOperands(operands: readonly Type[], count: number | 'any', name: string): string | undefined {
  if (count !== 'any' && operands.length !== count) return `expects ${count} operand(s), got ${operands.length}`;
  for (const t of operands) {
    if (t.kind === 'state' || t.kind === 'ctrl') return `${name} operands must be values, got ${typeToString(t)}`;
  }
  return undefined;
}

function stateLast(operands: readonly Type[]): string | undefined {
  const last = operands[operands.length - 1];
  if (last?.kind !== 'state' || last.state !== 'mem') return 'the last operand must be mem';
  return undefined;
}

/** A result that compiled code cannot hold: strings (TypedArrays converted to text) and objects. */
function checkRepresentable(value: unknown, what: string): JsValue {
  if (typeof value === 'string') {
    throw new TypeError(`${what} produced a string (an operand was converted to text); strings are not supported`);
  }
  return value as JsValue;
}

interface JsOpSpec {
  readonly name: string;
  readonly summary: string;
  /** Number of value operands, or 'any' for variadic ops. */
  readonly arity: number | 'any';
  /** Names of the value operands in the op reference (default x, or a and b). */
  readonly operandNames?: readonly string[];
  readonly attrs?: OpDef['attrs'];
  readonly result?: Type;
  readonly checkAttrs?: (attrs: Attrs) => string | undefined;
  readonly meaning: (operands: readonly JsValue[], attrs: Attrs) => JsValue;
}

/** What `typeof` can answer. */
export const typeofResults: ReadonlySet<string> = new Set([
  'number',
  'bigint',
  'boolean',
  'undefined',
  'object',
  'function',
  'string',
  'symbol',
]);

function valueSpecs(spec: JsOpSpec): OperandSpec[] {
  if (spec.arity === 'any') return [{ name: 'args', type: '?', variadic: true }];
  const names = spec.operandNames ?? (spec.arity === 1 ? ['x'] : ['a', 'b', 'c'].slice(0, spec.arity));
  return names.map((name) => ({ name, type: '?' }));
}

function jsSignature(spec: JsOpSpec, withState: boolean): OpSignature {
  const result = { name: 'result', type: typeToString(spec.result ?? unknown) };
  const mem = { name: 'mem', type: 'mem' };
  return withState
    ? { operands: [...valueSpecs(spec), mem], results: [result, mem] }
    : { operands: valueSpecs(spec), results: [result] };
}

/** An op that never throws on frontend values: no state. */
function pureJsOp(spec: JsOpSpec): OpDef {
  const result = spec.result ?? unknown;
  return pureOp({
    name: spec.name,
    summary: spec.summary,
    signature: jsSignature(spec, false),
    ...(spec.attrs ? { attrs: spec.attrs } : {}),
    typeOf(operands, attrs) {
      const attrError = spec.checkAttrs?.(attrs);
      if (attrError) return attrError;
      return valueOperands(operands, spec.arity, spec.name) ?? [result];
    },
    evaluate(operands, { attrs }, context) {
      try {
        return [spec.meaning(operands, attrs)];
      } catch (error) {
        throw asProgramError(error, context);
      }
    },
  });
}

/** An op that may throw: value operands then mem, results value then mem. */
function throwingJsOp(spec: JsOpSpec & { readonly effects?: readonly Effect[] }): OpDef {
  const result = spec.result ?? unknown;
  return {
    name: spec.name,
    summary: spec.summary,
    effects: spec.effects ?? ['throw'],
    signature: jsSignature(spec, true),
    ...(spec.attrs ? { attrs: spec.attrs } : {}),
    typeOf(operands, attrs) {
      const attrError = spec.checkAttrs?.(attrs);
      if (attrError) return attrError;
      if (operands.length === 0) return 'expects operands ending with mem';
      const stateError = stateLast(operands);
      if (stateError) return stateError;
      const values = operands.slice(0, -1);
      return valueOperands(values, spec.arity, spec.name) ?? [result, operands[operands.length - 1] as Type];
    },
    evaluate(operands, { attrs }, context) {
      try {
        return [spec.meaning(operands.slice(0, -1), attrs), operands[operands.length - 1]];
      } catch (error) {
        throw asProgramError(error, context);
      }
    },
  };
}

// Operands are JS values; the casts below let TypeScript apply JS operators to them as JS does.
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function binary(name: string, symbol: string, meaning: (a: Any, b: Any) => unknown): OpDef {
  return throwingJsOp({
    name: `js.${name}`,
    summary: `JavaScript \`a ${symbol} b\` (throws like JavaScript when BigInts meet numbers).`,
    arity: 2,
    meaning: ([a, b]) => checkRepresentable(meaning(a, b), `'${symbol}'`),
  });
}

function comparison(name: string, symbol: string, meaning: (a: Any, b: Any) => boolean): OpDef {
  return pureJsOp({
    name: `js.${name}`,
    summary: `JavaScript \`a ${symbol} b\`, a boolean value.`,
    arity: 2,
    meaning: ([a, b]) => meaning(a, b),
  });
}

const arithmeticOps: OpDef[] = [
  binary('add', '+', (a, b) => a + b),
  binary('sub', '-', (a, b) => a - b),
  binary('mul', '*', (a, b) => a * b),
  binary('div', '/', (a, b) => a / b),
  binary('rem', '%', (a, b) => a % b),
  binary('pow', '**', (a, b) => a ** b),
  binary('bitand', '&', (a, b) => a & b),
  binary('bitor', '|', (a, b) => a | b),
  binary('bitxor', '^', (a, b) => a ^ b),
  binary('shl', '<<', (a, b) => a << b),
  binary('shr', '>>', (a, b) => a >> b),
  binary('ushr', '>>>', (a, b) => a >>> b),
];

const comparisonOps: OpDef[] = [
  comparison('lt', '<', (a, b) => a < b),
  comparison('le', '<=', (a, b) => a <= b),
  comparison('gt', '>', (a, b) => a > b),
  comparison('ge', '>=', (a, b) => a >= b),
  comparison('eq', '===', (a, b) => a === b),
  comparison('ne', '!==', (a, b) => a !== b),
  comparison('looseeq', '==', (a, b) => a == b),
  comparison('loosene', '!=', (a, b) => a != b),
];

const unaryOps: OpDef[] = [
  pureJsOp({
    name: 'js.neg',
    summary: 'JavaScript `-x` (numbers and BigInts).',
    arity: 1,
    meaning: ([x]) => -(x as Any),
  }),
  throwingJsOp({
    name: 'js.plus',
    summary: 'JavaScript `+x` (ToNumber; a BigInt throws a TypeError).',
    arity: 1,
    meaning: ([x]) => +(x as Any),
  }),
  pureJsOp({
    name: 'js.bitnot',
    summary: 'JavaScript `~x` (numbers and BigInts).',
    arity: 1,
    meaning: ([x]) => ~(x as Any),
  }),
  pureJsOp({ name: 'js.not', summary: 'JavaScript `!x`, a boolean value.', arity: 1, meaning: ([x]) => !x }),
  pureJsOp({
    name: 'js.truthy',
    summary: 'ToBoolean(x) as a `bool`, for branches.',
    arity: 1,
    result: bool,
    meaning: ([x]) => Boolean(x),
  }),
  pureJsOp({
    name: 'js.is_nullish',
    summary: 'Whether x is `undefined` (or `null`), as a `bool`; the test of `??`.',
    arity: 1,
    result: bool,
    meaning: ([x]) => x === undefined || x === null,
  }),
  pureJsOp({
    name: 'js.typeof_is',
    summary:
      "Whether `typeof x` is the string `type` ('number', 'undefined', ...), as a `bool`: `typeof x === 'number'`.",
    arity: 1,
    result: bool,
    attrs: { type: 'string' },
    checkAttrs: attrIn('type', typeofResults),
    meaning: ([x], attrs) => typeof x === attrs['type'],
  }),
  pureJsOp({
    name: 'js.to_numeric',
    summary: 'ToNumeric(x): BigInts stay BigInts, everything else becomes a number (the old value of `x++`).',
    arity: 1,
    meaning: ([x]) => (typeof x === 'bigint' ? x : +(x as Any)),
  }),
  pureJsOp({
    name: 'js.inc',
    summary: 'x + 1 for a number, x + 1n for a BigInt (operand already ToNumeric), as `++` does.',
    arity: 1,
    meaning: ([x]) => (typeof x === 'bigint' ? x + 1n : (x as number) + 1),
  }),
  pureJsOp({
    name: 'js.dec',
    summary: 'x - 1 for a number, x - 1n for a BigInt (operand already ToNumeric), as `--` does.',
    arity: 1,
    meaning: ([x]) => (typeof x === 'bigint' ? x - 1n : (x as number) - 1),
  }),
  pureJsOp({
    name: 'js.to_number',
    summary: 'JavaScript `Number(x)` (a BigInt converts to the nearest number).',
    arity: 1,
    meaning: ([x]) => Number(x),
  }),
  throwingJsOp({
    name: 'js.to_bigint',
    summary: 'JavaScript `BigInt(x)` (non-integral numbers throw a RangeError).',
    arity: 1,
    meaning: ([x]) => BigInt(x as Any),
  }),
  pureJsOp({
    name: 'js.undefined',
    summary: 'The value `undefined`.',
    arity: 0,
    meaning: () => undefined,
  }),
];

/** Math functions compiled code may call; `random` is absent because its results could not match V8's. */
export const mathFunctions: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Math).filter(
    (key) => typeof (Math as unknown as Record<string, unknown>)[key] === 'function' && key !== 'random',
  ),
);

/** Math constants, inlined as constants by the frontend. */
export const mathConstants: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Math).filter(
    (key) => typeof (Math as unknown as Record<string, unknown>)[key] === 'number',
  ),
);

const numberPredicates = new Set(['isNaN', 'isFinite', 'isInteger', 'isSafeInteger']);
/** `Number.*` predicates compiled code may call. */
export const numberFunctions: ReadonlySet<string> = numberPredicates;

function attrIn(name: string, allowed: ReadonlySet<string>) {
  return (attrs: Attrs): string | undefined =>
    typeof attrs[name] === 'string' && allowed.has(attrs[name])
      ? undefined
      : `attribute '${name}' must be one of ${[...allowed].join(', ')}`;
}

const builtinFunctionOps: OpDef[] = [
  throwingJsOp({
    name: 'js.math',
    summary: 'JavaScript `Math[fn](...args)` (BigInt arguments throw a TypeError).',
    arity: 'any',
    attrs: { fn: 'string' },
    checkAttrs: attrIn('fn', mathFunctions),
    meaning: (operands, attrs) => {
      const fn = (Math as unknown as Record<string, (...args: unknown[]) => number>)[attrs['fn'] as string];
      return (fn as (...args: unknown[]) => number)(...operands);
    },
  }),
  pureJsOp({
    name: 'js.number',
    summary: 'JavaScript `Number[fn](x)` for the predicates isNaN, isFinite, isInteger, isSafeInteger.',
    arity: 1,
    attrs: { fn: 'string' },
    checkAttrs: attrIn('fn', numberPredicates),
    meaning: ([x], attrs) => {
      const fn = (Number as unknown as Record<string, (x: unknown) => boolean>)[attrs['fn'] as string];
      return (fn as (x: unknown) => boolean)(x);
    },
  }),
  throwingJsOp({
    name: 'js.bigint',
    summary: 'JavaScript `BigInt[fn](bits, x)` for asIntN and asUintN.',
    arity: 2,
    operandNames: ['bits', 'x'],
    attrs: { fn: 'string' },
    checkAttrs: attrIn('fn', new Set(['asIntN', 'asUintN'])),
    meaning: ([bits, x], attrs) =>
      attrs['fn'] === 'asIntN' ? BigInt.asIntN(bits as Any, x as Any) : BigInt.asUintN(bits as Any, x as Any),
  }),
];

/** The TypedArray constructors `new` may allocate, by name. */
export const typedArrayKinds: ReadonlyMap<string, new (length: number) => AnyTypedArray> = new Map<
  string,
  new (length: number) => AnyTypedArray
>([
  ['Int8Array', Int8Array],
  ['Uint8Array', Uint8Array],
  ['Uint8ClampedArray', Uint8ClampedArray],
  ['Int16Array', Int16Array],
  ['Uint16Array', Uint16Array],
  ['Int32Array', Int32Array],
  ['Uint32Array', Uint32Array],
  ['Float32Array', Float32Array],
  ['Float64Array', Float64Array],
  ['BigInt64Array', BigInt64Array],
  ['BigUint64Array', BigUint64Array],
]);

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isTypedArray(value)) return `a ${value.constructor.name}`;
  return 'a function';
}

/**
 * The element position JavaScript's `array[index]` designates, or a
 * RangeError: out-of-range and non-integral indices read `undefined` in V8
 * and throw here, as the semantics contract requires.
 */
function elementIndex(array: AnyTypedArray, index: JsValue): number {
  let position: number | undefined;
  if (typeof index === 'number' && Number.isInteger(index)) position = index === 0 ? 0 : index;
  else if (typeof index === 'bigint' && index >= 0n && index < BigInt(array.length)) position = Number(index);
  else if (typeof index !== 'number' && typeof index !== 'bigint') {
    throw new TypeError(`a TypedArray index must be a number, got ${describe(index)}`);
  }
  if (position === undefined || position < 0 || position >= array.length) {
    throw new RangeError(
      `index ${describe(index)} is out of bounds for a ${array.constructor.name} of length ${array.length}`,
    );
  }
  return position;
}

function typedArrayOperand(value: JsValue, access: string, index: JsValue): AnyTypedArray {
  if (isTypedArray(value)) return value;
  if (value === undefined)
    throw new TypeError(`Cannot ${access} properties of undefined (${access}ing '${describe(index)}')`);
  throw new TypeError(`cannot index ${describe(value)}: only TypedArrays can be indexed`);
}

const memoryOps: OpDef[] = [
  throwingJsOp({
    name: 'js.length',
    summary:
      'JavaScript `x.length`: the length of a TypedArray, `undefined` for other primitives, a TypeError for undefined.',
    arity: 1,
    meaning: ([x]) => {
      if (isTypedArray(x)) return x.length;
      if (x === undefined || x === null)
        throw new TypeError(`Cannot read properties of ${String(x)} (reading 'length')`);
      return undefined;
    },
  }),
  throwingJsOp({
    name: 'js.iter_length',
    summary:
      "The number of elements `for...of` visits: a TypedArray's length; other values are not iterable (TypeError).",
    arity: 1,
    meaning: ([x]) => {
      if (isTypedArray(x)) return x.length;
      throw new TypeError(`${describe(x)} is not iterable (for...of compiles only over TypedArrays)`);
    },
  }),
  throwingJsOp({
    name: 'js.load',
    summary: 'JavaScript `array[index]` on a TypedArray, under the memory state; out of range throws a RangeError.',
    arity: 2,
    operandNames: ['array', 'index'],
    effects: ['read', 'throw'],
    meaning: ([array, index]) => {
      const typed = typedArrayOperand(array as JsValue, 'read', index as JsValue);
      return typed[elementIndex(typed, index as JsValue)] as JsValue;
    },
  }),
  {
    name: 'js.store',
    summary:
      'JavaScript `array[index] = value` on a TypedArray (converting as the array does: wrapping, clamping, rounding); out of range throws a RangeError.',
    effects: ['write', 'throw'],
    signature: {
      operands: [
        { name: 'array', type: '?' },
        { name: 'index', type: '?' },
        { name: 'value', type: '?' },
        { name: 'mem', type: 'mem' },
      ],
      results: [{ name: 'mem', type: 'mem' }],
    },
    typeOf(operands) {
      if (operands.length !== 4) return `expects 4 operands (array, index, value, mem), got ${operands.length}`;
      return stateLast(operands) ?? valueOperands(operands.slice(0, 3), 3, 'js.store') ?? [operands[3] as Type];
    },
    evaluate(operands, _instance, context) {
      const [array, index, value, state] = operands;
      try {
        const typed = typedArrayOperand(array as JsValue, 'set', index as JsValue);
        // JavaScript converts the value (and may throw doing so) before it looks at the index.
        const converter = new (typed.constructor as new (length: number) => AnyTypedArray)(1);
        (converter as unknown as JsValue[])[0] = value;
        const position = elementIndex(typed, index as JsValue);
        (typed as unknown as JsValue[])[position] = value;
        return [state];
      } catch (error) {
        throw asProgramError(error, context);
      }
    },
  },
  throwingJsOp({
    name: 'js.new_array',
    summary: 'JavaScript `new <kind>(length)`: a zero-filled TypedArray, under the memory state.',
    arity: 1,
    operandNames: ['length'],
    effects: ['alloc', 'throw'],
    attrs: { kind: 'string' },
    checkAttrs: attrIn('kind', new Set(typedArrayKinds.keys())),
    meaning: ([length], attrs) => {
      const Ctor = typedArrayKinds.get(attrs['kind'] as string) as new (length: unknown) => AnyTypedArray;
      if (typeof length === 'object' || typeof length === 'function') {
        throw new TypeError(`new ${attrs['kind'] as string}(...) compiles only with a length, got ${describe(length)}`);
      }
      if (typeof length === 'number' && Math.trunc(length) > maxArrayLength) {
        throw new RangeError(`Invalid typed array length: ${length}`);
      }
      return new Ctor(length);
    },
  }),
];

export const jsDialect: Dialect = {
  name: 'js',
  ops: [...arithmeticOps, ...comparisonOps, ...unaryOps, ...builtinFunctionOps, ...memoryOps],
};

/** The default registry plus the `js` dialect: pass it to verify, interpret and the CFG construction. */
export const jsRegistry: OpRegistry = defaultRegistry.extend(jsDialect);
