import type { Attrs } from '../nodes/simple.js';
import { bool, isScalar, isState, typeToString, type IntType, type ScalarType, type Type } from '../types/type.js';
import { wrapInt, type Value } from '../interpreter/value.js';
import { OpError, type Dialect, type OpDef, type OpSignature } from './op.js';
import { pureOp, sameTypeOperands } from './define.js';

type Num = number | bigint;

const isNumeric = (t: Type): boolean => t.kind === 'int' || t.kind === 'float';
const isIntOrBool = (t: Type): boolean => t.kind === 'int' || t.kind === 'bool';

function roundFloat(value: number, type: Type): number {
  return type.kind === 'float' && type.bits === 32 ? Math.fround(value) : value;
}

/** Integer division truncating toward zero; x / 0 = 0 and MIN / -1 = MIN, so it is total. */
export function intDiv(a: Num, b: Num, type: IntType): Num {
  if (typeof a === 'bigint' && typeof b === 'bigint') return b === 0n ? 0n : wrapInt(a / b, type);
  const x = a as number;
  const y = b as number;
  return y === 0 ? 0 : wrapInt(Math.trunc(x / y), type);
}

/** Integer remainder with the dividend's sign; x % 0 = 0. */
export function intRem(a: Num, b: Num, type: IntType): Num {
  if (typeof a === 'bigint' && typeof b === 'bigint') return b === 0n ? 0n : wrapInt(a % b, type);
  const y = b as number;
  return y === 0 ? 0 : wrapInt((a as number) % y, type);
}

function shiftAmount(b: Num, type: IntType): number {
  return Number(BigInt(b) & BigInt(type.bits - 1));
}

/** The documented constraint for the `what` of sameTypeOperands. */
function typeVariable(what: string): string {
  return (
    { numeric: 'an int or float type', 'integer or bool': 'an int type or bool', integer: 'an int type' }[what] ?? what
  );
}

type BinaryMeaning = (a: Num, b: Num, type: ScalarType) => Value;

function binary(
  name: string,
  summary: string,
  accepts: (t: Type) => boolean,
  what: string,
  meaning: BinaryMeaning,
): OpDef {
  return pureOp({
    name: `arith.${name}`,
    summary,
    signature: {
      operands: [
        { name: 'a', type: 'T' },
        { name: 'b', type: 'T' },
      ],
      results: [{ name: 'result', type: 'T' }],
      where: `T: ${typeVariable(what)}`,
    },
    typeOf(operands) {
      const t = sameTypeOperands(operands, 2, accepts, what);
      return typeof t === 'string' ? t : [t];
    },
    evaluate(operands, { resultTypes }) {
      const type = resultTypes[0] as ScalarType;
      return [meaning(operands[0] as Num, operands[1] as Num, type)];
    },
  });
}

function intOrFloat(
  intMeaning: (a: Num, b: Num, type: IntType) => Num,
  floatMeaning: (a: number, b: number) => number,
): BinaryMeaning {
  return (a, b, type) =>
    type.kind === 'int' ? intMeaning(a, b, type) : roundFloat(floatMeaning(a as number, b as number), type);
}

function bitwise(
  op: (a: bigint, b: bigint) => bigint,
  numOp: (a: number, b: number) => number,
  boolOp: (a: boolean, b: boolean) => boolean,
): BinaryMeaning {
  return (a, b, type) => {
    if (type.kind === 'bool') return boolOp(a as unknown as boolean, b as unknown as boolean);
    const intType = type as IntType;
    if (intType.bits === 64) return wrapInt(op(a as bigint, b as bigint), intType);
    return wrapInt(numOp(a as number, b as number), intType);
  };
}

