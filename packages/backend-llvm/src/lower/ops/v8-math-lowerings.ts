import * as llvm from '../../llvm-ir/index.js';
import { type LoweringContext } from '../lowering-context.js';
import { LoweringRegistry, defaultLowerings } from '../lowering-registry.js';
import { libmFunctions, viaDouble, type DoubleFn } from './math-lowerings.js';

/**
 * The native function computing `Math.<name>` exactly as this V8 does:
 * native/math/ is a C port of V8's fdlibm-derived Math (and of its
 * Math.hypot), linked into the engine for jitted code and into every AOT
 * addon. A plain call, a few nanoseconds, instead of a call into V8.
 */
export function exactMathSymbol(name: string): string {
  return `rvsdg_${name}`;
}

function exactMath(name: string): DoubleFn {
  return (ctx: LoweringContext, args: llvm.Value[]) =>
    ctx.builder.CreateCall(ctx.libm(exactMathSymbol(name), args.length), args);
}

/**
 * The default lowerings, except that the transcendental math ops (exp, log,
 * pow, sin, hypot, ...) compute V8's results bit for bit instead of libm's
 * (which may differ in the last bit): exact semantics. The name is
 * historical: these once called V8's `Math` through N-API.
 */
export const v8MathLowerings: LoweringRegistry = new LoweringRegistry(defaultLowerings).registerAll(
  Object.fromEntries(libmFunctions.map((name) => [`math.${name}`, viaDouble(exactMath(name))])),
);
