import {
  bool,
  f32,
  f64,
  i32,
  i64,
  mathDialect,
  u32,
  u64,
  u8,
  type ArrayType,
  type Attrs,
  type ErrorName,
  type IntType,
  type RegionBuilder,
  type SimpleNode,
  type SourceLoc,
  type Type,
  type Value,
} from '@rvsdg/ir';
import { arrayTypeOfName, describeLat, never, typedArrayName, undefinedLat, type Lat } from './infer-types-lattice.js';

/**
 * Typed replacements for the ops of the JavaScript frontend's `js` dialect.
 * Each rule looks at the abstract types of the operands and emits typed
 * builtin/arith/math/array ops with exactly the meaning JavaScript gives the
 * operation on values of those types, or a `raise` of the error JavaScript
 * throws (a BigInt mixed with a number), or an InferenceError for what the
 * compiler does not support.
 */

/** A value during inference: its abstract type, and its IR value when it has a run-time representation. */
export interface EV {
  readonly lat: Lat;
  readonly loc?: SourceLoc | undefined;
  readonly value?: Value | undefined;
  /** Set when the value is a compile-time constant (attributes such as BigInt.asIntN's width need one). */
  readonly constant?: number | bigint | boolean | undefined;
}

export interface OpContext {
  readonly rb: RegionBuilder;
  /** The region's memory state at this point (every region of a frontend function threads one). */
  mem: Value;
  /** The region reached an unconditional throw: its results are never produced. */
  markThrows(): void;
  fail(reason: string, loc: SourceLoc | undefined): never;
  /** The node's BigInt result only feeds BigInt.asIntN(64, ...) (maybe through + - *): it may wrap instead of throwing. */
  wraps(node: SimpleNode): boolean;
}

type Kind = 'number' | 'bigint' | 'boolean' | 'undefined' | 'array' | 'other';

function kindOf(lat: Lat): Kind {
  if (lat === f64) return 'number';
  if (lat === i64) return 'bigint';
  if (lat === bool) return 'boolean';
  if (lat.kind === 'undefined') return 'undefined';
  if (lat.kind === 'array') return 'array';
  return 'other';
}

/** The truth value of an operand known at compile time (a constant, undefined or a TypedArray), if it is. */
function truthConstant(ev: EV): boolean | undefined {
  if (ev.lat.kind === 'undefined') return false;
  if (ev.lat.kind === 'array') return true;
  if (ev.constant === undefined) return undefined;
  return typeof ev.constant === 'bigint' ? ev.constant !== 0n : Boolean(ev.constant);
}

const mixMessage = 'Cannot mix BigInt and other types, use explicit conversions';
const bigToNumberMessage = 'Cannot convert a BigInt value to a number';
const two63 = 2 ** 63;

/**
 * `Math` functions of one argument that the IR's math dialect has under the
 * same name (its ops have `Math`'s meaning): those whose op takes one f64.
 */
const unaryMath = new Set(
  mathDialect.ops
    .filter((op) => typeof op.typeOf([f64], {}) !== 'string')
    .map((op) => op.name.slice('math.'.length))
    .filter((name) => name in Math),
);

class Rules {
  constructor(
    readonly ctx: OpContext,
    readonly node: SimpleNode,
  ) {}

  get rb(): RegionBuilder {
    return this.ctx.rb;
  }
  get loc(): SourceLoc | undefined {
    return this.node.loc;
  }

  op(name: string, args: readonly Value[], attrs: Attrs = {}): Value {
    return this.rb.op1(name, args, attrs, this.loc);
  }
  const(value: number | bigint | boolean, type: Type): Value {
    return this.rb.const(value, type);
  }
  ev(value: Value): EV {
    return { lat: value.type, loc: this.loc, value };
  }
  constEv(value: number | bigint | boolean, type: Type): EV {
    return { lat: type, loc: this.loc, value: this.const(value, type), constant: value };
  }
  val(ev: EV): Value {
    if (!ev.value) throw new Error(`internal error: ${describeLat(ev.lat)} has no value`);
    return ev.value;
  }
  convert(v: Value, type: Type): Value {
    return v.type === type ? v : this.op('arith.convert', [v], { type });
  }
  and(a: Value, b: Value): Value {
    return this.op('arith.and', [a, b]);
  }
  or(a: Value, b: Value): Value {
    return this.op('arith.or', [a, b]);
  }
  not(a: Value): Value {
    return this.op('arith.not', [a]);
  }
  select(c: Value, a: Value, b: Value): Value {
    return this.op('arith.select', [c, a, b]);
  }

