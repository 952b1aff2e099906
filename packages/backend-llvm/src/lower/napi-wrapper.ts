import * as llvm from '../llvm-ir/index.js';
import type { ArrayType, LambdaNode, Type } from '@rvsdg/ir';
import { typeToString } from '@rvsdg/ir';
import { LoweringError } from './errors.js';
import { ctxField, errorKinds, LoweringContext, printfLiteral, stackLimitSymbol } from './lowering-context.js';
import { napi, napiOk, typedArrayKind, typedArrayNames, type NapiName } from './napi-abi.js';

/** The module's init function and the flag saying it has run. */
export interface ModuleInit {
  readonly fn: llvm.Function;
  readonly ready: llvm.GlobalVariable;
}

export interface WrapperRequest {
  readonly exportName: string;
  /** Position of the export, to keep symbols unique. */
  readonly index: number;
  readonly lambda: LambdaNode;
  readonly fn: llvm.Function;
  readonly init: ModuleInit | undefined;
  /** Whether the module has recursive functions, whose stack guards need this thread's stack limit. */
  readonly stackGuard: boolean;
  /** TypedArray parameters arrive as (TypedArray, ArrayBuffer); see LowerOptions.arrayArguments. */
  readonly unpackedArrays?: boolean;
}

const messageBufferSize = 512;

/**
 * Emits `i8* @rvsdg_napi_<name>_<index>(i8* env, i8* info)`, an N-API
 * callback that calls the lowered function: it checks the argument count,
 * converts each non-state argument (numbers, booleans, BigInts,
 * TypedArrays; a mismatching type is a TypeError naming the argument),
 * runs the module's init once, calls the kernel with a fresh error slot,
 * and boxes the result: undefined for no non-state result, the value for
 * one, a JS array for several. When the error slot reports an error it
 * formats the message and throws the matching JS error class. Returns the
 * symbol.
 */
export function generateWrapper(ctx: LoweringContext, request: WrapperRequest): string {
  const { exportName, lambda } = request;
  const params = lambda.type.params.filter((t) => t.kind !== 'state');
  const results = lambda.type.results.filter((t) => t.kind !== 'state');
  for (const t of [...params, ...results]) checkBoxable(exportName, t);

  const b = ctx.builder;
  const symbol = `rvsdg_napi_${exportName.replace(/[^A-Za-z0-9_]/g, '_')}_${request.index}`;
  const fn = ctx.createFunction(
    llvm.FunctionType.get(ctx.i8ptr, [ctx.i8ptr, ctx.i8ptr], false),
    llvm.Function.LinkageTypes.ExternalLinkage,
    symbol,
  );
  const env = fn.getArg(0);
  const info = fn.getArg(1);
  const entry = llvm.BasicBlock.Create(ctx.context, 'entry', fn);
  b.SetInsertPoint(entry);
  const slot = b.CreateAlloca(ctx.ctxType, null, 'ctx');
  const fail = llvm.BasicBlock.Create(ctx.context, 'throw', fn);
  ctx.fn = { fn, ctxArg: slot, returnType: ctx.i8ptr, failBlock: fail };
  b.CreateStore(ctx.i32c(0), ctx.field(ctxField.kind));
  const stackLimit = request.stackGuard ? b.CreateCall(ctx.external(stackLimitSymbol, ctx.i64, []), []) : ctx.i64c(0);
  b.CreateStore(stackLimit, ctx.field(ctxField.stackLimit));
  b.CreateStore(env, ctx.field(ctxField.env));

  // Arguments: one napi_value per parameter, two per TypedArray when they come unpacked.
  const unpacked = request.unpackedArrays ?? false;
  const width = (type: Type): number => (unpacked && type.kind === 'array' ? 2 : 1);
  const argCount = params.reduce((n, type) => n + width(type), 0);
  const argc = b.CreateAlloca(ctx.i64, null, 'argc');
  b.CreateStore(ctx.i64c(argCount), argc);
  const argvType = llvm.ArrayType.get(ctx.i8ptr, Math.max(1, argCount));
  const argv = b.CreateAlloca(argvType, null, 'argv');
  const argvPtr = b.CreateInBoundsGEP(argvType, argv, [ctx.i32c(0), ctx.i32c(0)]);
  const nullPtr = llvm.ConstantPointerNull.get(llvm.PointerType.getUnqual(ctx.i8ptr));
  b.CreateCall(napi(ctx, 'napi_get_cb_info'), [env, info, argc, argvPtr, nullPtr, nullPtr]);
  const count = b.CreateLoad(ctx.i64, argc);
  ctx.raiseIf(
    b.CreateICmpNE(count, ctx.i64c(argCount)),
    'TypeError',
    `'${printfLiteral(exportName)}' expects ${argCount} argument(s), got %lld`,
    [count],
  );
  let next = 0;
  const argAt = (j: number): llvm.Value =>
    b.CreateLoad(ctx.i8ptr, b.CreateInBoundsGEP(argvType, argv, [ctx.i32c(0), ctx.i32c(j)]));
  const args = params.map((type, i) => {
    const at = next;
    next += width(type);
    const what = `argument ${i} of '${printfLiteral(exportName)}'`;
    if (type.kind === 'array' && unpacked) {
      return unboxUnpackedArray(ctx, env, [argAt(at), argAt(at + 1)], type, what);
    }
    return unbox(ctx, env, argAt(at), type, what);
  });

  if (request.init) {
    const { fn: initFn, ready } = request.init;
    const run = ctx.newBlock('init');
    const go = ctx.newBlock('call');
    b.CreateCondBr(b.CreateICmpEQ(b.CreateLoad(ctx.i8, ready), llvm.ConstantInt.get(ctx.i8, 0)), run, go);
    b.SetInsertPoint(run);
    b.CreateCall(initFn, [slot]);
    ctx.propagateError();
    b.CreateStore(llvm.ConstantInt.get(ctx.i8, 1), ready);
    b.CreateBr(go);
    b.SetInsertPoint(go);
  }

  const result = b.CreateCall(request.fn, [...args, slot]);
  ctx.propagateError(request.fn);
  if (results.length === 0) b.CreateRet(undefinedValue(ctx, env));
  else if (results.length === 1) b.CreateRet(box(ctx, env, result, results[0] as Type));
  else {
    const array = napiOut(ctx, 'napi_create_array_with_length', ctx.i8ptr, 'results', [env, ctx.i64c(results.length)]);
    results.forEach((type, i) => {
      const element = box(ctx, env, b.CreateExtractValue(result, [i]), type);
      b.CreateCall(napi(ctx, 'napi_set_element'), [env, array, ctx.i32c(i), element]);
    });
    b.CreateRet(array);
  }

  emitThrow(ctx, env, fail);
  return symbol;
}

