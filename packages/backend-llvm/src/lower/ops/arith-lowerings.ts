import * as llvm from '../../llvm-ir/index.js';
import type { FloatType, IntType, ScalarType, SimpleNode } from '@rvsdg/ir';
import { typeToString } from '@rvsdg/ir';
import type { LoweringContext, Slot } from '../lowering-context.js';
import type { Lowering } from '../lowering-registry.js';

/*
 * The arith ops are total (see packages/ir/src/ops/arith.ts), and so is
 * their code: no LLVM instruction here can produce poison or trap. Integer
 * division uses a divisor that is never 0 and never -1 with the minimum
 * dividend; shift amounts are masked to the bit width; float to integer
 * conversion saturates.
 */

type Binary = (ctx: LoweringContext, a: llvm.Value, b: llvm.Value, type: ScalarType) => llvm.Value;

function binary(meaning: Binary): Lowering {
  return (ctx, _node, operands) => [
    meaning(ctx, operands[0] as llvm.Value, operands[1] as llvm.Value, ctx.operandTypes[0] as ScalarType),
  ];
}

function intOrFloat(
  int: (b: llvm.IRBuilder, x: llvm.Value, y: llvm.Value, type: IntType, ctx: LoweringContext) => llvm.Value,
  float: (b: llvm.IRBuilder, x: llvm.Value, y: llvm.Value) => llvm.Value,
): Lowering {
  return binary((ctx, a, b, type) =>
    type.kind === 'float' ? float(ctx.builder, a, b) : int(ctx.builder, a, b, type as IntType, ctx),
  );
}

function minInt(ctx: LoweringContext, type: IntType): llvm.Value {
  return ctx.intConstant(type.bits, -(1n << BigInt(type.bits - 1)));
}

/** A divisor that is 1 where `y` would be 0 or where `x / y` would overflow (MIN / -1); the caller fixes those results. */
function safeDivisor(ctx: LoweringContext, x: llvm.Value, y: llvm.Value, type: IntType): llvm.Value {
  const b = ctx.builder;
  const one = ctx.intConstant(type.bits, 1n);
  let bad = b.CreateICmpEQ(y, ctx.intConstant(type.bits, 0n));
  if (type.signed) {
    const overflow = b.CreateAnd(
      b.CreateICmpEQ(x, minInt(ctx, type)),
      b.CreateICmpEQ(y, ctx.intConstant(type.bits, -1n)),
    );
    bad = b.CreateOr(bad, overflow);
  }
  return b.CreateSelect(bad, one, y);
}

export function intDivision(ctx: LoweringContext, x: llvm.Value, y: llvm.Value, type: IntType): llvm.Value {
  const b = ctx.builder;
  const d = safeDivisor(ctx, x, y, type);
  // MIN / 1 = MIN is already right for MIN / -1; only y = 0 needs its result replaced.
  const q = type.signed ? b.CreateSDiv(x, d) : b.CreateUDiv(x, d);
  return b.CreateSelect(b.CreateICmpEQ(y, ctx.intConstant(type.bits, 0n)), ctx.intConstant(type.bits, 0n), q);
}

export function intRemainder(ctx: LoweringContext, x: llvm.Value, y: llvm.Value, type: IntType): llvm.Value {
  const b = ctx.builder;
  // x % 1 = 0, which is also the right result for y = 0 and for MIN % -1.
  const d = safeDivisor(ctx, x, y, type);
  return type.signed ? b.CreateSRem(x, d) : b.CreateURem(x, d);
}

function maskedShift(ctx: LoweringContext, amount: llvm.Value, type: IntType): llvm.Value {
  return ctx.builder.CreateAnd(amount, ctx.intConstant(type.bits, BigInt(type.bits - 1)));
}

type Predicates = {
  signed: (b: llvm.IRBuilder, x: llvm.Value, y: llvm.Value) => llvm.Value;
  unsigned: (b: llvm.IRBuilder, x: llvm.Value, y: llvm.Value) => llvm.Value;
  float: (b: llvm.IRBuilder, x: llvm.Value, y: llvm.Value) => llvm.Value;
};