const arithmetic: OpDef[] = [
  binary(
    'add',
    'Addition; integers wrap around.',
    isNumeric,
    'numeric',
    intOrFloat(
      (a, b, t) => wrapInt(typeof a === 'bigint' ? a + (b as bigint) : a + (b as number), t),
      (a, b) => a + b,
    ),
  ),
  binary(
    'sub',
    'Subtraction; integers wrap around.',
    isNumeric,
    'numeric',
    intOrFloat(
      (a, b, t) => wrapInt(typeof a === 'bigint' ? a - (b as bigint) : a - (b as number), t),
      (a, b) => a - b,
    ),
  ),
  binary(
    'mul',
    'Multiplication; integers wrap around.',
    isNumeric,
    'numeric',
    intOrFloat(
      (a, b, t) => {
        if (typeof a === 'bigint') return wrapInt(a * (b as bigint), t);
        return t.bits === 32 ? wrapInt(Math.imul(a, b as number), t) : wrapInt(a * (b as number), t);
      },
      (a, b) => a * b,
    ),
  ),
  binary(
    'div',
    'Division; integer division truncates, and x / 0 = 0.',
    isNumeric,
    'numeric',
    intOrFloat(intDiv, (a, b) => a / b),
  ),
  binary(
    'rem',
    'Remainder with the sign of the dividend (JavaScript %); integer x % 0 = 0.',
    isNumeric,
    'numeric',
    intOrFloat(intRem, (a, b) => a % b),
  ),
  binary(
    'and',
    'Bitwise and (logical and on bool).',
    isIntOrBool,
    'integer or bool',
    bitwise(
      (a, b) => a & b,
      (a, b) => a & b,
      (a, b) => a && b,
    ),
  ),
  binary(
    'or',
    'Bitwise or (logical or on bool).',
    isIntOrBool,
    'integer or bool',
    bitwise(
      (a, b) => a | b,
      (a, b) => a | b,
      (a, b) => a || b,
    ),
  ),
  binary(
    'xor',
    'Bitwise exclusive or (inequality on bool).',
    isIntOrBool,
    'integer or bool',
    bitwise(
      (a, b) => a ^ b,
      (a, b) => a ^ b,
      (a, b) => a !== b,
    ),
  ),
  binary(
    'shl',
    'Left shift by the amount modulo the bit width.',
    (t) => t.kind === 'int',
    'integer',
    (a, b, type) => {
      const t = type as IntType;
      const s = shiftAmount(b, t);
      return typeof a === 'bigint' ? wrapInt(a << BigInt(s), t) : wrapInt(t.bits === 32 ? a << s : a * 2 ** s, t);
    },
  ),
  binary(
    'shr',
    'Right shift by the amount modulo the bit width: arithmetic for signed, logical for unsigned types.',
    (t) => t.kind === 'int',
    'integer',
    (a, b, type) => {
      const t = type as IntType;
      const s = shiftAmount(b, t);
      if (typeof a === 'bigint') return wrapInt(a >> BigInt(s), t);
      return t.signed ? a >> s : t.bits === 32 ? a >>> s : Math.floor(a / 2 ** s);
    },
  ),
];

function unary(
  name: string,
  summary: string,
  accepts: (t: Type) => boolean,
  what: string,
  meaning: (a: Value, type: Type) => Value,
): OpDef {
  return pureOp({
    name: `arith.${name}`,
    summary,
    signature: {
      operands: [{ name: 'a', type: 'T' }],
      results: [{ name: 'result', type: 'T' }],
      where: `T: ${typeVariable(what)}`,
    },
    typeOf(operands) {
      const t = sameTypeOperands(operands, 1, accepts, what);
      return typeof t === 'string' ? t : [t];
    },
    evaluate: (operands, { resultTypes }) => [meaning(operands[0], resultTypes[0] as Type)],
  });
}

const unaries: OpDef[] = [
  unary('neg', 'Negation; integers wrap around.', isNumeric, 'numeric', (a, t) =>
    t.kind === 'int' ? wrapInt(typeof a === 'bigint' ? -a : -(a as number), t) : -(a as number),
  ),
  unary('not', 'Bitwise complement (logical not on bool).', isIntOrBool, 'integer or bool', (a, t) =>
    t.kind === 'bool' ? !a : wrapInt(typeof a === 'bigint' ? ~a : ~(a as number), t as IntType),
  ),
];