function checkBoxable(exportName: string, type: Type): void {
  const ok = type.kind === 'bool' || type.kind === 'int' || type.kind === 'float' || type.kind === 'array';
  if (!ok) {
    throw new LoweringError(
      `export '${exportName}' has a ${typeToString(type)} parameter or result; JavaScript can only pass numbers, booleans, BigInts and TypedArrays`,
    );
  }
}

/** Calls the N-API function `name`, whose last parameter points to where it writes one value of `type`: that value. */
function napiOut(
  ctx: LoweringContext,
  name: NapiName,
  type: llvm.Type,
  label: string,
  args: readonly llvm.Value[],
): llvm.Value {
  const out = ctx.entryAlloca(type, label);
  ctx.builder.CreateCall(napi(ctx, name), [...args, out]);
  return ctx.builder.CreateLoad(type, out);
}

/**
 * Like napiOut for a napi_get_value_* call, raising a TypeError with `message` when the status is not napi_ok: these
 * calls check the value's type themselves (napi_number_expected and so on), so no napi_typeof call is needed.
 */
function napiChecked(
  ctx: LoweringContext,
  name: NapiName,
  type: llvm.Type,
  label: string,
  args: readonly llvm.Value[],
  message: string,
): llvm.Value {
  const out = ctx.entryAlloca(type, label);
  const status = ctx.builder.CreateCall(napi(ctx, name), [...args, out]);
  ctx.raiseIf(ctx.builder.CreateICmpNE(status, ctx.i32c(napiOk)), 'TypeError', message);
  return ctx.builder.CreateLoad(type, out);
}

