/**
 * Hand-written LLVM IR with N-API wrappers, of the shape the lowering
 * generates next to each kernel: `ptr @name(ptr %env, ptr %info)` reads its
 * arguments with `napi_get_cb_info` / `napi_get_value_double`, calls the kernel
 * and boxes the result. Used by the engine's tests, the AOT round trip and the
 * call-overhead benchmark.
 */

const napiDeclarations = `
declare i32 @napi_get_cb_info(ptr, ptr, ptr, ptr, ptr, ptr)
declare i32 @napi_get_value_double(ptr, ptr, ptr)
declare i32 @napi_create_double(ptr, double, ptr)
declare i32 @napi_create_int32(ptr, i32, ptr)
declare i32 @napi_throw_type_error(ptr, ptr, ptr)
declare i32 @napi_throw_range_error(ptr, ptr, ptr)
declare i32 @napi_get_typedarray_info(ptr, ptr, ptr, ptr, ptr, ptr, ptr)
declare double @llvm.sqrt.f64(double)
`;

/** `add(a, b)` on doubles, wrapper symbol `add_napi`; a non-number argument throws a TypeError. */
export const addKernelIR = `
@add.type_error = private unnamed_addr constant [22 x i8] c"add: expected numbers\\00"

define double @add(double %a, double %b) {
  %r = fadd double %a, %b
  ret double %r
}

define ptr @add_napi(ptr %env, ptr %info) {
entry:
  %argc = alloca i64
  %argv = alloca [2 x ptr]
  %a = alloca double
  %b = alloca double
  %out = alloca ptr
  store i64 2, ptr %argc
  call i32 @napi_get_cb_info(ptr %env, ptr %info, ptr %argc, ptr %argv, ptr null, ptr null)
  %p0 = getelementptr [2 x ptr], ptr %argv, i64 0, i64 0
  %v0 = load ptr, ptr %p0
  %p1 = getelementptr [2 x ptr], ptr %argv, i64 0, i64 1
  %v1 = load ptr, ptr %p1
  %s0 = call i32 @napi_get_value_double(ptr %env, ptr %v0, ptr %a)
  %s1 = call i32 @napi_get_value_double(ptr %env, ptr %v1, ptr %b)
  %bad = or i32 %s0, %s1
  %failed = icmp ne i32 %bad, 0
  br i1 %failed, label %type_error, label %ok

type_error:
  call i32 @napi_throw_type_error(ptr %env, ptr null, ptr @add.type_error)
  ret ptr null

ok:
  %x = load double, ptr %a
  %y = load double, ptr %b
  %sum = call double @add(double %x, double %y)
  call i32 @napi_create_double(ptr %env, double %sum, ptr %out)
  %result = load ptr, ptr %out
  ret ptr %result
}
`;

/** `checkedSqrt(x)`: throws RangeError('sqrt of a negative number') for x < 0; wrapper symbol `checked_sqrt_napi`. */
export const checkedSqrtIR = `
@sqrt.code = private unnamed_addr constant [13 x i8] c"ERR_NEGATIVE\\00"
@sqrt.message = private unnamed_addr constant [26 x i8] c"sqrt of a negative number\\00"

define ptr @checked_sqrt_napi(ptr %env, ptr %info) {
entry:
  %argc = alloca i64
  %argv = alloca ptr
  %x = alloca double
  %out = alloca ptr
  store i64 1, ptr %argc
  call i32 @napi_get_cb_info(ptr %env, ptr %info, ptr %argc, ptr %argv, ptr null, ptr null)
  %v = load ptr, ptr %argv
  call i32 @napi_get_value_double(ptr %env, ptr %v, ptr %x)
  %xv = load double, ptr %x
  %negative = fcmp olt double %xv, 0.0
  br i1 %negative, label %throw, label %ok

throw:
  call i32 @napi_throw_range_error(ptr %env, ptr @sqrt.code, ptr @sqrt.message)
  ret ptr null

ok:
  %r = call double @llvm.sqrt.f64(double %xv)
  call i32 @napi_create_double(ptr %env, double %r, ptr %out)
  %result = load ptr, ptr %out
  ret ptr %result
}
`;