  raise(error: ErrorName, message: string): EV {
    this.ctx.mem = this.op('raise', [this.ctx.mem], { error, message });
    this.ctx.markThrows();
    return { lat: never, loc: this.loc };
  }

  /** Throws `error` when `cond` (bool) holds, ordered on the memory state. */
  raiseIf(cond: Value, error: ErrorName, message: string): void {
    const loc = this.loc;
    const [m] = this.rb.gamma(
      cond,
      [(_r, [state]) => [state as Value], (r, [state]) => [r.op1('raise', [state as Value], { error, message }, loc)]],
      [this.ctx.mem],
    );
    this.ctx.mem = m as Value;
  }

  checked(name: string, a: Value, b: Value): Value {
    const [v, m] = this.rb.op(`arith.checked_${name}`, [a, b, this.ctx.mem], {}, this.loc);
    this.ctx.mem = m as Value;
    return v as Value;
  }

  unsupported(what: string): never {
    return this.ctx.fail(`${what} is not supported`, this.loc);
  }

  /** ToNumber for operands that are not BigInts. */
  num(ev: EV, what: string): Value {
    switch (kindOf(ev.lat)) {
      case 'number':
        return this.val(ev);
      case 'boolean':
        return this.convert(this.val(ev), f64);
      case 'undefined':
        return this.const(NaN, f64);
      default:
        return this.unsupported(`${what} on ${describeLat(ev.lat)}`);
    }
  }

  /** ToBoolean. */
  truthy(ev: EV): Value {
    switch (kindOf(ev.lat)) {
      case 'boolean':
        return this.val(ev);
      case 'number': {
        const x = this.val(ev);
        return this.and(this.op('arith.ne', [x, this.const(0, f64)]), this.op('arith.eq', [x, x]));
      }
      case 'bigint':
        return this.op('arith.ne', [this.val(ev), this.const(0n, i64)]);
      case 'undefined':
        return this.const(false, bool);
      case 'array':
        return this.const(true, bool);
      default:
        return this.unsupported(`the truth value of ${describeLat(ev.lat)}`);
    }
  }

  /** ToInt32 / ToUint32 of a number-like operand. */
  wrap(ev: EV, type: IntType, what: string): Value {
    return this.op('arith.wrap', [this.num(ev, what)], { type });
  }

  // ---- operators

  arithmetic(name: string, symbol: string, a: EV, b: EV): EV {
    const ka = kindOf(a.lat);
    const kb = kindOf(b.lat);
    if (ka === 'bigint' && kb === 'bigint') {
      if (name === 'pow') return this.ev(this.bigPow(this.val(a), this.val(b)));
      if (this.ctx.wraps(this.node) && (name === 'add' || name === 'sub' || name === 'mul')) {
        return this.ev(this.op(`arith.${name}`, [this.val(a), this.val(b)]));
      }
      return this.ev(this.checked(name, this.val(a), this.val(b)));
    }
    if (ka === 'bigint' || kb === 'bigint') {
      const other = ka === 'bigint' ? kb : ka;
      if (other === 'number' || other === 'boolean' || other === 'undefined')
        return this.raise('TypeError', mixMessage);
    }
    const x = this.num(a, `'${symbol}'`);
    const y = this.num(b, `'${symbol}'`);
    return this.ev(this.op(name === 'pow' ? 'math.pow' : `arith.${name}`, [x, y]));
  }