/** Converts a napi_value argument to the lowered representation of `type`, raising a TypeError when it does not fit. */
function unbox(ctx: LoweringContext, env: llvm.Value, value: llvm.Value, type: Type, what: string): llvm.Value {
  const b = ctx.builder;
  const mustBe = `${what} must be ${typeToString(type)}`;
  switch (type.kind) {
    case 'bool': {
      const flag = napiChecked(ctx, 'napi_get_value_bool', ctx.i8, 'bool', [env, value], `${mustBe} (a boolean)`);
      return b.CreateICmpNE(flag, llvm.ConstantInt.get(ctx.i8, 0));
    }
    case 'float': {
      const d = readDouble(ctx, env, value, `${mustBe} (a number)`);
      if (type.bits === 64) return d;
      const single = b.CreateFPTrunc(d, ctx.f32);
      // Like the interpreter, accept only numbers that are f32 values already (NaN included).
      const exact = b.CreateOr(b.CreateFCmpOEQ(b.CreateFPExt(single, ctx.f64), d), b.CreateFCmpUNE(d, d));
      ctx.raiseIf(b.CreateNot(exact), 'TypeError', `${mustBe} (a number exactly representable as f32)`);
      return single;
    }
    case 'int': {
      if (type.bits === 64) {
        const out = ctx.entryAlloca(ctx.i64, 'bigint');
        const lossless = ctx.entryAlloca(ctx.i8, 'lossless');
        const get = type.signed ? 'napi_get_value_bigint_int64' : 'napi_get_value_bigint_uint64';
        const status = b.CreateCall(napi(ctx, get), [env, value, out, lossless]);
        ctx.raiseIf(b.CreateICmpNE(status, ctx.i32c(napiOk)), 'TypeError', `${mustBe} (a BigInt)`);
        const lossy = b.CreateICmpEQ(b.CreateLoad(ctx.i8, lossless), llvm.ConstantInt.get(ctx.i8, 0));
        ctx.raiseIf(lossy, 'RangeError', `${what}: the BigInt does not fit in ${typeToString(type)}`);
        return b.CreateLoad(ctx.i64, out);
      }
      const d = readDouble(ctx, env, value, `${mustBe} (a number)`);
      const sat = ctx.intrinsic(llvm.Intrinsic.fptosi_sat, [ctx.i64, ctx.f64]);
      const i = b.CreateCall(sat, [d]);
      const min = type.signed ? -(2 ** (type.bits - 1)) : 0;
      const max = type.signed ? 2 ** (type.bits - 1) - 1 : 2 ** type.bits - 1;
      const integral = b.CreateFCmpOEQ(b.CreateSIToFP(i, ctx.f64), d);
      const inRange = b.CreateAnd(b.CreateICmpSGE(i, ctx.i64c(min)), b.CreateICmpSLE(i, ctx.i64c(max)));
      const minusZero = b.CreateICmpEQ(b.CreateBitCast(d, ctx.i64), ctx.intConstant(64, -(2n ** 63n)));
      const ok = b.CreateAnd(b.CreateAnd(integral, inRange), b.CreateNot(minusZero));
      ctx.raiseIf(b.CreateNot(ok), 'TypeError', `${mustBe} (an integer number in its range)`);
      return b.CreateTrunc(i, ctx.valueType(type));
    }
    case 'array':
      return unboxArray(ctx, env, value, type, mustBe);
    default:
      throw new LoweringError(`cannot pass a ${typeToString(type)} from JavaScript`);
  }
}

function readDouble(ctx: LoweringContext, env: llvm.Value, value: llvm.Value, message: string): llvm.Value {
  return napiChecked(ctx, 'napi_get_value_double', ctx.f64, 'number', [env, value], message);
}