function comparison(name: string, summary: string, meaning: (a: Num, b: Num) => boolean): OpDef {
  return pureOp({
    name: `arith.${name}`,
    summary,
    signature: {
      operands: [
        { name: 'a', type: 'T' },
        { name: 'b', type: 'T' },
      ],
      results: [{ name: 'result', type: 'bool' }],
      where: 'T: a scalar type (int, float or bool)',
    },
    typeOf(operands) {
      const t = sameTypeOperands(operands, 2, isScalar, 'scalar');
      return typeof t === 'string' ? t : [bool];
    },
    evaluate: (operands) => [meaning(operands[0] as Num, operands[1] as Num)],
  });
}

const comparisons: OpDef[] = [
  comparison('eq', 'Equality (false when either float is NaN).', (a, b) => a === b),
  comparison('ne', 'Inequality (true when either float is NaN).', (a, b) => a !== b),
  comparison('lt', 'Less than (false on NaN).', (a, b) => a < b),
  comparison('le', 'Less than or equal (false on NaN).', (a, b) => a <= b),
  comparison('gt', 'Greater than (false on NaN).', (a, b) => a > b),
  comparison('ge', 'Greater than or equal (false on NaN).', (a, b) => a >= b),
];

function targetType(attrs: Attrs): ScalarType | string {
  const t = attrs['type'];
  if (typeof t === 'object' && t !== null && 'kind' in t && isScalar(t)) return t;
  return `attribute 'type' must be a scalar type`;
}

/** Value conversion between scalar types; float to integer saturates and maps NaN to 0. */
export function convertValue(value: Value, from: ScalarType, to: ScalarType): Value {
  if (to.kind === 'bool') return typeof value === 'bigint' ? value !== 0n : Boolean(value);
  const numeric: Num = typeof value === 'boolean' ? (value ? 1 : 0) : (value as Num);
  if (to.kind === 'float') return roundFloat(Number(numeric), to);
  if (from.kind === 'float') {
    const x = numeric as number;
    if (Number.isNaN(x)) return to.bits === 64 ? 0n : 0;
    const min = to.signed ? -(2 ** (to.bits - 1)) : 0;
    const max = to.signed ? 2 ** (to.bits - 1) - 1 : 2 ** to.bits - 1;
    const t = Math.trunc(x);
    if (to.bits === 64) {
      if (t <= min) return BigInt(min);
      if (t >= 2 ** (to.signed ? 63 : 64)) return to.signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
      return BigInt(t);
    }
    return Math.min(max, Math.max(min, t)) + 0;
  }
  return wrapInt(numeric, to);
}

const conversions: OpDef[] = [
  pureOp({
    name: 'arith.convert',
    summary:
      'Converts a scalar to the scalar type `type`: integers wrap, float to integer truncates and saturates (NaN -> 0), bool is 0/1. `inrange`: the producer proved a float operand is not NaN and truncates into `type`, so backends may leave out the saturation.',
    attrs: { type: 'type', 'inrange?': 'boolean' },
    signature: {
      operands: [{ name: 'x', type: 'S' }],
      results: [{ name: 'result', type: 'type' }],
      where: 'S: a scalar type (int, float or bool); `type` is the attribute, a scalar type',
    },
    typeOf(operands, attrs) {
      const to = targetType(attrs);
      if (typeof to === 'string') return to;
      if (operands.length !== 1) return `expects 1 operand, got ${operands.length}`;
      if (!isScalar(operands[0] as Type)) return `expects a scalar operand, got ${typeToString(operands[0] as Type)}`;
      return [to];
    },
    evaluate: (operands, { operandTypes, resultTypes }) => [
      convertValue(operands[0], operandTypes[0] as ScalarType, resultTypes[0] as ScalarType),
    ],
  }),
  pureOp({
    name: 'arith.wrap',
    summary:
      'Converts a float to the integer type `type` modulo 2^bits after truncation (JavaScript ToInt32/ToUint32); NaN and infinities give 0.',
    attrs: { type: 'type' },
    signature: {
      operands: [{ name: 'x', type: 'F' }],
      results: [{ name: 'result', type: 'type' }],
      where: 'F: a float type; `type` is the attribute, an int type',
    },
    typeOf(operands, attrs) {
      const to = targetType(attrs);
      if (typeof to === 'string') return to;
      if (to.kind !== 'int') return `attribute 'type' must be an integer type`;
      if (operands.length !== 1 || operands[0]?.kind !== 'float') return 'expects one float operand';
      return [to];
    },
    evaluate(operands, { resultTypes }) {
      const to = resultTypes[0] as IntType;
      const x = operands[0] as number;
      if (!Number.isFinite(x)) return [to.bits === 64 ? 0n : 0];
      if (to.bits === 64) return [wrapInt(BigInt(Math.trunc(x)), to)];
      return [wrapInt(x | 0, to)];
    },
  }),
  pureOp({
    name: 'arith.select',
    summary: 'Operand 1 when the bool operand 0 is true, otherwise operand 2.',
    signature: {
      operands: [
        { name: 'condition', type: 'bool' },
        { name: 'then', type: 'T' },
        { name: 'else', type: 'T' },
      ],
      results: [{ name: 'result', type: 'T' }],
      where: 'T: any value type',
    },
    typeOf(operands) {
      if (operands.length !== 3) return `expects 3 operands, got ${operands.length}`;
      if (operands[0]?.kind !== 'bool') return `operand 0 must be bool, got ${typeToString(operands[0] as Type)}`;
      if (operands[1] !== operands[2]) return `operands 1 and 2 must have the same type`;
      return [operands[1] as Type];
    },
    evaluate: (operands) => [operands[0] ? operands[1] : operands[2]],
  }),
];