function comparison(p: Predicates): Lowering {
  return binary((ctx, x, y, type) => {
    const b = ctx.builder;
    if (type.kind === 'float') return p.float(b, x, y);
    // bool compares like 0/1 (false < true), so unsigned.
    return type.kind === 'int' && type.signed ? p.signed(b, x, y) : p.unsigned(b, x, y);
  });
}

/** Converts a scalar between IR scalar types exactly as `convertValue` in the IR does. */
export function convertScalar(ctx: LoweringContext, v: llvm.Value, from: ScalarType, to: ScalarType): llvm.Value {
  const b = ctx.builder;
  if (from === to) return v;
  if (to.kind === 'bool') {
    if (from.kind === 'float') return b.CreateFCmpONE(v, llvm.ConstantFP.get(ctx.valueType(from), 0));
    return b.CreateICmpNE(v, llvm.Constant.getNullValue(ctx.valueType(from)));
  }
  const toType = ctx.valueType(to);
  if (to.kind === 'float') {
    if (from.kind === 'float') return to.bits > from.bits ? b.CreateFPExt(v, toType) : b.CreateFPTrunc(v, toType);
    // Integer -> f32 goes through f64 like the interpreter (Number(), then Math.fround): two roundings.
    const signed = from.kind === 'int' && from.signed;
    const d = signed ? b.CreateSIToFP(v, ctx.f64) : b.CreateUIToFP(v, ctx.f64);
    return to.bits === 32 ? b.CreateFPTrunc(d, ctx.f32) : d;
  }
  if (from.kind === 'float') return saturatingConversion(ctx, v, from, to as IntType);
  if (from.kind === 'bool') return b.CreateZExt(v, toType);
  if (from.bits === to.bits) return v;
  if (from.bits > to.bits) return b.CreateTrunc(v, toType);
  return from.signed ? b.CreateSExt(v, toType) : b.CreateZExt(v, toType);
}

/**
 * fptosi.sat / fptoui.sat (NaN gives 0, out-of-range values the nearest
 * bound) spelled as a plain conversion and selects: the same results, but
 * LLVM 14 vectorizes a loop containing these and not one calling the
 * saturating intrinsics. The conversion is poison only where a select
 * discards it.
 */
function saturatingConversion(ctx: LoweringContext, v: llvm.Value, from: FloatType, to: IntType): llvm.Value {
  const b = ctx.builder;
  const min = to.signed ? -(1n << BigInt(to.bits - 1)) : 0n;
  const max = to.signed ? (1n << BigInt(to.bits - 1)) - 1n : (1n << BigInt(to.bits)) - 1n;
  const floatType = ctx.valueType(from);
  // Below min - 1 or above max + 1 (as rounded to the float type) the truncated value does not fit.
  const low = llvm.ConstantFP.get(floatType, Number(min - 1n));
  const high = llvm.ConstantFP.get(floatType, Number(max + 1n));
  const toType = ctx.valueType(to);
  const converted = to.signed ? b.CreateFPToSI(v, toType) : b.CreateFPToUI(v, toType);
  const clampedHigh = b.CreateSelect(b.CreateFCmpOGE(v, high), ctx.intConstant(to.bits, max), converted);
  const clamped = b.CreateSelect(b.CreateFCmpOLE(v, low), ctx.intConstant(to.bits, min), clampedHigh);
  return b.CreateSelect(b.CreateFCmpUNE(v, v), ctx.intConstant(to.bits, 0n), clamped);
}

/**
 * JavaScript's ToInt32 generalised to any width: truncate, then reduce
 * modulo 2^64 (then to the target width); NaN and infinities give 0. Below
 * 2^63 in magnitude fptosi is exact; above, the double is mantissa * 2^k
 * with k >= 11, so the low 64 bits are the mantissa shifted left by k.
 */