  /** BigInt `a ** b` by repeated squaring with overflow checks; a negative exponent is V8's RangeError. */
  bigPow(a: Value, b: Value): Value {
    // V8's message, verbatim.
    this.raiseIf(this.op('arith.lt', [b, this.const(0n, i64)]), 'RangeError', 'undefined must be positive');
    // |a| <= 1 never overflows and may have huge exponents: handle by parity.
    const one = this.const(1n, i64);
    const zero = this.const(0n, i64);
    const loc = this.loc;
    const outs = this.rb.theta([one, a, b, this.ctx.mem], (r, [acc, base, exp, m]) => {
      const inner = new Rules(
        { rb: r, mem: m as Value, markThrows: () => {}, fail: this.ctx.fail, wraps: () => false },
        this.node,
      );
      const odd = inner.op('arith.ne', [inner.op('arith.and', [exp as Value, r.const(1n, i64)]), r.const(0n, i64)]);
      const product = r.gamma(
        odd,
        [
          (_g, [x, , s]) => [x as Value, s as Value],
          (g, [x, y, s]) => {
            const [p, s2] = g.op('arith.checked_mul', [x as Value, y as Value, s as Value], {}, loc);
            return [p as Value, s2 as Value];
          },
        ],
        [acc as Value, base as Value, inner.ctx.mem],
      );
      const nextExp = inner.op('arith.shr', [exp as Value, r.const(1n, i64)]);
      const more = inner.op('arith.ne', [nextExp, r.const(0n, i64)]);
      // Square only when another round needs it, so the last square cannot overflow spuriously.
      const squared = r.gamma(
        more,
        [
          (_g, [x, s]) => [x as Value, s as Value],
          (g, [x, s]) => {
            const [p, s2] = g.op('arith.checked_mul', [x as Value, x as Value, s as Value], {}, loc);
            return [p as Value, s2 as Value];
          },
        ],
        [base as Value, product[1] as Value],
      );
      return {
        repeat: more,
        next: [product[0] as Value, squared[0] as Value, nextExp, squared[1] as Value],
      };
    });
    const result = outs[0] as Value;
    this.ctx.mem = outs[3] as Value;
    // The loop runs once even for b = 0, where the result must be 1.
    return this.select(this.op('arith.eq', [b, zero]), one, result);
  }

  bitwise(name: string, symbol: string, a: EV, b: EV): EV {
    const ka = kindOf(a.lat);
    const kb = kindOf(b.lat);
    if (ka === 'bigint' && kb === 'bigint') {
      const x = this.val(a);
      const y = this.val(b);
      switch (name) {
        case 'and':
        case 'or':
        case 'xor':
          return this.ev(this.op(`arith.${name}`, [x, y]));
        case 'ushr':
          return this.raise('TypeError', 'BigInts have no unsigned right shift, use >> instead');
        case 'shl':
          return this.ev(this.bigShift(x, y, false));
        default:
          return this.ev(this.bigShift(x, y, true));
      }
    }
    if (ka === 'bigint' || kb === 'bigint') {
      const other = ka === 'bigint' ? kb : ka;
      if (other === 'number' || other === 'boolean' || other === 'undefined')
        return this.raise('TypeError', mixMessage);
    }
    const type = name === 'ushr' ? u32 : i32;
    const x = this.wrap(a, type, `'${symbol}'`);
    const y = this.wrap(b, type, `'${symbol}'`);
    const op = name === 'ushr' ? 'arith.shr' : `arith.${name}`;
    return this.ev(this.convert(this.op(op, [x, y]), f64));
  }

  /** Exact BigInt shift of `a` left by `s` (right when `right`): bits shifted out on the left are an overflow. */
  bigShift(a: Value, s: Value, right: boolean): Value {
    const zero = this.const(0n, i64);
    // A left shift by a negative amount is a right shift, and the other way round.
    const leftward = right ? this.op('arith.lt', [s, zero]) : this.op('arith.ge', [s, zero]);
    const magnitude = this.select(this.op('arith.lt', [s, zero]), this.op('arith.sub', [zero, s]), s);
    // |s| >= 64 (or -2^63, whose negation wraps) shifts everything out.
    const huge = this.or(
      this.op('arith.lt', [magnitude, zero]),
      this.op('arith.ge', [magnitude, this.const(64n, i64)]),
    );
    const amount = this.select(huge, this.const(63n, i64), magnitude);
    const shifted = this.op('arith.shl', [a, amount]);
    const back = this.op('arith.shr', [shifted, amount]);
    const lost = this.or(this.op('arith.ne', [back, a]), this.and(huge, this.op('arith.ne', [a, zero])));
    this.raiseIf(
      this.and(leftward, lost),
      'RangeError',
      'BigInt overflow: the result of the shift does not fit in 64 bits',
    );
    const down = this.op('arith.shr', [a, amount]);
    return this.select(leftward, shifted, down);
  }

