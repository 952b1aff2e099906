import * as llvm from '../../llvm-ir/index.js';
import { ctxField, type LoweringContext } from '../lowering-context.js';
import { LoweringRegistry, defaultLowerings } from '../lowering-registry.js';
import { napi, napiOk } from '../napi-abi.js';
import { libmFunctions, viaDouble, type DoubleFn } from './math-lowerings.js';

/**
 * Calls `Math.<name>` of the running V8 through N-API, inside its own
 * handle scope so a loop does not accumulate handles. About a hundred
 * nanoseconds per call instead of a few, but the result is V8's to the bit.
 */
function v8Math(name: string): DoubleFn {
  return (ctx: LoweringContext, args: llvm.Value[]) => {
    const b = ctx.builder;
    const env = b.CreateLoad(ctx.i8ptr, ctx.field(ctxField.env));
    const slot = (label: string) => ctx.entryAlloca(ctx.i8ptr, label);
    const scope = slot('scope');
    const global = slot('global');
    const math = slot('math');
    const fn = slot('fn');
    const result = slot('result');
    const argvType = llvm.ArrayType.get(ctx.i8ptr, args.length);
    const argv = ctx.entryAlloca(argvType, 'math.argv');
    const number = ctx.entryAlloca(ctx.f64, 'math.result');
    const statuses: llvm.Value[] = [];
    const check = (status: llvm.Value) => statuses.push(b.CreateICmpNE(status, ctx.i32c(napiOk)));
    check(b.CreateCall(napi(ctx, 'napi_open_handle_scope'), [env, scope]));
    check(b.CreateCall(napi(ctx, 'napi_get_global'), [env, global]));
    check(
      b.CreateCall(napi(ctx, 'napi_get_named_property'), [
        env,
        b.CreateLoad(ctx.i8ptr, global),
        ctx.string('Math'),
        math,
      ]),
    );
    const mathObject = b.CreateLoad(ctx.i8ptr, math);
    check(b.CreateCall(napi(ctx, 'napi_get_named_property'), [env, mathObject, ctx.string(name), fn]));
    args.forEach((arg, i) => {
      const element = b.CreateInBoundsGEP(argvType, argv, [ctx.i32c(0), ctx.i32c(i)]);
      check(b.CreateCall(napi(ctx, 'napi_create_double'), [env, arg, element]));
    });
    const argvPtr = b.CreateInBoundsGEP(argvType, argv, [ctx.i32c(0), ctx.i32c(0)]);
    check(
      b.CreateCall(napi(ctx, 'napi_call_function'), [
        env,
        mathObject,
        b.CreateLoad(ctx.i8ptr, fn),
        ctx.i64c(args.length),
        argvPtr,
        result,
      ]),
    );
    check(b.CreateCall(napi(ctx, 'napi_get_value_double'), [env, b.CreateLoad(ctx.i8ptr, result), number]));
    const value = b.CreateLoad(ctx.f64, number);
    check(b.CreateCall(napi(ctx, 'napi_close_handle_scope'), [env, b.CreateLoad(ctx.i8ptr, scope)]));
    const failed = statuses.reduce((x, y) => b.CreateOr(x, y));
    ctx.raiseIf(failed, 'Error', `calling Math.${name} through N-API failed`);
    return value;
  };
}

/**
 * The default lowerings, except that the transcendental math ops call
 * V8's own `Math` functions, so native results equal JavaScript's bit for
 * bit (libm may differ in the last bit). Slower per call; use it where
 * exactness matters more than speed, and as an example of a registry that
 * overrides built-in lowerings.
 */
export const v8MathLowerings: LoweringRegistry = new LoweringRegistry(defaultLowerings).registerAll(
  Object.fromEntries(libmFunctions.map((name) => [`math.${name}`, viaDouble(v8Math(name))])),
);