export function wrapFloat(ctx: LoweringContext, v: llvm.Value, from: ScalarType, to: IntType): llvm.Value {
  const b = ctx.builder;
  const x = from.kind === 'float' && from.bits === 32 ? b.CreateFPExt(v, ctx.f64) : v;
  const fabs = ctx.intrinsic(llvm.Intrinsic.fabs, [ctx.f64]);
  const magnitude = b.CreateCall(fabs, [x]);
  const small = b.CreateFCmpOLT(magnitude, ctx.f64c(2 ** 63));
  // Poison when not small, where the select below discards it.
  const direct = b.CreateFPToSI(x, ctx.i64);
  const bits = b.CreateBitCast(x, ctx.i64);
  const exponent = b.CreateAnd(b.CreateLShr(bits, ctx.i64c(52)), ctx.i64c(0x7ff));
  const mantissa = b.CreateOr(b.CreateAnd(bits, ctx.intConstant(64, (1n << 52n) - 1n)), ctx.intConstant(64, 1n << 52n));
  const k = b.CreateSub(exponent, ctx.i64c(1075));
  const shifted = b.CreateShl(mantissa, b.CreateAnd(k, ctx.i64c(63)));
  // k >= 64 covers infinities and NaN (exponent 0x7ff) as well as huge finite values: all are 0 modulo 2^64.
  const large = b.CreateSelect(b.CreateICmpSGE(k, ctx.i64c(64)), ctx.i64c(0), shifted);
  const negative = b.CreateICmpSLT(bits, ctx.i64c(0));
  const signedLarge = b.CreateSelect(negative, b.CreateNeg(large), large);
  const wrapped = b.CreateSelect(small, direct, signedLarge);
  return to.bits === 64 ? wrapped : b.CreateTrunc(wrapped, ctx.valueType(to));
}

function checked(name: 'add' | 'sub' | 'mul' | 'div' | 'rem'): Lowering {
  return (ctx, node, operands) => {
    const b = ctx.builder;
    const type = ctx.operandTypes[0] as IntType;
    const x = operands[0] as llvm.Value;
    const y = operands[1] as llvm.Value;
    const overflowMessage = ctx.messageFormat(
      node,
      `${typeToString(type)} overflow: the exact result does not fit in ${type.bits} bits`,
    );
    if (name === 'div' || name === 'rem') {
      ctx.raiseIf(
        b.CreateICmpEQ(y, ctx.intConstant(type.bits, 0n)),
        'RangeError',
        ctx.messageFormat(node, 'Division by zero'),
      );
      if (name === 'div' && type.signed) {
        const overflow = b.CreateAnd(
          b.CreateICmpEQ(x, minInt(ctx, type)),
          b.CreateICmpEQ(y, ctx.intConstant(type.bits, -1n)),
        );
        ctx.raiseIf(overflow, 'RangeError', overflowMessage);
      }
      return [name === 'div' ? intDivision(ctx, x, y, type) : intRemainder(ctx, x, y, type), undefined];
    }
    const ids = {
      add: type.signed ? llvm.Intrinsic.sadd_with_overflow : llvm.Intrinsic.uadd_with_overflow,
      sub: type.signed ? llvm.Intrinsic.ssub_with_overflow : llvm.Intrinsic.usub_with_overflow,
      mul: type.signed ? llvm.Intrinsic.smul_with_overflow : llvm.Intrinsic.umul_with_overflow,
    };
    const pair = b.CreateCall(ctx.intrinsic(ids[name], [ctx.valueType(type)]), [x, y]);
    ctx.raiseIf(b.CreateExtractValue(pair, [1]), 'RangeError', overflowMessage);
    return [b.CreateExtractValue(pair, [0]), undefined];
  };
}

function unaryType(ctx: LoweringContext): ScalarType {
  return ctx.operandTypes[0] as ScalarType;
}

function targetType(node: SimpleNode): ScalarType {
  return node.outputs[0] as ScalarType;
}

