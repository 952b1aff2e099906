import * as llvm from '../llvm-ir/index.js';
import type { ErrorName, FunctionType, ScalarType, SimpleNode, Type } from '@rvsdg/ir';
import { typeToString } from '@rvsdg/ir';
import { LoweringError } from './errors.js';

/** Error kinds stored in the error slot; 0 means "no error". */
export const errorKinds: Readonly<Record<ErrorName, number>> = { Error: 1, RangeError: 2, TypeError: 3 };

/**
 * Fields of the per-call error slot (`%rvsdg.ctx`), which every lowered
 * function receives as its last parameter. A failing op stores the kind and
 * a printf format with up to two i64 arguments, then the function returns at
 * once; callers check `kind` after each call and return too, so the error
 * reaches the N-API wrapper, which formats the message and throws.
 */
export const ctxField = { kind: 0, format: 1, a: 2, b: 3, stackLimit: 4, env: 5, unwind: 6 } as const;

/**
 * A stack overflow is the one error raised by unwinding: the stack guard
 * fills the slot and longjmps to the `_setjmp` of the N-API wrapper (its
 * `jmp_buf` is what the slot's `unwind` field points to), so a recursive
 * function that raises nothing else has no error checks after its calls,
 * and LLVM can turn `fib(n - 1) + fib(n - 2)` into a loop and one call as
 * it does for C. Nothing between the wrapper and the guard needs cleaning
 * up: compiled code holds no resources, and JavaScript frames are never
 * crossed (a call back into a jitted function enters its own wrapper).
 */
export const unwindSymbols = { setjmp: '_setjmp', longjmp: 'longjmp' } as const;
/** Bytes reserved for a `jmp_buf` (glibc's x86-64 and AArch64 ones take 200 and 312). */
export const jmpBufBytes = 512;

/**
 * The C function (native/stack_limit.c) giving the lowest address the
 * current thread's stack may reach before a recursive function raises
 * `RangeError: Maximum call stack size exceeded`; a margin above the
 * thread's real bound leaves room for libc and N-API below the last guard.
 */
export const stackLimitSymbol = 'rvsdg_stack_limit';

/** A lowered value: an LLVM value, or undefined for state values (state is erased). */
export type Slot = llvm.Value | undefined;

/** State of the function whose body is being emitted. */
export interface FunctionState {
  readonly fn: llvm.Function;
  readonly ctxArg: llvm.Value;
  readonly returnType: llvm.Type;
  failBlock?: llvm.BasicBlock;
}

/** Escapes a message so printf prints it verbatim. */
export function printfLiteral(text: string): string {
  return text.replace(/%/g, '%%');
}

/**
 * What a lowering sees: the LLVM context, module and IR builder positioned
 * where the op's code goes, type mapping, constants, intrinsics, libm, and
 * the error path. Lowerings of third-party dialects use the same helpers.
 */
export class LoweringContext {
  readonly context: llvm.LLVMContext;
  readonly module: llvm.Module;
  readonly builder: llvm.IRBuilder;
  readonly ctxType: llvm.StructType;
  readonly ctxPtrType: llvm.PointerType;
  readonly i1: llvm.IntegerType;
  readonly i8: llvm.IntegerType;
  readonly i32: llvm.IntegerType;
  readonly i64: llvm.IntegerType;
  readonly f32: llvm.Type;
  readonly f64: llvm.Type;
  readonly i8ptr: llvm.PointerType;
  #fn!: FunctionState;
  /** The function being emitted. */
  get fn(): FunctionState {
    return this.#fn;
  }
  set fn(state: FunctionState) {
    this.#fn = state;
    this.#emitted.add(state.fn);
  }
  /** Types of the operands of the node being lowered (set before each lowering runs). */
  operandTypes: readonly Type[] = [];
  readonly #strings = new Map<string, llvm.Constant>();
  readonly #fnTypes = new Map<FunctionType, llvm.FunctionType>();
  readonly #arrayTypes = new Map<Type, llvm.StructType>();
  /** Functions whose bodies this context emitted (others are assumed to raise). */
  readonly #emitted = new Set<llvm.Function>();
  /** Functions that can leave an error in the slot themselves (see finishErrorChecks). */
  readonly #raising = new Set<llvm.Function>();
  /** Direct calls whose error check depends on the callee: [caller, callee]. */
  readonly #directCalls: [llvm.Function, llvm.Function][] = [];
  /** Per callee, a constant saying whether it can raise, read by the checks after calls to it. */
  readonly #raisesFlags = new Map<llvm.Function, llvm.GlobalVariable>();

