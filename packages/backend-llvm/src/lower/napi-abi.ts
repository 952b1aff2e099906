import * as llvm from '../llvm-ir/index.js';
import type { ArrayType, ScalarType } from '@rvsdg/ir';
import type { LoweringContext } from './lowering-context.js';

/*
 * The N-API functions generated code calls, declared as externals that
 * resolve from the node process when the engine links the module.
 * napi_env and napi_value are pointers (i8* here), napi_status is i32
 * (0 = napi_ok), size_t is i64, and C `bool` parameters are passed as i32.
 */

export const napiOk = 0;

/** napi_valuetype */
export const napiValueType = {
  undefined: 0,
  null: 1,
  boolean: 2,
  number: 3,
  string: 4,
  symbol: 5,
  object: 6,
  function: 7,
  external: 8,
  bigint: 9,
} as const;

/** napi_typedarray_type of the TypedArray that holds an array of this type. */
export function typedArrayKind(type: ArrayType): number {
  if (type.clamped) return 2;
  return elementKind(type.element);
}

function elementKind(element: ScalarType): number {
  switch (element.kind) {
    case 'bool':
      return 1;
    case 'float':
      return element.bits === 32 ? 7 : 8;
    case 'int':
      switch (element.bits) {
        case 8:
          return element.signed ? 0 : 1;
        case 16:
          return element.signed ? 3 : 4;
        case 32:
          return element.signed ? 5 : 6;
        case 64:
          return element.signed ? 9 : 10;
      }
  }
}

/** JavaScript constructor names by napi_typedarray_type, for messages. */
export const typedArrayNames = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

/** Declares (once) and returns the N-API function `name`. */
export function napi(ctx: LoweringContext, name: NapiName): llvm.Function {
  const declared = ctx.module.getFunction(name);
  if (declared) return declared;
  const p = ctx.i8ptr;
  const pp = llvm.PointerType.getUnqual(p);
  const i32 = ctx.i32;
  const i64 = ctx.i64;
  const signatures: Record<NapiName, llvm.Type[]> = {
    napi_get_cb_info: [p, p, llvm.PointerType.getUnqual(i64), pp, pp, pp],
    napi_typeof: [p, p, llvm.PointerType.getUnqual(i32)],
    napi_get_value_double: [p, p, llvm.PointerType.getUnqual(ctx.f64)],
    napi_get_value_bool: [p, p, llvm.PointerType.getUnqual(ctx.i8)],
    napi_get_value_bigint_int64: [p, p, llvm.PointerType.getUnqual(i64), llvm.PointerType.getUnqual(ctx.i8)],
    napi_get_value_bigint_uint64: [p, p, llvm.PointerType.getUnqual(i64), llvm.PointerType.getUnqual(ctx.i8)],
    napi_is_typedarray: [p, p, llvm.PointerType.getUnqual(ctx.i8)],
    napi_get_typedarray_info: [
      p,
      p,
      llvm.PointerType.getUnqual(i32),
      llvm.PointerType.getUnqual(i64),
      pp,
      pp,
      llvm.PointerType.getUnqual(i64),
    ],
    napi_create_double: [p, ctx.f64, pp],
    napi_create_int32: [p, i32, pp],
    napi_create_uint32: [p, i32, pp],
    napi_create_bigint_int64: [p, i64, pp],
    napi_create_bigint_uint64: [p, i64, pp],
    napi_get_boolean: [p, i32, pp],
    napi_get_undefined: [p, pp],
    napi_create_array_with_length: [p, i64, pp],
    napi_set_element: [p, p, i32, p],
    napi_create_arraybuffer: [p, i64, pp, pp],
    napi_new_instance: [p, p, i64, pp, pp],
    napi_get_arraybuffer_info: [p, p, pp, llvm.PointerType.getUnqual(i64)],
    napi_get_and_clear_last_exception: [p, pp],
    napi_create_typedarray: [p, i32, i64, p, i64, pp],
    napi_get_global: [p, pp],
    napi_get_named_property: [p, p, p, pp],
    napi_call_function: [p, p, p, i64, pp, pp],
    napi_open_handle_scope: [p, pp],
    napi_close_handle_scope: [p, p],
    napi_throw_error: [p, p, p],
    napi_throw_type_error: [p, p, p],
    napi_throw_range_error: [p, p, p],
  };
  return ctx.external(name, i32, signatures[name]);
}

export type NapiName =
  | 'napi_get_cb_info'
  | 'napi_typeof'
  | 'napi_get_value_double'
  | 'napi_get_value_bool'
  | 'napi_get_value_bigint_int64'
  | 'napi_get_value_bigint_uint64'
  | 'napi_is_typedarray'
  | 'napi_get_typedarray_info'
  | 'napi_create_double'
  | 'napi_create_int32'
  | 'napi_create_uint32'
  | 'napi_create_bigint_int64'
  | 'napi_create_bigint_uint64'
  | 'napi_get_boolean'
  | 'napi_get_undefined'
  | 'napi_create_array_with_length'
  | 'napi_set_element'
  | 'napi_create_arraybuffer'
  | 'napi_new_instance'
  | 'napi_get_arraybuffer_info'
  | 'napi_get_and_clear_last_exception'
  | 'napi_create_typedarray'
  | 'napi_get_global'
  | 'napi_get_named_property'
  | 'napi_call_function'
  | 'napi_open_handle_scope'
  | 'napi_close_handle_scope'
  | 'napi_throw_error'
  | 'napi_throw_type_error'
  | 'napi_throw_range_error';
