import * as llvm from '../../llvm-ir/index.js';
import type { IntType, Type } from '@rvsdg/ir';
import type { LoweringContext } from '../lowering-context.js';
import type { Lowering } from '../lowering-registry.js';

/**
 * math.* lowerings. Like the interpreter, f32 operands are widened to
 * double, computed once and rounded to f32 once.
 *
 * Exact everywhere (results identical to V8 for every input): sqrt, floor,
 * ceil, trunc, round, roundeven, sign, abs, fma, min, max — through LLVM intrinsics or
 * a few instructions.
 *
 * Through the C library (libm, resolved from the process): cbrt, exp,
 * expm1, log, log1p, log2, log10, sin, cos, tan, asin, acos, atan, sinh,
 * cosh, tanh, asinh, acosh, atanh, atan2, hypot, pow. V8 computes these with
 * its own fdlibm port (and hypot with its own summation), glibc with its
 * own algorithms, so a result may differ from `Math.*` in the last bit for
 * some inputs. Special values (NaN, infinities, zeros) follow JavaScript:
 * pow is patched where C and JavaScript disagree (pow(1, NaN), pow(-1, ±∞)).
 */
export const libmFunctions = [
  'cbrt',
  'exp',
  'expm1',
  'log',
  'log1p',
  'log2',
  'log10',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
  'atan2',
  'hypot',
  'pow',
] as const;

/** The math ops whose native results equal V8's bit for bit. */
export const exactMathOps = [
  'sqrt',
  'floor',
  'ceil',
  'trunc',
  'round',
  'roundeven',
  'sign',
  'abs',
  'fma',
  'min',
  'max',
] as const;

export type DoubleFn = (ctx: LoweringContext, args: llvm.Value[]) => llvm.Value;

/** Runs `compute` on doubles and rounds back to f32 when the op's type is f32. */
export function viaDouble(compute: DoubleFn): Lowering {
  return (ctx, _node, operands) => {
    const b = ctx.builder;
    const type = ctx.operandTypes[0] as Type;
    const single = type.kind === 'float' && type.bits === 32;
    const args = operands.map((v) => (single ? b.CreateFPExt(v as llvm.Value, ctx.f64) : (v as llvm.Value)));
    const r = compute(ctx, args);
    return [single ? b.CreateFPTrunc(r, ctx.f32) : r];
  };
}

function intrinsic(id: llvm.IntrinsicID): DoubleFn {
  return (ctx, args) => ctx.builder.CreateCall(ctx.intrinsic(id, [ctx.f64]), args);
}

function libm(name: string): DoubleFn {
  return (ctx, args) => ctx.builder.CreateCall(ctx.libm(name, args.length), args);
}

const arg = (args: llvm.Value[], i: number): llvm.Value => args[i] as llvm.Value;

/** JavaScript's Math.round: floor(x), plus one when x - floor(x) >= 0.5 (exact), with the sign of x so -0.4 gives -0. */
const round: DoubleFn = (ctx, args) => {
  const b = ctx.builder;
  const x = arg(args, 0);
  const floor = b.CreateCall(ctx.intrinsic(llvm.Intrinsic.floor, [ctx.f64]), [x]);
  const up = b.CreateFCmpOGE(b.CreateFSub(x, floor), ctx.f64c(0.5));
  const r = b.CreateSelect(up, b.CreateFAdd(floor, ctx.f64c(1)), floor);
  return b.CreateCall(ctx.intrinsic(llvm.Intrinsic.copysign, [ctx.f64]), [r, x]);
};

const sign: DoubleFn = (ctx, args) => {
  const b = ctx.builder;
  const x = arg(args, 0);
  const positive = b.CreateSelect(b.CreateFCmpOGT(x, ctx.f64c(0)), ctx.f64c(1), x);
  return b.CreateSelect(b.CreateFCmpOLT(x, ctx.f64c(0)), ctx.f64c(-1), positive);
};

