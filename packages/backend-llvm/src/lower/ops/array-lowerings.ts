import * as llvm from '../../llvm-ir/index.js';
import type { ArrayType } from '@rvsdg/ir';
import { maxArrayLength } from '@rvsdg/ir';
import { ctxField, type LoweringContext } from '../lowering-context.js';
import type { Lowering } from '../lowering-registry.js';
import { napi, napiOk, typedArrayKind } from '../napi-abi.js';

/** Array values are `{ element*, i64 length, napi_value }` (see LoweringContext.arrayType). */

function elementAddress(ctx: LoweringContext, array: llvm.Value, type: ArrayType, index: llvm.Value): llvm.Value {
  const b = ctx.builder;
  const data = b.CreateExtractValue(array, [0]);
  return b.CreateInBoundsGEP(ctx.storageType(type.element), data, [index]);
}

/** The interpreter's RangeError, same message; an unsigned compare also catches negative indices. */
function checkBounds(ctx: LoweringContext, node: Parameters<Lowering>[1], array: llvm.Value, index: llvm.Value): void {
  const b = ctx.builder;
  const length = b.CreateExtractValue(array, [1]);
  ctx.raiseIf(
    b.CreateICmpUGE(index, length),
    'RangeError',
    ctx.messageFormat(node, 'index %lld is out of bounds for an array of length %lld'),
    [index, length],
  );
}

/**
 * Makes an ArrayBuffer of `bytes` zero bytes with V8's ArrayBuffer
 * constructor (`new ArrayBuffer(bytes)`): stores its data pointer in `data`
 * and its napi_value in `buffer`, returns the napi_status. Every size goes
 * through the constructor: napi_create_arraybuffer ends the process
 * (v8::ArrayBuffer::New's fatal "Allocation failed") when V8 cannot
 * allocate, even for a small buffer, where the constructor collects
 * garbage, retries, then throws; that exception is cleared and raised as
 * V8's RangeError.
 */
function createArrayBuffer(
  ctx: LoweringContext,
  node: Parameters<Lowering>[1],
  env: llvm.Value,
  bytes: llvm.Value,
  data: llvm.Value,
  buffer: llvm.Value,
): llvm.Value {
  const b = ctx.builder;
  const global = ctx.entryAlloca(ctx.i8ptr, 'alloc.global');
  const constructor = ctx.entryAlloca(ctx.i8ptr, 'alloc.constructor');
  const size = ctx.entryAlloca(ctx.i8ptr, 'alloc.size');
  const statuses = [
    b.CreateCall(napi(ctx, 'napi_get_global'), [env, global]),
    b.CreateCall(napi(ctx, 'napi_get_named_property'), [
      env,
      b.CreateLoad(ctx.i8ptr, global),
      ctx.string('ArrayBuffer'),
      constructor,
    ]),
    b.CreateCall(napi(ctx, 'napi_create_double'), [env, b.CreateUIToFP(bytes, ctx.f64), size]),
    b.CreateCall(napi(ctx, 'napi_new_instance'), [
      env,
      b.CreateLoad(ctx.i8ptr, constructor),
      ctx.i64c(1),
      size,
      buffer,
    ]),
  ];
  const failed = statuses.map((s) => b.CreateICmpNE(s, ctx.i32c(napiOk))).reduce((x, y) => b.CreateOr(x, y));
  const thrown = ctx.newBlock('alloc.failed');
  const made = ctx.newBlock('alloc.made');
  b.CreateCondBr(failed, thrown, made);
  b.SetInsertPoint(thrown);
  b.CreateCall(napi(ctx, 'napi_get_and_clear_last_exception'), [env, ctx.entryAlloca(ctx.i8ptr, 'alloc.exception')]);
  ctx.raise('RangeError', ctx.messageFormat(node, 'Array buffer allocation failed'));
  b.CreateUnreachable();
  b.SetInsertPoint(made);
  const length = ctx.entryAlloca(ctx.i64, 'alloc.length');
  return b.CreateCall(napi(ctx, 'napi_get_arraybuffer_info'), [env, b.CreateLoad(ctx.i8ptr, buffer), data, length]);
}