function unboxArray(
  ctx: LoweringContext,
  env: llvm.Value,
  value: llvm.Value,
  type: ArrayType,
  mustBe: string,
): llvm.Value {
  const b = ctx.builder;
  const kind = typedArrayKind(type);
  const message = `${mustBe} (a ${typedArrayNames[kind] ?? 'TypedArray'})`;
  const kindOut = ctx.entryAlloca(ctx.i32, 'ta_type');
  const length = ctx.entryAlloca(ctx.i64, 'ta_length');
  const data = ctx.entryAlloca(ctx.i8ptr, 'ta_data');
  // The status says whether `value` is a TypedArray at all (napi_invalid_arg otherwise): no napi_is_typedarray
  // call. The buffer and byte offset outputs stay NULL, which N-API skips.
  const noBuffer = llvm.ConstantPointerNull.get(llvm.PointerType.getUnqual(ctx.i8ptr));
  const noOffset = llvm.ConstantPointerNull.get(llvm.PointerType.getUnqual(ctx.i64));
  const info = napi(ctx, 'napi_get_typedarray_info');
  const status = b.CreateCall(info, [env, value, kindOut, length, data, noBuffer, noOffset]);
  const wrongKind = b.CreateICmpNE(b.CreateLoad(ctx.i32, kindOut), ctx.i32c(kind));
  ctx.raiseIf(b.CreateOr(b.CreateICmpNE(status, ctx.i32c(napiOk)), wrongKind), 'TypeError', message);
  // napi_get_typedarray_info's data pointer already includes the byte offset.
  const elementPtr = b.CreateBitCast(
    b.CreateLoad(ctx.i8ptr, data),
    llvm.PointerType.getUnqual(ctx.storageType(type.element)),
  );
  let array: llvm.Value = llvm.UndefValue.get(ctx.arrayType(type));
  array = b.CreateInsertValue(array, elementPtr, [0]);
  array = b.CreateInsertValue(array, b.CreateLoad(ctx.i64, length), [1]);
  return b.CreateInsertValue(array, value, [2]);
}

/**
 * A TypedArray parameter passed as (TypedArray, ArrayBuffer). The caller
 * vouches that the buffer is the array's and the kind right (its JS checks
 * read both with the intrinsic getters); the wrapper reads the length and byte
 * offset with napi_get_typedarray_info, which skips its slow part (the
 * buffer and data pointer) when those outputs are NULL, and the data pointer
 * with napi_get_arraybuffer_info. It still checks that the view lies inside
 * the buffer and is aligned to its elements, so no arguments can make
 * compiled code touch memory outside an ArrayBuffer.
 */
function unboxUnpackedArray(
  ctx: LoweringContext,
  env: llvm.Value,
  [value, buffer]: readonly llvm.Value[],
  type: ArrayType,
  what: string,
): llvm.Value {
  const b = ctx.builder;
  const message = `${what} must be ${typeToString(type)} (a ${typedArrayNames[typedArrayKind(type)] ?? 'TypedArray'} followed by its ArrayBuffer)`;
  const length = ctx.entryAlloca(ctx.i64, 'ta_length');
  const offset = ctx.entryAlloca(ctx.i64, 'ta_offset');
  const noKind = llvm.ConstantPointerNull.get(llvm.PointerType.getUnqual(ctx.i32));
  const noPointer = llvm.ConstantPointerNull.get(llvm.PointerType.getUnqual(ctx.i8ptr));
  const viewStatus = b.CreateCall(napi(ctx, 'napi_get_typedarray_info'), [
    env,
    value as llvm.Value,
    noKind,
    length,
    noPointer,
    noPointer,
    offset,
  ]);
  const data = ctx.entryAlloca(ctx.i8ptr, 'ab_data');
  const byteLength = ctx.entryAlloca(ctx.i64, 'ab_length');
  const status = b.CreateCall(napi(ctx, 'napi_get_arraybuffer_info'), [env, buffer as llvm.Value, data, byteLength]);
  const ok = ctx.i32c(napiOk);
  const statusOk = b.CreateAnd(b.CreateICmpEQ(viewStatus, ok), b.CreateICmpEQ(status, ok));
  const size = ctx.i64c(elementBytes(type));
  const bytes = b.CreateLoad(ctx.i64, byteLength);
  const off = b.CreateLoad(ctx.i64, offset);
  const len = b.CreateLoad(ctx.i64, length);
  const fits = b.CreateICmpULE(len, b.CreateUDiv(bytes, size));
  const within = b.CreateICmpULE(off, b.CreateSub(bytes, b.CreateMul(len, size)));
  const aligned = b.CreateICmpEQ(b.CreateURem(off, size), ctx.i64c(0));
  const valid = b.CreateAnd(statusOk, b.CreateAnd(fits, b.CreateAnd(within, aligned)));
  ctx.raiseIf(b.CreateNot(valid), 'TypeError', message);
  const elementPtr = b.CreateBitCast(
    b.CreateInBoundsGEP(ctx.i8, b.CreateLoad(ctx.i8ptr, data), [off]),
    llvm.PointerType.getUnqual(ctx.storageType(type.element)),
  );
  let array: llvm.Value = llvm.UndefValue.get(ctx.arrayType(type));
  array = b.CreateInsertValue(array, elementPtr, [0]);
  array = b.CreateInsertValue(array, len, [1]);
  return b.CreateInsertValue(array, value as llvm.Value, [2]);
}