/** C's pow says pow(1, y) = 1 and pow(-1, ±∞) = 1; JavaScript says NaN whenever y is NaN and for (±1) ** ±∞. */
const pow: DoubleFn = (ctx, args) => {
  const b = ctx.builder;
  const [x, y] = [arg(args, 0), arg(args, 1)];
  const r = b.CreateCall(ctx.libm('pow', 2), [x, y]);
  const fabs = ctx.intrinsic(llvm.Intrinsic.fabs, [ctx.f64]);
  const yNaN = b.CreateFCmpUNE(y, y);
  const unitBase = b.CreateFCmpOEQ(b.CreateCall(fabs, [x]), ctx.f64c(1));
  const infiniteExponent = b.CreateFCmpOEQ(b.CreateCall(fabs, [y]), ctx.f64c(Infinity));
  const nan = b.CreateOr(yNaN, b.CreateAnd(unitBase, infiniteExponent));
  return b.CreateSelect(nan, ctx.f64c(NaN), r);
};

/**
 * JavaScript min/max: NaN when either is NaN, and -0 < +0. Equal operands
 * differ only for ±0, where or-ing (min) or and-ing (max) the bits picks the
 * right zero.
 */
function floatMinMax(ctx: LoweringContext, x: llvm.Value, y: llvm.Value, isMin: boolean): llvm.Value {
  const b = ctx.builder;
  const type = x.getType();
  const intType = llvm.Type.getIntNTy(ctx.context, type.getPrimitiveSizeInBits());
  const xi = b.CreateBitCast(x, intType);
  const yi = b.CreateBitCast(y, intType);
  const zeros = b.CreateBitCast(isMin ? b.CreateOr(xi, yi) : b.CreateAnd(xi, yi), type);
  const pick = b.CreateSelect(isMin ? b.CreateFCmpOLT(x, y) : b.CreateFCmpOGT(x, y), x, y);
  const ordered = b.CreateSelect(b.CreateFCmpOEQ(x, y), zeros, pick);
  const unordered = b.CreateOr(b.CreateFCmpUNE(x, x), b.CreateFCmpUNE(y, y));
  return b.CreateSelect(unordered, llvm.ConstantFP.getNaN(type), ordered);
}

function minMax(isMin: boolean): Lowering {
  return (ctx, _node, operands) => {
    const b = ctx.builder;
    const [x, y] = operands as llvm.Value[];
    const type = ctx.operandTypes[0] as Type;
    if (type.kind === 'float') return [floatMinMax(ctx, x as llvm.Value, y as llvm.Value, isMin)];
    const signed = (type as IntType).signed;
    const less = signed
      ? b.CreateICmpSLE(x as llvm.Value, y as llvm.Value)
      : b.CreateICmpULE(x as llvm.Value, y as llvm.Value);
    return [
      isMin
        ? b.CreateSelect(less, x as llvm.Value, y as llvm.Value)
        : b.CreateSelect(less, y as llvm.Value, x as llvm.Value),
    ];
  };
}

const abs: Lowering = (ctx, node, operands) => {
  const type = ctx.operandTypes[0] as Type;
  if (type.kind === 'float') return viaDouble(intrinsic(llvm.Intrinsic.fabs))(ctx, node, operands);
  const b = ctx.builder;
  const x = operands[0] as llvm.Value;
  if (!(type as IntType).signed) return [x];
  // Wraps: abs(MIN) = MIN, as the op defines.
  return [b.CreateSelect(b.CreateICmpSLT(x, ctx.intConstant((type as IntType).bits, 0n)), b.CreateNeg(x), x)];
};

const lowerings: Record<string, Lowering> = {
  'math.sqrt': viaDouble(intrinsic(llvm.Intrinsic.sqrt)),
  'math.floor': viaDouble(intrinsic(llvm.Intrinsic.floor)),
  'math.ceil': viaDouble(intrinsic(llvm.Intrinsic.ceil)),
  'math.trunc': viaDouble(intrinsic(llvm.Intrinsic.trunc)),
  'math.fma': viaDouble(intrinsic(llvm.Intrinsic.fma)),
  'math.round': viaDouble(round),
  'math.roundeven': viaDouble(intrinsic(llvm.Intrinsic.roundeven)),
  'math.sign': viaDouble(sign),
  'math.pow': viaDouble(pow),
  'math.abs': abs,
  'math.min': minMax(true),
  'math.max': minMax(false),
};
for (const name of libmFunctions) {
  if (name !== 'pow') lowerings[`math.${name}`] = viaDouble(libm(name));
}

export const mathLowerings: Readonly<Record<string, Lowering>> = lowerings;
