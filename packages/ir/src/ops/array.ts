import { i64, isState, typeToString, type ArrayType, type Type } from '../types/type.js';
import { typedArrayConstructor, type AnyTypedArray, type Value } from '../interpreter/value.js';
import type { SourceLoc } from '../nodes/loc.js';
import { OpError, type Dialect, type OpDef } from './op.js';
import { pureOp } from './define.js';

function checkIndex(array: AnyTypedArray, index: bigint, loc: SourceLoc | undefined): number {
  if (index < 0n || index >= BigInt(array.length)) {
    throw new OpError('RangeError', `index ${index} is out of bounds for an array of length ${array.length}`, loc);
  }
  return Number(index);
}

function arrayOperand(t: Type | undefined): t is ArrayType {
  return t?.kind === 'array';
}

const lengthOp: OpDef = pureOp({
  name: 'array.length',
  summary: 'Number of elements of a rank-1 array, as i64.',
  signature: {
    operands: [{ name: 'array', type: 'E[]' }],
    results: [{ name: 'length', type: 'i64' }],
    where: 'E: any element type',
  },
  typeOf(operands) {
    if (operands.length !== 1 || !arrayOperand(operands[0])) return 'expects one array operand';
    if (operands[0].rank !== 1) return 'only rank-1 arrays are supported';
    return [i64];
  },
  evaluate: (operands) => [BigInt((operands[0] as AnyTypedArray).length)],
});

const loadOp: OpDef = {
  name: 'array.load',
  summary:
    'Reads element `index` (i64) under a memory state; out of bounds raises a RangeError. `inbounds`: a pass proved the index in range, so backends may leave out the check.',
  effects: ['read', 'throw'],
  attrs: { 'inbounds?': 'boolean' },
  signature: {
    operands: [
      { name: 'array', type: 'E[]' },
      { name: 'index', type: 'i64' },
      { name: 'mem', type: 'mem' },
    ],
    results: [
      { name: 'element', type: 'E' },
      { name: 'mem', type: 'mem' },
    ],
    where: 'E: any element type',
  },
  typeOf(operands) {
    const [array, index, state] = operands;
    if (operands.length !== 3) return `expects 3 operands (array, index, mem), got ${operands.length}`;
    if (!arrayOperand(array) || array.rank !== 1) return 'operand 0 must be a rank-1 array';
    if (index !== i64) return `index must be i64, got ${typeToString(index as Type)}`;
    if (!state || !isState(state) || state.state !== 'mem') return 'operand 2 must be mem';
    return [array.element, state];
  },
  evaluate(operands, { resultTypes }, context) {
    const array = operands[0] as AnyTypedArray;
    const i = checkIndex(array, operands[1] as bigint, context.loc);
    const element = array[i] as Value;
    // bool arrays are stored as bytes; a loaded element is a bool value again.
    return [resultTypes[0]?.kind === 'bool' ? element !== 0 : element, operands[2]];
  },
};

const storeOp: OpDef = {
  name: 'array.store',
  summary:
    'Writes `value` at element `index` (i64) under a memory state; out of bounds raises a RangeError. `inbounds`: as for array.load.',
  effects: ['write', 'throw'],
  attrs: { 'inbounds?': 'boolean' },
  signature: {
    operands: [
      { name: 'array', type: 'E[]' },
      { name: 'index', type: 'i64' },
      { name: 'value', type: 'E' },
      { name: 'mem', type: 'mem' },
    ],
    results: [{ name: 'mem', type: 'mem' }],
    where: 'E: any element type',
  },
  typeOf(operands) {
    const [array, index, value, state] = operands;
    if (operands.length !== 4) return `expects 4 operands (array, index, value, mem), got ${operands.length}`;
    if (!arrayOperand(array) || array.rank !== 1) return 'operand 0 must be a rank-1 array';
    if (index !== i64) return `index must be i64, got ${typeToString(index as Type)}`;
    if (value !== array.element)
      return `value must be ${typeToString(array.element)}, got ${typeToString(value as Type)}`;
    if (!state || !isState(state) || state.state !== 'mem') return 'operand 3 must be mem';
    return [state];
  },
  evaluate(operands, _instance, context) {
    const array = operands[0] as AnyTypedArray;
    const i = checkIndex(array, operands[1] as bigint, context.loc);
    const value = operands[2];
    (array as unknown as Value[])[i] = typeof value === 'boolean' ? Number(value) : value;
    return [operands[3]];
  },
};

/** Largest length array.alloc accepts; larger requests raise a RangeError like the TypedArray constructors. */
export const maxArrayLength = 2 ** 32;

const allocOp: OpDef = {
  name: 'array.alloc',
  summary: 'A new zero-filled array of type `type` with `length` (i64) elements, under a memory state.',
  effects: ['alloc', 'throw'],
  attrs: { type: 'type' },
  signature: {
    operands: [
      { name: 'length', type: 'i64' },
      { name: 'mem', type: 'mem' },
    ],
    results: [
      { name: 'array', type: 'type' },
      { name: 'mem', type: 'mem' },
    ],
    where: '`type` is the attribute, a rank-1 array type',
  },
  typeOf(operands, attrs) {
    const type = attrs['type'];
    if (typeof type !== 'object' || type === null || !('kind' in type) || type.kind !== 'array' || type.rank !== 1) {
      return `attribute 'type' must be a rank-1 array type`;
    }
    if (operands.length !== 2) return `expects 2 operands (length, mem), got ${operands.length}`;
    if (operands[0] !== i64) return `length must be i64, got ${typeToString(operands[0] as Type)}`;
    if (!isState(operands[1] as Type) || (operands[1] as { state: string }).state !== 'mem')
      return 'operand 1 must be mem';
    return [type, operands[1] as Type];
  },
  evaluate(operands, { resultTypes }, context) {
    const length = operands[0] as bigint;
    if (length < 0n || length > BigInt(maxArrayLength)) {
      throw new OpError('RangeError', `Invalid typed array length: ${length}`, context.loc);
    }
    const Ctor = typedArrayConstructor(resultTypes[0] as ArrayType);
    return [new Ctor(Number(length)), operands[1]];
  },
};

export const arrayDialect: Dialect = { name: 'array', ops: [lengthOp, loadOp, storeOp, allocOp] };