function elementBytes(type: ArrayType): number {
  const element = type.element;
  return element.kind === 'bool' ? 1 : element.bits / 8;
}

function undefinedValue(ctx: LoweringContext, env: llvm.Value): llvm.Value {
  return napiOut(ctx, 'napi_get_undefined', ctx.i8ptr, 'undefined', [env]);
}

/** A napi_value for a lowered value of IR type `type`. */
function box(ctx: LoweringContext, env: llvm.Value, value: llvm.Value, type: Type): llvm.Value {
  const b = ctx.builder;
  if (type.kind === 'array') return b.CreateExtractValue(value, [2]);
  const out = ctx.entryAlloca(ctx.i8ptr, 'boxed');
  switch (type.kind) {
    case 'bool':
      b.CreateCall(napi(ctx, 'napi_get_boolean'), [env, b.CreateZExt(value, ctx.i32), out]);
      break;
    case 'float':
      b.CreateCall(napi(ctx, 'napi_create_double'), [
        env,
        type.bits === 32 ? b.CreateFPExt(value, ctx.f64) : value,
        out,
      ]);
      break;
    case 'int':
      if (type.bits === 64) {
        b.CreateCall(napi(ctx, type.signed ? 'napi_create_bigint_int64' : 'napi_create_bigint_uint64'), [
          env,
          value,
          out,
        ]);
      } else if (type.signed) {
        b.CreateCall(napi(ctx, 'napi_create_int32'), [env, b.CreateSExtOrTrunc(value, ctx.i32), out]);
      } else {
        b.CreateCall(napi(ctx, 'napi_create_uint32'), [env, b.CreateZExtOrTrunc(value, ctx.i32), out]);
      }
      break;
    default:
      throw new LoweringError(`cannot return a ${typeToString(type)} to JavaScript`);
  }
  return b.CreateLoad(ctx.i8ptr, out);
}

/** The wrapper's error exit: format the message from the error slot, throw the JS error of its kind, return NULL. */
function emitThrow(ctx: LoweringContext, env: llvm.Value, fail: llvm.BasicBlock): void {
  const b = ctx.builder;
  b.SetInsertPoint(fail);
  const bufferType = llvm.ArrayType.get(ctx.i8, messageBufferSize);
  const buffer = ctx.entryAlloca(bufferType, 'message');
  const text = b.CreateInBoundsGEP(bufferType, buffer, [ctx.i32c(0), ctx.i32c(0)]);
  const snprintf = ctx.external('snprintf', ctx.i32, [ctx.i8ptr, ctx.i64, ctx.i8ptr], true);
  b.CreateCall(snprintf, [
    text,
    ctx.i64c(messageBufferSize),
    b.CreateLoad(ctx.i8ptr, ctx.field(ctxField.format)),
    b.CreateLoad(ctx.i64, ctx.field(ctxField.a)),
    b.CreateLoad(ctx.i64, ctx.field(ctxField.b)),
  ]);
  const kind = b.CreateLoad(ctx.i32, ctx.field(ctxField.kind));
  const rangeBlock = ctx.newBlock('throw.range');
  const typeBlock = ctx.newBlock('throw.type');
  const errorBlock = ctx.newBlock('throw.error');
  const sw = b.CreateSwitch(kind, errorBlock, 2);
  sw.addCase(b.getInt32(errorKinds.RangeError), rangeBlock);
  sw.addCase(b.getInt32(errorKinds.TypeError), typeBlock);
  const nullCode = llvm.ConstantPointerNull.get(ctx.i8ptr);
  const nullValue = llvm.ConstantPointerNull.get(ctx.i8ptr);
  const blocks: [llvm.BasicBlock, 'napi_throw_range_error' | 'napi_throw_type_error' | 'napi_throw_error'][] = [
    [rangeBlock, 'napi_throw_range_error'],
    [typeBlock, 'napi_throw_type_error'],
    [errorBlock, 'napi_throw_error'],
  ];
  for (const [block, thrower] of blocks) {
    b.SetInsertPoint(block);
    b.CreateCall(napi(ctx, thrower), [env, nullCode, text]);
    b.CreateRet(nullValue);
  }
}
