import * as llvm from '../../llvm-ir/index.js';
import type { ErrorName, FunctionType, IntType, Type } from '@rvsdg/ir';
import { printfLiteral, type Slot } from '../lowering-context.js';
import type { Lowering } from '../lowering-registry.js';

const operand = (operands: readonly Slot[], i: number): llvm.Value => operands[i] as llvm.Value;

export const builtinLowerings: Record<string, Lowering> = {
  const: (ctx, node) => [ctx.constant(node.outputs[0] as Type, node.attrs['value'] as number | bigint | boolean)],

  // The interpreter gives undef the zero value; so does the backend, so no LLVM undef or poison ever appears.
  undef: (ctx, node) => {
    const type = ctx.typeOf(node.outputs[0] as Type);
    return [type ? llvm.Constant.getNullValue(type) : undefined];
  },

  match: (ctx, node, operands) => {
    const b = ctx.builder;
    const n = node.attrs['alternatives'] as number;
    const v = operand(operands, 0);
    const type = ctx.operandTypes[0] as Type;
    if (type.kind === 'bool') return [b.CreateZExt(v, ctx.i32)];
    // Widen first so a negative signed value compares as out of range rather than wrapping into it.
    const wide = (type as IntType).signed ? b.CreateSExt(v, ctx.i64) : b.CreateZExt(v, ctx.i64);
    const inRange = b.CreateICmpULT(wide, ctx.i64c(n));
    return [b.CreateTrunc(b.CreateSelect(inRange, wide, ctx.i64c(n - 1)), ctx.i32)];
  },

  call: (ctx, node, operands) => {
    const b = ctx.builder;
    const calleeType = ctx.operandTypes[0] as FunctionType;
    const callee = operand(operands, 0);
    const args = operands.slice(1).filter((v): v is llvm.Value => v !== undefined);
    args.push(ctx.fn.ctxArg);
    if (!(callee instanceof llvm.Function)) {
      // Only `undef` makes a null function value; calling it must raise, not jump to address 0.
      ctx.raiseIf(b.CreateIsNull(callee), 'TypeError', ctx.messageFormat(node, 'called an undefined function value'));
    }
    // notail: every call keeps its frame, as in V8, so runaway recursion reaches the stack guard and raises
    // RangeError instead of running on as a loop (tail calls and recursion turned into loops, which the
    // error checks after calls used to prevent, but calls to functions that cannot raise have none).
    const result =
      callee instanceof llvm.Function
        ? b.NoTail().CreateCall(callee, args)
        : b.NoTail().CreateCall(ctx.functionType(calleeType), callee, args);
    ctx.propagateError(callee instanceof llvm.Function ? callee : undefined);
    const live = calleeType.results.filter((t) => ctx.typeOf(t) !== undefined).length;
    if (live === 0) return [];
    if (live === 1) return [result];
    return Array.from({ length: live }, (_, i) => b.CreateExtractValue(result, [i]));
  },

  raise: (ctx, node) => {
    ctx.raise(
      node.attrs['error'] as ErrorName,
      ctx.messageFormat(node, printfLiteral(node.attrs['message'] as string)),
    );
    return [undefined];
  },
};