  constructor(moduleName: string) {
    this.context = new llvm.LLVMContext();
    this.module = new llvm.Module(moduleName, this.context);
    this.builder = new llvm.IRBuilder(this.context);
    const b = this.builder;
    this.i1 = b.getInt1Ty();
    this.i8 = b.getInt8Ty();
    this.i32 = b.getInt32Ty();
    this.i64 = b.getInt64Ty();
    this.f32 = b.getFloatTy();
    this.f64 = b.getDoubleTy();
    this.i8ptr = b.getInt8PtrTy();
    // kind, format, a, b, stack limit (an address), napi_env, jmp_buf of the wrapper (stack overflows)
    this.ctxType = llvm.StructType.create(
      this.context,
      [this.i32, this.i8ptr, this.i64, this.i64, this.i64, this.i8ptr, this.i8ptr],
      'rvsdg.ctx',
    );
    this.ctxPtrType = llvm.PointerType.getUnqual(this.ctxType);
  }

  // ---- types -------------------------------------------------------------

  /** The LLVM type of a value of IR type `type`, or undefined for state types (they are erased). */
  typeOf(type: Type): llvm.Type | undefined {
    switch (type.kind) {
      case 'bool':
        return this.i1;
      case 'int':
        return llvm.Type.getIntNTy(this.context, type.bits);
      case 'float':
        return type.bits === 32 ? this.f32 : this.f64;
      case 'ctrl':
        return this.i32;
      case 'state':
        return undefined;
      case 'array':
        return this.arrayType(type);
      case 'tuple': {
        const elements = type.elements.map((t) => this.typeOf(t)).filter((t): t is llvm.Type => t !== undefined);
        return llvm.StructType.get(this.context, elements);
      }
      case 'fn':
        return llvm.PointerType.getUnqual(this.functionType(type));
      case 'unknown':
        throw new LoweringError('cannot lower a value whose type is not inferred (?): run type inference first');
    }
  }

  /** Like typeOf, for types known not to be state. */
  valueType(type: Type): llvm.Type {
    const t = this.typeOf(type);
    if (!t) throw new LoweringError(`a ${typeToString(type)} value has no run-time representation here`);
    return t;
  }

  /** How an element of an array of `element` is stored in memory (bool as a byte, like Uint8Array). */
  storageType(element: ScalarType): llvm.Type {
    return element.kind === 'bool' ? this.i8 : this.valueType(element);
  }

  /** Arrays are `{ element*, i64 length, napi_value handle }`; the handle lets a function return the array it got or made. */
  arrayType(type: Type & { kind: 'array' }): llvm.StructType {
    let t = this.#arrayTypes.get(type);
    if (!t) {
      t = llvm.StructType.get(this.context, [
        llvm.PointerType.getUnqual(this.storageType(type.element)),
        this.i64,
        this.i8ptr,
      ]);
      this.#arrayTypes.set(type, t);
    }
    return t;
  }

  /** Lowered functions take their non-state parameters and the error slot, and return their non-state results. */
  functionType(type: FunctionType): llvm.FunctionType {
    let t = this.#fnTypes.get(type);
    if (!t) {
      const params = type.params.map((p) => this.typeOf(p)).filter((p): p is llvm.Type => p !== undefined);
      t = llvm.FunctionType.get(this.returnType(type.results), [...params, this.ctxPtrType], false);
      this.#fnTypes.set(type, t);
    }
    return t;
  }

  returnType(results: readonly Type[]): llvm.Type {
    const types = results.map((r) => this.typeOf(r)).filter((r): r is llvm.Type => r !== undefined);
    if (types.length === 0) return this.builder.getVoidTy();
    if (types.length === 1) return types[0] as llvm.Type;
    return llvm.StructType.get(this.context, types);
  }

  // ---- constants -----------------------------------------------------------

  /** A constant of scalar IR type `type`. */
  constant(type: Type, value: number | bigint | boolean): llvm.Value {
    switch (type.kind) {
      case 'bool':
        return value ? this.builder.getTrue() : this.builder.getFalse();
      case 'int':
        return this.intConstant(type.bits, BigInt(value));
      case 'float':
        return llvm.ConstantFP.get(type.bits === 32 ? this.f32 : this.f64, Number(value));
      case 'ctrl':
        return this.builder.getInt32(Number(value));
      default:
        throw new LoweringError(`no constants of type ${typeToString(type)}`);
    }
  }