/** `sumInt32(array)`: wrapping sum of an Int32Array, a loop the O2/O3 pipelines vectorize; symbol `sum_i32_napi`. */
export const sumInt32IR = `
define i32 @sum_i32(ptr %data, i64 %n) {
entry:
  %empty = icmp eq i64 %n, 0
  br i1 %empty, label %done, label %loop

loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  %acc = phi i32 [ 0, %entry ], [ %acc.next, %loop ]
  %p = getelementptr i32, ptr %data, i64 %i
  %v = load i32, ptr %p
  %acc.next = add i32 %acc, %v
  %next = add i64 %i, 1
  %more = icmp ult i64 %next, %n
  br i1 %more, label %loop, label %done

done:
  %sum = phi i32 [ 0, %entry ], [ %acc.next, %loop ]
  ret i32 %sum
}

define ptr @sum_i32_napi(ptr %env, ptr %info) {
entry:
  %argc = alloca i64
  %argv = alloca ptr
  %type = alloca i32
  %length = alloca i64
  %data = alloca ptr
  %out = alloca ptr
  store i64 1, ptr %argc
  call i32 @napi_get_cb_info(ptr %env, ptr %info, ptr %argc, ptr %argv, ptr null, ptr null)
  %array = load ptr, ptr %argv
  call i32 @napi_get_typedarray_info(ptr %env, ptr %array, ptr %type, ptr %length, ptr %data, ptr null, ptr null)
  %d = load ptr, ptr %data
  %n = load i64, ptr %length
  %s = call i32 @sum_i32(ptr %d, i64 %n)
  call i32 @napi_create_int32(ptr %env, i32 %s, ptr %out)
  %result = load ptr, ptr %out
  ret ptr %result
}
`;

/** All three kernels in one module, with the N-API declarations. */
export const exampleModuleIR = `${napiDeclarations}${addKernelIR}${checkedSqrtIR}${sumInt32IR}`;

/** Just `add` (the module the benchmark compiles). */
export const addModuleIR = `${napiDeclarations}${addKernelIR}`;

export const exampleWrappers = [
  { symbol: 'add_napi', name: 'add' },
  { symbol: 'checked_sqrt_napi', name: 'checkedSqrt' },
  { symbol: 'sum_i32_napi', name: 'sumInt32' },
] as const;

/**
 * `add` in typed-pointer IR, as LLVM 14 prints it by default and the lowering writes it: the engine
 * accepts both forms and picks the pointer mode per module.
 */
export const addTypedPointerIR = `
declare i32 @napi_get_cb_info(i8*, i8*, i64*, i8**, i8**, i8**)
declare i32 @napi_get_value_double(i8*, i8*, double*)
declare i32 @napi_create_double(i8*, double, i8**)

define i8* @add_napi(i8* %env, i8* %info) {
  %argc = alloca i64
  %argv = alloca [2 x i8*]
  %a = alloca double
  %b = alloca double
  %out = alloca i8*
  store i64 2, i64* %argc
  %argv0 = getelementptr [2 x i8*], [2 x i8*]* %argv, i64 0, i64 0
  call i32 @napi_get_cb_info(i8* %env, i8* %info, i64* %argc, i8** %argv0, i8** null, i8** null)
  %v0 = load i8*, i8** %argv0
  %argv1 = getelementptr [2 x i8*], [2 x i8*]* %argv, i64 0, i64 1
  %v1 = load i8*, i8** %argv1
  call i32 @napi_get_value_double(i8* %env, i8* %v0, double* %a)
  call i32 @napi_get_value_double(i8* %env, i8* %v1, double* %b)
  %x = load double, double* %a
  %y = load double, double* %b
  %sum = fadd double %x, %y
  call i32 @napi_create_double(i8* %env, double %sum, i8** %out)
  %result = load i8*, i8** %out
  ret i8* %result
}
`;