  /** a OP b for an integer a (i64) and a number b, compared exactly as JavaScript compares a BigInt with a number. */
  mixedCompare(op: 'lt' | 'le' | 'gt' | 'ge' | 'eq', a: Value, b: Value): Value {
    const isNumber = this.op('arith.eq', [b, b]);
    const limit = this.const(two63, f64);
    const minus = this.const(-two63, f64);
    if (op === 'eq') {
      const t = this.op('math.trunc', [b]);
      const inRange = this.and(this.op('arith.ge', [b, minus]), this.op('arith.lt', [b, limit]));
      const integral = this.and(this.op('arith.eq', [t, b]), inRange);
      const bi = this.convert(b, i64);
      return this.and(this.and(isNumber, integral), this.op('arith.eq', [a, bi]));
    }
    // For integer a: a < b iff a < ceil(b); a <= b iff a <= floor(b); a > b iff a > floor(b); a >= b iff a >= ceil(b).
    const c = this.op(op === 'lt' || op === 'ge' ? 'math.ceil' : 'math.floor', [b]);
    const ci = this.convert(c, i64);
    const cmp = this.op(`arith.${op}`, [a, ci]);
    switch (op) {
      case 'lt':
        return this.and(isNumber, this.or(this.op('arith.ge', [c, limit]), cmp));
      case 'le':
        return this.and(isNumber, this.and(this.op('arith.ge', [c, minus]), cmp));
      case 'gt':
        return this.and(isNumber, this.or(this.op('arith.lt', [c, minus]), cmp));
      default:
        return this.and(isNumber, this.and(this.op('arith.lt', [c, limit]), cmp));
    }
  }