  /** An integer constant of `bits` bits with the two's complement bits of `value`. */
  intConstant(bits: number, value: bigint): llvm.Value {
    return llvm.ConstantInt.get(llvm.Type.getIntNTy(this.context, bits), value, true);
  }

  i32c(value: number): llvm.Value {
    return this.builder.getInt32(value);
  }
  i64c(value: number): llvm.Value {
    return llvm.ConstantInt.get(this.i64, value, true);
  }
  f64c(value: number): llvm.Value {
    return llvm.ConstantFP.get(this.f64, value);
  }

  /** A pointer to a NUL-terminated constant string, shared between uses. */
  string(text: string): llvm.Constant {
    let s = this.#strings.get(text);
    if (!s) {
      s = this.builder.CreateGlobalStringPtr(text, `str.${this.#strings.size}`, 0, this.module);
      this.#strings.set(text, s);
    }
    return s;
  }

  // ---- functions -------------------------------------------------------------

  /** The declaration of intrinsic `id` (e.g. `llvm.Intrinsic.fabs`) for the overload `types`. */
  intrinsic(id: llvm.IntrinsicID, types: llvm.Type[] = []): llvm.Function {
    return llvm.Intrinsic.getDeclaration(this.module, id, types);
  }

  /** Creates a function in the module. */
  createFunction(type: llvm.FunctionType, linkage: llvm.Linkage, name: string): llvm.Function {
    return llvm.Function.Create(type, linkage, name, this.module);
  }

  /** Creates a global variable in the module. */
  createGlobal(
    type: llvm.Type,
    constant: boolean,
    linkage: llvm.Linkage,
    initializer: llvm.Constant,
    name: string,
  ): llvm.GlobalVariable {
    return new llvm.GlobalVariable(this.module, type, constant, linkage, initializer, name);
  }

  /** An external function resolved when the module is linked (from libm, libc or the node process). */
  external(name: string, returnType: llvm.Type, params: llvm.Type[], varArgs = false): llvm.Function {
    const existing = this.module.getFunction(name);
    if (existing) return existing;
    return this.createFunction(
      llvm.FunctionType.get(returnType, params, varArgs),
      llvm.Function.LinkageTypes.ExternalLinkage,
      name,
    );
  }

  /** A libm function on doubles, e.g. `libm('sin', 1)`. */
  libm(name: string, arity: number): llvm.Function {
    return this.external(name, this.f64, new Array<llvm.Type>(arity).fill(this.f64));
  }

  call(fn: llvm.Function, args: llvm.Value[]): llvm.Value {
    return this.builder.CreateCall(fn, args);
  }

  // ---- control flow ----------------------------------------------------------

  newBlock(name: string): llvm.BasicBlock {
    return llvm.BasicBlock.Create(this.context, name, this.fn.fn);
  }

  /** Stack space in the entry block, so allocations inside loops do not grow the stack. */
  entryAlloca(type: llvm.Type, name = ''): llvm.AllocaInst {
    return this.builder.CreateEntryAlloca(this.fn.fn, type, name);
  }

  field(index: number): llvm.Value {
    return this.builder.CreateInBoundsGEP(this.ctxType, this.fn.ctxArg, [this.i32c(0), this.i32c(index)]);
  }

  /** The block every error leaves through: returns a zero value (the caller looks at the error slot, not at it). */
  failBlock(): llvm.BasicBlock {
    if (!this.fn.failBlock) {
      const saved = this.builder.GetInsertBlock();
      const block = this.newBlock('fail');
      this.builder.SetInsertPoint(block);
      if (this.fn.returnType.isVoidTy()) this.builder.CreateRetVoid();
      else this.builder.CreateRet(llvm.Constant.getNullValue(this.fn.returnType));
      this.fn.failBlock = block;
      if (saved) this.builder.SetInsertPoint(saved);
    }
    return this.fn.failBlock;
  }

  /**
   * Raises `errorName` unconditionally. `format` is a printf format taking
   * up to two i64 arguments (`%lld`); use `printfLiteral` for plain text.
   * Code emitted afterwards lands in a block nothing branches to.
   */
  raise(errorName: ErrorName, format: string, args: readonly llvm.Value[] = []): void {
    const b = this.builder;
    this.#raising.add(this.fn.fn);
    b.CreateStore(this.i32c(errorKinds[errorName]), this.field(ctxField.kind));
    b.CreateStore(this.string(format), this.field(ctxField.format));
    b.CreateStore(args[0] ?? this.i64c(0), this.field(ctxField.a));
    b.CreateStore(args[1] ?? this.i64c(0), this.field(ctxField.b));
    b.CreateBr(this.failBlock());
    b.SetInsertPoint(this.newBlock('after.raise'));
  }