const checkedSignature: OpSignature = {
  operands: [
    { name: 'a', type: 'T' },
    { name: 'b', type: 'T' },
    { name: 'state', type: 'S' },
  ],
  results: [
    { name: 'result', type: 'T' },
    { name: 'state', type: 'S' },
  ],
  where: 'T: an int type; S: a state type (mem or io), which orders the raise',
};

/** Exact integer results that must fit their type, or the op raises a RangeError (BigInt semantics). */
function checked(name: string, summary: string, exact: (a: bigint, b: bigint) => bigint): OpDef {
  return {
    name: `arith.checked_${name}`,
    summary,
    effects: ['throw'],
    signature: checkedSignature,
    typeOf(operands) {
      if (operands.length !== 3) return `expects 3 operands (a, b, state), got ${operands.length}`;
      const t = sameTypeOperands(operands.slice(0, 2), 2, (x) => x.kind === 'int', 'integer');
      if (typeof t === 'string') return t;
      const state = operands[2] as Type;
      if (!isState(state)) return `operand 2 must be a state, got ${typeToString(state)}`;
      return [t, state];
    },
    evaluate(operands, { resultTypes }, context) {
      const type = resultTypes[0] as IntType;
      const a = BigInt(operands[0] as Num);
      const b = BigInt(operands[1] as Num);
      if ((name === 'div' || name === 'rem') && b === 0n)
        throw new OpError('RangeError', 'Division by zero', context.loc);
      const r = exact(a, b);
      if (BigInt(wrapInt(r, type)) !== r) {
        throw new OpError(
          'RangeError',
          `${typeToString(type)} overflow: the exact result does not fit in ${type.bits} bits`,
          context.loc,
        );
      }
      return [type.bits === 64 ? r : Number(r), operands[2]];
    },
  };
}

const checkedOps: OpDef[] = [
  checked('add', 'Addition that raises a RangeError on overflow.', (a, b) => a + b),
  checked('sub', 'Subtraction that raises a RangeError on overflow.', (a, b) => a - b),
  checked('mul', 'Multiplication that raises a RangeError on overflow.', (a, b) => a * b),
  checked('div', 'Truncating division that raises a RangeError on overflow or division by zero.', (a, b) => a / b),
  checked('rem', 'Remainder that raises a RangeError on division by zero.', (a, b) => a % b),
];

export const arithDialect: Dialect = {
  name: 'arith',
  ops: [...arithmetic, ...unaries, ...comparisons, ...conversions, ...checkedOps],
};