  relational(op: 'lt' | 'le' | 'gt' | 'ge', a: EV, b: EV, symbol: string): EV {
    const ka = kindOf(a.lat);
    const kb = kindOf(b.lat);
    if (ka === 'bigint' && kb === 'bigint') return this.ev(this.op(`arith.${op}`, [this.val(a), this.val(b)]));
    if (ka === 'bigint' || kb === 'bigint') {
      const other = ka === 'bigint' ? b : a;
      const big = this.val(ka === 'bigint' ? a : b);
      const ko = kindOf(other.lat);
      if (ko === 'undefined') return this.constEv(false, bool);
      if (ko === 'boolean') {
        const o = this.convert(this.val(other), i64);
        return this.ev(this.op(`arith.${op}`, ka === 'bigint' ? [big, o] : [o, big]));
      }
      if (ko === 'number') {
        const flipped = { lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' } as const;
        return this.ev(this.mixedCompare(ka === 'bigint' ? op : flipped[op], big, this.val(other)));
      }
      return this.unsupported(`'${symbol}' between ${describeLat(a.lat)} and ${describeLat(b.lat)}`);
    }
    return this.ev(this.op(`arith.${op}`, [this.num(a, `'${symbol}'`), this.num(b, `'${symbol}'`)]));
  }

  equality(a: EV, b: EV, loose: boolean, negate: boolean): EV {
    const result = this.equal(a, b, loose);
    if (typeof result === 'boolean') return this.constEv(result !== negate, bool);
    return this.ev(negate ? this.not(result) : result);
  }

  equal(a: EV, b: EV, loose: boolean): Value | boolean {
    const ka = kindOf(a.lat);
    const kb = kindOf(b.lat);
    // A TypedArray is never undefined, nor (strictly) equal to a primitive; `==` would convert it to a string.
    if ((ka === 'array' && kb === 'undefined') || (ka === 'undefined' && kb === 'array')) return false;
    if (!loose && ka !== kb && (ka === 'array' || kb === 'array') && ka !== 'other' && kb !== 'other') return false;
    if (ka === 'array' || kb === 'array' || ka === 'other' || kb === 'other') {
      return this.unsupported(`comparing ${describeLat(a.lat)} with ${describeLat(b.lat)}`);
    }
    if (ka === 'undefined' || kb === 'undefined') return ka === kb;
    if (ka === kb) return this.op('arith.eq', [this.val(a), this.val(b)]);
    if (!loose) return false;
    if (ka === 'bigint' || kb === 'bigint') {
      const big = this.val(ka === 'bigint' ? a : b);
      const other = ka === 'bigint' ? b : a;
      if (kindOf(other.lat) === 'boolean') return this.op('arith.eq', [big, this.convert(this.val(other), i64)]);
      return this.mixedCompare('eq', big, this.val(other));
    }
    return this.op('arith.eq', [this.num(a, "'=='"), this.num(b, "'=='")]);
  }

  // ---- built-in functions

  math(fn: string, args: readonly EV[]): EV {
    const used = ['max', 'min', 'hypot'].includes(fn)
      ? args
      : args.slice(0, ['pow', 'atan2', 'imul'].includes(fn) ? 2 : 1);
    if (used.some((a) => kindOf(a.lat) === 'bigint')) return this.raise('TypeError', bigToNumberMessage);
    const arg = (i: number): Value => {
      const a = used[i];
      return a ? this.num(a, `Math.${fn}`) : this.const(NaN, f64);
    };
    if (unaryMath.has(fn)) return this.ev(this.op(`math.${fn}`, [arg(0)]));
    switch (fn) {
      case 'pow':
      case 'atan2':
        return this.ev(this.op(`math.${fn}`, [arg(0), arg(1)]));
      case 'max':
      case 'min': {
        if (used.length === 0) return this.constEv(fn === 'max' ? -Infinity : Infinity, f64);
        let acc = arg(0);
        for (let i = 1; i < used.length; i++) acc = this.op(`math.${fn}`, [acc, arg(i)]);
        return this.ev(acc);
      }
      case 'hypot':
        if (used.length === 0) return this.constEv(0, f64);
        if (used.length === 1) return this.ev(this.op('math.abs', [arg(0)]));
        if (used.length === 2) return this.ev(this.op('math.hypot', [arg(0), arg(1)]));
        return this.unsupported('Math.hypot with more than two arguments');
      case 'imul': {
        const x = this.op('arith.wrap', [arg(0)], { type: i32 });
        const y = this.op('arith.wrap', [arg(1)], { type: i32 });
        return this.ev(this.convert(this.op('arith.mul', [x, y]), f64));
      }
      case 'fround':
        return this.ev(this.convert(this.convert(arg(0), f32), f64));
      case 'clz32':
        return this.ev(this.clz32(this.op('arith.wrap', [arg(0)], { type: u32 })));
      default:
        return this.unsupported(`Math.${fn}`);
    }
  }

  /** Leading zero bits of a u32 by binary search, as f64. */
  clz32(x0: Value): Value {
    let x = x0;
    let count = this.const(0, u32);
    for (const s of [16, 8, 4, 2, 1]) {
      const top = this.op('arith.shr', [x, this.const(32 - s, u32)]);
      const empty = this.op('arith.eq', [top, this.const(0, u32)]);
      x = this.select(empty, this.op('arith.shl', [x, this.const(s, u32)]), x);
      count = this.select(empty, this.op('arith.add', [count, this.const(s, u32)]), count);
    }
    const zero = this.op('arith.eq', [x0, this.const(0, u32)]);
    return this.convert(this.select(zero, this.const(32, u32), count), f64);
  }

  numberPredicate(fn: string, a: EV): EV {
    if (a.lat !== f64) return this.constEv(false, bool);
    const x = this.val(a);
    if (fn === 'isNaN') return this.ev(this.op('arith.ne', [x, x]));
    const finite = this.op('arith.eq', [this.op('arith.sub', [x, x]), this.const(0, f64)]);
    if (fn === 'isFinite') return this.ev(finite);
    const integer = this.and(finite, this.op('arith.eq', [this.op('math.trunc', [x]), x]));
    if (fn === 'isInteger') return this.ev(integer);
    const safe = this.op('arith.le', [this.op('math.abs', [x]), this.const(2 ** 53 - 1, f64)]);
    return this.ev(this.and(integer, safe));
  }

  /** ToBigInt of a BigInt, boolean or number (numbers must be integral and fit in 64 bits). */
  toBigInt(a: EV, fromNumber: boolean): EV {
    switch (kindOf(a.lat)) {
      case 'bigint':
        return a;
      case 'boolean':
        return this.ev(this.convert(this.val(a), i64));
      case 'undefined':
        return this.raise('TypeError', 'Cannot convert undefined to a BigInt');
      case 'number': {
        if (!fromNumber) return this.raise('TypeError', 'Cannot convert a number to a BigInt');
        const x = this.val(a);
        // V8's message quotes the number; compiled code can quote these three.
        for (const special of [NaN, Infinity, -Infinity]) {
          const is = Number.isNaN(special)
            ? this.op('arith.ne', [x, x])
            : this.op('arith.eq', [x, this.const(special, f64)]);
          this.raiseIf(
            is,
            'RangeError',
            `The number ${special} cannot be converted to a BigInt because it is not an integer`,
          );
        }
        const integral = this.op('arith.eq', [this.op('math.trunc', [x]), x]);
        this.raiseIf(
          this.not(integral),
          'RangeError',
          'The number cannot be converted to a BigInt because it is not an integer',
        );
        const inRange = this.and(
          this.op('arith.ge', [x, this.const(-two63, f64)]),
          this.op('arith.lt', [x, this.const(two63, f64)]),
        );
        this.raiseIf(this.not(inRange), 'RangeError', 'BigInt overflow: the number does not fit in 64 bits');
        return this.ev(this.convert(x, i64));
      }
      default:
        return this.unsupported(`BigInt conversion of ${describeLat(a.lat)}`);
    }
  }

  bigintFn(fn: string, bits: EV, x: EV): EV {
    const n = bits.constant;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 53 - 1) {
      return this.unsupported(`BigInt.${fn} with a width that is not a constant non-negative integer`);
    }
    const converted = this.toBigInt(x, false);
    if (!converted.value) return converted;
    const v = converted.value;
    if (fn === 'asIntN') {
      if (n >= 64) return this.ev(v);
      if (n === 0) return this.constEv(0n, i64);
      const s = this.const(BigInt(64 - n), i64);
      return this.ev(this.op('arith.shr', [this.op('arith.shl', [v, s]), s]));
    }
    if (n >= 64) {
      this.raiseIf(
        this.op('arith.lt', [v, this.const(0n, i64)]),
        'RangeError',
        `BigInt overflow: BigInt.asUintN(${n}, x) of a negative x does not fit in 64 signed bits`,
      );
      return this.ev(v);
    }
    return this.ev(this.op('arith.and', [v, this.const((1n << BigInt(n)) - 1n, i64)]));
  }