  /** Raises when the i1 `condition` is true; code emitted afterwards runs only when it was false. */
  raiseIf(condition: llvm.Value, errorName: ErrorName, format: string, args: readonly llvm.Value[] = []): void {
    const error = this.newBlock('error');
    const ok = this.newBlock('ok');
    this.builder.CreateCondBr(condition, error, ok);
    this.builder.SetInsertPoint(error);
    this.raise(errorName, format, args);
    this.builder.CreateUnreachable();
    this.builder.SetInsertPoint(ok);
  }

  /**
   * Raises `RangeError: Maximum call stack size exceeded` when `condition`
   * holds by longjmp-ing to the wrapper (see unwindSymbols), which fills
   * the slot itself: C leaves locals written between setjmp and longjmp
   * indeterminate, so nothing is passed through the slot. The function does
   * not count as raising, so its callers keep no checks for it.
   */
  stackOverflowIf(condition: llvm.Value): void {
    const b = this.builder;
    const error = this.newBlock('unwind');
    const ok = this.newBlock('ok');
    b.CreateCondBr(condition, error, ok);
    b.SetInsertPoint(error);
    const longjmp = this.external(unwindSymbols.longjmp, llvm.Type.getVoidTy(this.context), [this.i8ptr, this.i32]);
    longjmp.addFnAttr('noreturn');
    b.CreateCall(longjmp, [b.CreateLoad(this.i8ptr, this.field(ctxField.unwind)), this.i32c(1)]);
    b.CreateUnreachable();
    b.SetInsertPoint(ok);
  }

  /**
   * Returns from the current function when a callee left an error in the
   * slot. Given the callee (a function of this module), the check is
   * dropped when finishErrorChecks finds the callee cannot raise; without
   * one, the callee is assumed to raise.
   */
  propagateError(callee?: llvm.Function): void {
    const b = this.builder;
    const kind = b.CreateLoad(this.i32, this.field(ctxField.kind));
    let failed = b.CreateICmpNE(kind, this.i32c(0));
    if (callee) {
      this.#directCalls.push([this.fn.fn, callee]);
      failed = b.CreateAnd(b.CreateLoad(this.i1, this.#raisesFlag(callee)), failed);
    } else {
      this.#raising.add(this.fn.fn);
    }
    const ok = this.newBlock('call.ok');
    b.CreateCondBr(failed, this.failBlock(), ok);
    b.SetInsertPoint(ok);
  }

  #raisesFlag(callee: llvm.Function): llvm.GlobalVariable {
    let flag = this.#raisesFlags.get(callee);
    if (!flag) {
      flag = this.createGlobal(
        this.i1,
        true,
        llvm.GlobalValue.LinkageTypes.InternalLinkage,
        this.builder.getTrue(),
        `rvsdg.raises.${this.#raisesFlags.size}`,
      );
      this.#raisesFlags.set(callee, flag);
    }
    return flag;
  }

  /**
   * Once every function body is emitted: a function can raise when it
   * raises itself (a failing op, a stack guard, a call to an unknown
   * function) or calls one that can (a fixpoint over the call graph,
   * recursion included). The error checks after calls to functions that
   * cannot raise become constant false, so LLVM drops them.
   */
  finishErrorChecks(): void {
    const raising = new Set(this.#raising);
    for (const [callee] of this.#raisesFlags) if (!this.#emitted.has(callee)) raising.add(callee);
    for (let changed = true; changed;) {
      changed = false;
      for (const [caller, callee] of this.#directCalls) {
        if (raising.has(callee) && !raising.has(caller)) {
          raising.add(caller);
          changed = true;
        }
      }
    }
    for (const [callee, flag] of this.#raisesFlags) {
      flag.setInitializer(raising.has(callee) ? this.builder.getTrue() : this.builder.getFalse());
    }
  }

  /** The `format` argument for an op's message: the message text plus " (line N)" when the node has a location. */
  messageFormat(node: Pick<SimpleNode, 'loc'> | undefined, format: string): string {
    return node?.loc ? `${format} (line ${node.loc.line})` : format;
  }
}