export const arithLowerings: Record<string, Lowering> = {
  'arith.add': intOrFloat(
    (b, x, y) => b.CreateAdd(x, y),
    (b, x, y) => b.CreateFAdd(x, y),
  ),
  'arith.sub': intOrFloat(
    (b, x, y) => b.CreateSub(x, y),
    (b, x, y) => b.CreateFSub(x, y),
  ),
  'arith.mul': intOrFloat(
    (b, x, y) => b.CreateMul(x, y),
    (b, x, y) => b.CreateFMul(x, y),
  ),
  // f32 +, -, *, / and % computed in float equal the interpreter's double result rounded once to f32.
  'arith.div': intOrFloat(
    (_b, x, y, t, ctx) => intDivision(ctx, x, y, t),
    (b, x, y) => b.CreateFDiv(x, y),
  ),
  'arith.rem': intOrFloat(
    (_b, x, y, t, ctx) => intRemainder(ctx, x, y, t),
    (b, x, y) => b.CreateFRem(x, y),
  ),
  'arith.and': binary((ctx, x, y) => ctx.builder.CreateAnd(x, y)),
  'arith.or': binary((ctx, x, y) => ctx.builder.CreateOr(x, y)),
  'arith.xor': binary((ctx, x, y) => ctx.builder.CreateXor(x, y)),
  'arith.shl': binary((ctx, x, y, t) => ctx.builder.CreateShl(x, maskedShift(ctx, y, t as IntType))),
  'arith.shr': binary((ctx, x, y, t) => {
    const amount = maskedShift(ctx, y, t as IntType);
    return (t as IntType).signed ? ctx.builder.CreateAShr(x, amount) : ctx.builder.CreateLShr(x, amount);
  }),
  'arith.neg': (ctx, _node, operands) => {
    const x = operands[0] as llvm.Value;
    return [unaryType(ctx).kind === 'float' ? ctx.builder.CreateFNeg(x) : ctx.builder.CreateNeg(x)];
  },
  'arith.not': (ctx, _node, operands) => [ctx.builder.CreateNot(operands[0] as llvm.Value)],
  'arith.eq': comparison({
    signed: (b, x, y) => b.CreateICmpEQ(x, y),
    unsigned: (b, x, y) => b.CreateICmpEQ(x, y),
    float: (b, x, y) => b.CreateFCmpOEQ(x, y),
  }),
  'arith.ne': comparison({
    signed: (b, x, y) => b.CreateICmpNE(x, y),
    unsigned: (b, x, y) => b.CreateICmpNE(x, y),
    float: (b, x, y) => b.CreateFCmpUNE(x, y),
  }),
  'arith.lt': comparison({
    signed: (b, x, y) => b.CreateICmpSLT(x, y),
    unsigned: (b, x, y) => b.CreateICmpULT(x, y),
    float: (b, x, y) => b.CreateFCmpOLT(x, y),
  }),
  'arith.le': comparison({
    signed: (b, x, y) => b.CreateICmpSLE(x, y),
    unsigned: (b, x, y) => b.CreateICmpULE(x, y),
    float: (b, x, y) => b.CreateFCmpOLE(x, y),
  }),
  'arith.gt': comparison({
    signed: (b, x, y) => b.CreateICmpSGT(x, y),
    unsigned: (b, x, y) => b.CreateICmpUGT(x, y),
    float: (b, x, y) => b.CreateFCmpOGT(x, y),
  }),
  'arith.ge': comparison({
    signed: (b, x, y) => b.CreateICmpSGE(x, y),
    unsigned: (b, x, y) => b.CreateICmpUGE(x, y),
    float: (b, x, y) => b.CreateFCmpOGE(x, y),
  }),
  'arith.convert': (ctx, node, operands) => {
    const [from, to] = [unaryType(ctx), targetType(node)];
    const v = operands[0] as llvm.Value;
    if (node.attrs['inrange'] === true && from.kind === 'float' && to.kind === 'int') {
      const toType = ctx.valueType(to);
      return [to.signed ? ctx.builder.CreateFPToSI(v, toType) : ctx.builder.CreateFPToUI(v, toType)];
    }
    return [convertScalar(ctx, v, from, to)];
  },
  'arith.wrap': (ctx, node, operands) => [
    wrapFloat(ctx, operands[0] as llvm.Value, unaryType(ctx), targetType(node) as IntType),
  ],
  'arith.select': (ctx, _node, operands) => {
    const [cond, x, y] = operands as Slot[];
    if (x === undefined || y === undefined) return [undefined];
    return [ctx.builder.CreateSelect(cond as llvm.Value, x, y)];
  },
  'arith.checked_add': checked('add'),
  'arith.checked_sub': checked('sub'),
  'arith.checked_mul': checked('mul'),
  'arith.checked_div': checked('div'),
  'arith.checked_rem': checked('rem'),
};