/** array.load and array.store, with the bounds check or (for `boundscheck: false`) without it. */
function loadAndStore(checked: boolean): Record<string, Lowering> {
  return {
    'array.load': (ctx, node, operands) => {
      const b = ctx.builder;
      const type = ctx.operandTypes[0] as ArrayType;
      const [array, index] = operands as llvm.Value[];
      if (checked && node.attrs['inbounds'] !== true) checkBounds(ctx, node, array as llvm.Value, index as llvm.Value);
      const address = elementAddress(ctx, array as llvm.Value, type, index as llvm.Value);
      const stored = b.CreateLoad(ctx.storageType(type.element), address);
      const value = type.element.kind === 'bool' ? b.CreateICmpNE(stored, llvm.ConstantInt.get(ctx.i8, 0)) : stored;
      return [value, undefined];
    },

    'array.store': (ctx, node, operands) => {
      const b = ctx.builder;
      const type = ctx.operandTypes[0] as ArrayType;
      const [array, index, value] = operands as llvm.Value[];
      if (checked && node.attrs['inbounds'] !== true) checkBounds(ctx, node, array as llvm.Value, index as llvm.Value);
      const address = elementAddress(ctx, array as llvm.Value, type, index as llvm.Value);
      // A clamped u8 array receives u8 values, which are already in 0..255.
      const stored = type.element.kind === 'bool' ? b.CreateZExt(value as llvm.Value, ctx.i8) : (value as llvm.Value);
      b.CreateStore(stored, address);
      return [undefined];
    },
  };
}

/**
 * Loads and stores without the index check, for `boundscheck: false`: an
 * out-of-range index is then undefined behaviour, so only callers that
 * accept that use these (registry.extend(uncheckedArrayLowerings)).
 */
export const uncheckedArrayLowerings: Readonly<Record<string, Lowering>> = loadAndStore(false);

export const arrayLowerings: Record<string, Lowering> = {
  'array.length': (ctx, _node, operands) => [ctx.builder.CreateExtractValue(operands[0] as llvm.Value, [1])],

  ...loadAndStore(true),

  /**
   * A zero-filled TypedArray made through N-API, so it is garbage collected
   * like any other and can be returned to JavaScript. The buffer comes from
   * V8's ArrayBuffer constructor, which throws a RangeError when memory runs
   * out (see createArrayBuffer).
   */
  'array.alloc': (ctx, node, operands) => {
    const b = ctx.builder;
    const type = node.attrs['type'] as ArrayType;
    const length = operands[0] as llvm.Value;
    ctx.raiseIf(
      b.CreateICmpUGT(length, ctx.i64c(maxArrayLength)),
      'RangeError',
      ctx.messageFormat(node, 'Invalid typed array length: %lld'),
      [length],
    );
    const elementType = ctx.storageType(type.element);
    const elementSize = type.element.kind === 'bool' ? 1 : type.element.bits / 8;
    const env = b.CreateLoad(ctx.i8ptr, ctx.field(ctxField.env));
    const data = ctx.entryAlloca(ctx.i8ptr, 'alloc.data');
    const buffer = ctx.entryAlloca(ctx.i8ptr, 'alloc.buffer');
    const array = ctx.entryAlloca(ctx.i8ptr, 'alloc.array');
    const bytes = b.CreateMul(length, ctx.i64c(elementSize));
    const s1 = createArrayBuffer(ctx, node, env, bytes, data, buffer);
    const bufferValue = b.CreateLoad(ctx.i8ptr, buffer);
    const s2 = b.CreateCall(napi(ctx, 'napi_create_typedarray'), [
      env,
      ctx.i32c(typedArrayKind(type)),
      length,
      bufferValue,
      ctx.i64c(0),
      array,
    ]);
    const failed = b.CreateOr(b.CreateICmpNE(s1, ctx.i32c(napiOk)), b.CreateICmpNE(s2, ctx.i32c(napiOk)));
    ctx.raiseIf(failed, 'RangeError', ctx.messageFormat(node, 'Array buffer allocation failed'));
    let value: llvm.Value = llvm.UndefValue.get(ctx.arrayType(type));
    value = b.CreateInsertValue(
      value,
      b.CreateBitCast(b.CreateLoad(ctx.i8ptr, data), llvm.PointerType.getUnqual(elementType)),
      [0],
    );
    value = b.CreateInsertValue(value, length, [1]);
    value = b.CreateInsertValue(value, b.CreateLoad(ctx.i8ptr, array), [2]);
    return [value, undefined];
  },
};