  // ---- TypedArrays

  arrayOperand(a: EV, access: string): ArrayType {
    if (a.lat.kind === 'array') return a.lat;
    return this.unsupported(`${access} of ${describeLat(a.lat)} (only TypedArrays can be indexed)`);
  }

  /** The i64 element position of a JavaScript index; non-integral numbers are out of range (RangeError). */
  index(type: ArrayType, i: EV): Value | undefined {
    switch (kindOf(i.lat)) {
      case 'bigint':
        return this.val(i);
      case 'number': {
        const x = this.val(i);
        const position = this.convert(x, i64);
        const integral = this.op('arith.eq', [this.convert(position, f64), x]);
        this.raiseIf(
          this.not(integral),
          'RangeError',
          `a non-integer index is out of bounds for a ${typedArrayName(type)}`,
        );
        return position;
      }
      case 'boolean':
      case 'undefined':
        this.raise('TypeError', 'a TypedArray index must be a number');
        return undefined;
      default:
        return this.unsupported(`indexing with ${describeLat(i.lat)}`);
    }
  }

  load(a: EV, i: EV): EV {
    const type = this.arrayOperand(a, 'reading an element');
    const position = this.index(type, i);
    if (!position) return { lat: never, loc: this.loc };
    const [raw, m] = this.rb.op('array.load', [this.val(a), position, this.ctx.mem], {}, this.loc);
    this.ctx.mem = m as Value;
    const element = raw as Value;
    if (type.element === i64 || type.element === f64) return this.ev(element);
    if (type.element === u64) {
      const signed = this.convert(element, i64);
      this.raiseIf(
        this.op('arith.lt', [signed, this.const(0n, i64)]),
        'RangeError',
        'BigInt overflow: a BigUint64Array element of 2^63 or more does not fit in 64 signed bits',
      );
      return this.ev(signed);
    }
    return this.ev(this.convert(element, f64));
  }

