import type { Attrs, AttrValue } from '../nodes/simple.js';
import { ctrl, isScalar, typeToString, type Type } from '../types/type.js';
import { memToken, ioToken, type FunctionValue, type Value, valueHasType } from '../interpreter/value.js';
import { OpError, type Dialect, type ErrorName, type OpDef } from './op.js';
import { pureOp } from './define.js';

function attrType(attrs: Attrs, name: string): Type | string {
  const value = attrs[name];
  if (typeof value === 'object' && value !== null && 'kind' in value) return value;
  return `attribute '${name}' must be a type`;
}

/** The zero value of a type, used by `undef` so interpretation stays deterministic. */
export function zeroValue(type: Type): Value {
  switch (type.kind) {
    case 'bool':
      return false;
    case 'int':
      return type.bits === 64 ? 0n : 0;
    case 'float':
    case 'ctrl':
      return 0;
    case 'state':
      return type.state === 'mem' ? memToken : ioToken;
    case 'tuple':
      return type.elements.map(zeroValue);
    default:
      return undefined;
  }
}

export const constOp: OpDef = pureOp({
  name: 'const',
  summary: 'A compile-time constant of a scalar type.',
  attrs: { value: 'scalar', type: 'type' },
  signature: {
    operands: [],
    results: [{ name: 'value', type: 'type' }],
    where: '`type` is the attribute, a scalar type (or `?` in untyped code); `value` must have that type',
  },
  typeOf(operands, attrs) {
    if (operands.length !== 0) return `expects no operands, got ${operands.length}`;
    const type = attrType(attrs, 'type');
    if (typeof type === 'string') return type;
    const value = attrs['value'] as AttrValue | undefined;
    if (type.kind === 'unknown') {
      if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return [type];
      return `value ${String(value)} cannot be a constant`;
    }
    if (!isScalar(type)) return `constants must have a scalar type, got ${typeToString(type)}`;
    if (!valueHasType(value as Value, type)) return `value ${String(value)} is not a ${typeToString(type)}`;
    return [type];
  },
  evaluate: (_operands, { attrs }) => [attrs['value'] as Value],
});

export const undefOp: OpDef = pureOp({
  name: 'undef',
  summary: 'A value of the given type that is never observed (the zero value when interpreted).',
  attrs: { type: 'type' },
  signature: { operands: [], results: [{ name: 'value', type: 'type' }], where: '`type` is the attribute' },
  typeOf(operands, attrs) {
    if (operands.length !== 0) return `expects no operands, got ${operands.length}`;
    const type = attrType(attrs, 'type');
    return typeof type === 'string' ? type : [type];
  },
  evaluate: (_operands, { resultTypes }) => [zeroValue(resultTypes[0] as Type)],
});

export const matchOp: OpDef = pureOp({
  name: 'match',
  summary: 'Maps a bool (false -> 0, true -> 1) or an integer v to ctrl<n>: v when 0 <= v < n, otherwise n - 1.',
  attrs: { alternatives: 'number' },
  signature: {
    operands: [{ name: 'x', type: 'T' }],
    results: [{ name: 'predicate', type: 'ctrl<n>' }],
    where: 'T: bool (then n = 2) or an int type; n is the attribute `alternatives`',
  },
  typeOf(operands, attrs) {
    const n = attrs['alternatives'];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
      return `attribute 'alternatives' must be a positive integer`;
    if (operands.length !== 1) return `expects 1 operand, got ${operands.length}`;
    const t = operands[0] as Type;
    if (t.kind === 'bool') return n === 2 ? [ctrl(2)] : `a bool can only match to ctrl<2>, not ctrl<${n}>`;
    if (t.kind !== 'int' && t.kind !== 'unknown') return `expects a bool or integer operand, got ${typeToString(t)}`;
    return [ctrl(n)];
  },
  evaluate(operands, { attrs }) {
    const n = attrs['alternatives'] as number;
    const v = operands[0];
    if (typeof v === 'boolean') return [v ? 1 : 0];
    const k = typeof v === 'bigint' ? (v >= 0n && v < BigInt(n) ? Number(v) : n - 1) : Number(v);
    return [Number.isInteger(k) && k >= 0 && k < n ? k : n - 1];
  },
});

export const callOp: OpDef = {
  name: 'call',
  summary: 'Calls operand 0, a function value, with the remaining operands; outputs are its results.',
  effects: [],
  signature: {
    operands: [
      { name: 'callee', type: 'fn(P...) -> R...' },
      { name: 'args', type: 'P', variadic: true },
    ],
    results: [{ name: 'results', type: 'R', variadic: true }],
    where: 'the arguments have the parameter types P of the callee; its states are among them, in its order',
  },
  typeOf(operands) {
    const callee = operands[0];
    if (callee === undefined) return 'expects a function operand';
    if (callee.kind === 'unknown') return [];
    if (callee.kind !== 'fn') return `operand 0 must be a function, got ${typeToString(callee)}`;
    const args = operands.slice(1);
    if (args.length !== callee.params.length) {
      return `function ${typeToString(callee)} takes ${callee.params.length} argument(s), got ${args.length}`;
    }
    for (let i = 0; i < args.length; i++) {
      if (args[i] !== callee.params[i]) {
        return `argument ${i} has type ${typeToString(args[i] as Type)}, expected ${typeToString(callee.params[i] as Type)}`;
      }
    }
    return callee.results;
  },
  evaluate(operands, _instance, context) {
    const callee = operands[0] as FunctionValue;
    return context.call(callee, operands.slice(1));
  },
};

const errorNames: readonly ErrorName[] = ['Error', 'RangeError', 'TypeError'];

export const raiseOp: OpDef = {
  name: 'raise',
  summary: 'Throws a JavaScript error of class `error` with `message`; threads a state so it stays ordered.',
  effects: ['throw'],
  attrs: { error: 'string', message: 'string' },
  signature: {
    operands: [{ name: 'state', type: 'S' }],
    results: [{ name: 'state', type: 'S' }],
    where: "S: a state type (mem or io); `error` is 'Error', 'RangeError' or 'TypeError'",
  },
  typeOf(operands, attrs) {
    if (!errorNames.includes(attrs['error'] as ErrorName))
      return `attribute 'error' must be one of ${errorNames.join(', ')}`;
    if (typeof attrs['message'] !== 'string') return `attribute 'message' must be a string`;
    if (operands.length !== 1 || operands[0]?.kind !== 'state') return 'expects exactly one state operand';
    return [operands[0]];
  },
  evaluate(_operands, { attrs }, context) {
    throw new OpError(attrs['error'] as ErrorName, attrs['message'] as string, context.loc);
  },
};

export const builtinDialect: Dialect = {
  name: 'builtin',
  ops: [constOp, undefOp, matchOp, callOp, raiseOp],
};