  /** The value a TypedArray of `type` stores for `v`, converted as JavaScript does, or undefined after a raise. */
  storedValue(type: ArrayType, v: EV): Value | undefined {
    const element = type.element;
    if (element.kind === 'int' && element.bits === 64) {
      const big = this.toBigInt(v, false);
      if (!big.value) return undefined;
      return this.convert(big.value, element);
    }
    if (kindOf(v.lat) === 'bigint') {
      this.raise('TypeError', bigToNumberMessage);
      return undefined;
    }
    const x = this.num(v, 'storing into a TypedArray');
    if (element === f64) return x;
    if (element === f32) return this.convert(x, f32);
    if (type.clamped) return this.clampToUint8(x);
    return this.op('arith.wrap', [x], { type: element });
  }

  /** ToUint8Clamp: NaN -> 0, clamp to 0..255, round half to even. */
  clampToUint8(x: Value): Value {
    // Comparisons with NaN are false, so NaN takes the 0 branch; -0 does too.
    const zero = this.const(0, f64);
    const top = this.const(255, f64);
    // Clamped first, as a min and a max of doubles (one instruction each), then rounded once.
    const below = this.select(this.op('arith.lt', [x, top]), x, top);
    const clamped = this.select(this.op('arith.gt', [x, zero]), below, zero);
    return this.op('arith.convert', [this.op('math.roundeven', [clamped])], { type: u8, inrange: true });
  }

  store(a: EV, i: EV, v: EV): void {
    const type = this.arrayOperand(a, 'writing an element');
    // JavaScript converts the value before it looks at the index.
    const stored = this.storedValue(type, v);
    if (!stored) return;
    const position = this.index(type, i);
    if (!position) return;
    const [m] = this.rb.op('array.store', [this.val(a), position, stored, this.ctx.mem], {}, this.loc);
    this.ctx.mem = m as Value;
  }

  length(a: EV, iterating: boolean): EV {
    const k = kindOf(a.lat);
    if (k === 'array') return this.ev(this.convert(this.op('array.length', [this.val(a)]), f64));
    if (iterating) {
      return this.raise('TypeError', `${describeLat(a.lat)} is not iterable (for...of compiles only over TypedArrays)`);
    }
    if (k === 'undefined') return this.raise('TypeError', "Cannot read properties of undefined (reading 'length')");
    if (k === 'number' || k === 'boolean' || k === 'bigint') return { lat: undefinedLat, loc: this.loc };
    return this.unsupported(`'.length' of ${describeLat(a.lat)}`);
  }

  newArray(kind: string, n: EV): EV {
    const type = arrayTypeOfName(kind);
    if (!type) return this.unsupported(`new ${kind}`);
    let length: Value;
    switch (kindOf(n.lat)) {
      case 'bigint':
        return this.raise('TypeError', bigToNumberMessage);
      case 'undefined':
        length = this.const(0n, i64);
        break;
      default:
        // ToIndex: truncation (NaN -> 0); a negative length is the allocation's RangeError.
        length = this.convert(this.num(n, `new ${kind}`), i64);
    }
    const [array, m] = this.rb.op('array.alloc', [length, this.ctx.mem], { type }, this.loc);
    this.ctx.mem = m as Value;
    return this.ev(array as Value);
  }
}

const arithmeticOps: Readonly<Record<string, [string, string]>> = {
  'js.add': ['add', '+'],
  'js.sub': ['sub', '-'],
  'js.mul': ['mul', '*'],
  'js.div': ['div', '/'],
  'js.rem': ['rem', '%'],
  'js.pow': ['pow', '**'],
};
const bitwiseOps: Readonly<Record<string, [string, string]>> = {
  'js.bitand': ['and', '&'],
  'js.bitor': ['or', '|'],
  'js.bitxor': ['xor', '^'],
  'js.shl': ['shl', '<<'],
  'js.shr': ['shr', '>>'],
  'js.ushr': ['ushr', '>>>'],
};
const relationalOps: Readonly<Record<string, ['lt' | 'le' | 'gt' | 'ge', string]>> = {
  'js.lt': ['lt', '<'],
  'js.le': ['le', '<='],
  'js.gt': ['gt', '>'],
  'js.ge': ['ge', '>='],
};

/**
 * Emits the typed meaning of a `js.*` node whose value operands (state
 * left out) have the given abstract types; returns its value result (or
 * `never` after a raise). Stores return `never` too: they have no value.
 */
export function emitJsOp(ctx: OpContext, node: SimpleNode, operands: readonly EV[]): EV {
  const r = new Rules(ctx, node);
  const [a, b, c] = operands as [EV, EV, EV];
  const arithmetic = arithmeticOps[node.op];
  if (arithmetic) return r.arithmetic(arithmetic[0], arithmetic[1], a, b);
  const bitwise = bitwiseOps[node.op];
  if (bitwise) return r.bitwise(bitwise[0], bitwise[1], a, b);
  const relational = relationalOps[node.op];
  if (relational) return r.relational(relational[0], a, b, relational[1]);
  switch (node.op) {
    case 'js.eq':
      return r.equality(a, b, false, false);
    case 'js.ne':
      return r.equality(a, b, false, true);
    case 'js.looseeq':
      return r.equality(a, b, true, false);
    case 'js.loosene':
      return r.equality(a, b, true, true);
    case 'js.neg':
      if (kindOf(a.lat) === 'bigint') return r.ev(r.checked('sub', r.const(0n, i64), r.val(a)));
      return r.ev(r.op('arith.neg', [r.num(a, "'-'")]));
    case 'js.plus':
      if (kindOf(a.lat) === 'bigint') return r.raise('TypeError', bigToNumberMessage);
      return r.ev(r.num(a, "'+'"));
    case 'js.bitnot':
      if (kindOf(a.lat) === 'bigint') return r.ev(r.op('arith.not', [r.val(a)]));
      return r.ev(r.convert(r.op('arith.not', [r.wrap(a, i32, "'~'")]), f64));
    case 'js.not':
      return truthConstant(a) === undefined ? r.ev(r.not(r.truthy(a))) : r.constEv(!truthConstant(a), bool);
    case 'js.truthy':
      // A truth value known at compile time stays a constant, so the branches it selects are pruned.
      return truthConstant(a) === undefined ? r.ev(r.truthy(a)) : r.constEv(truthConstant(a) as boolean, bool);
    case 'js.is_nullish':
      return r.constEv(a.lat.kind === 'undefined', bool);
    case 'js.typeof_is': {
      // Every value's type is known per specialization, so typeof tests are constants.
      const kind = kindOf(a.lat);
      const type = kind === 'array' ? 'object' : a.lat.kind === 'fnref' ? 'function' : kind;
      if (type === 'other') return r.unsupported(`'typeof' of ${describeLat(a.lat)}`);
      return r.constEv(node.attrs['type'] === type, bool);
    }
    case 'js.to_numeric':
      return kindOf(a.lat) === 'bigint' ? a : r.ev(r.num(a, 'a numeric conversion'));
    case 'js.inc':
    case 'js.dec': {
      const name = node.op === 'js.inc' ? 'add' : 'sub';
      if (kindOf(a.lat) === 'bigint') return r.ev(r.checked(name, r.val(a), r.const(1n, i64)));
      return r.ev(r.op(`arith.${name}`, [r.num(a, "'++'"), r.const(1, f64)]));
    }
    case 'js.to_number':
      if (kindOf(a.lat) === 'bigint') return r.ev(r.convert(r.val(a), f64));
      return r.ev(r.num(a, 'Number()'));
    case 'js.to_bigint':
      return r.toBigInt(a, true);
    case 'js.undefined':
      return { lat: undefinedLat, loc: node.loc };
    case 'js.math':
      return r.math(node.attrs['fn'] as string, operands);
    case 'js.number':
      return r.numberPredicate(node.attrs['fn'] as string, a);
    case 'js.bigint':
      return r.bigintFn(node.attrs['fn'] as string, a, b);
    case 'js.length':
      return r.length(a, false);
    case 'js.iter_length':
      return r.length(a, true);
    case 'js.load':
      return r.load(a, b);
    case 'js.store':
      r.store(a, b, c);
      return { lat: never, loc: node.loc };
    case 'js.new_array':
      return r.newArray(node.attrs['kind'] as string, a);
    default:
      return r.unsupported(`'${node.op}'`);
  }
}
