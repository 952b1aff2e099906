import { afterAll, describe, expect, it } from 'vitest';
import { NativeEngine, type CompiledModule } from '../engine/native-engine.js';
import * as llvm from './index.js';

const engine = NativeEngine.shared();
const compiled: CompiledModule[] = [];
afterAll(() => compiled.forEach((c) => c.dispose()));

/**
 * A module with `kernel`, built by `body`, and an N-API wrapper `run()` that
 * returns the kernel's result (a double, or an i64 as a BigInt, or an i1 as a boolean).
 */
function build(
  returnType: 'double' | 'i64' | 'i1',
  body: (b: llvm.IRBuilder, module: llvm.Module, fn: llvm.Function) => llvm.Value,
): { module: llvm.Module; run: () => unknown } {
  const module = new llvm.Module('builder_test');
  const b = new llvm.IRBuilder();
  const i8ptr = b.getInt8PtrTy();
  const ret = returnType === 'double' ? b.getDoubleTy() : returnType === 'i64' ? b.getInt64Ty() : b.getInt1Ty();
  const kernel = llvm.Function.Create(llvm.FunctionType.get(ret, []), 'internal', 'kernel', module);
  b.SetInsertPoint(llvm.BasicBlock.Create(undefined, 'entry', kernel));
  b.CreateRet(body(b, module, kernel));

  const wrapper = llvm.Function.Create(llvm.FunctionType.get(i8ptr, [i8ptr, i8ptr]), 'external', 'run_napi', module);
  b.SetInsertPoint(llvm.BasicBlock.Create(undefined, 'entry', wrapper));
  const out = b.CreateAlloca(i8ptr, null, 'out');
  const value = b.CreateCall(kernel, []);
  const i32 = b.getInt32Ty();
  const pp = llvm.PointerType.getUnqual(i8ptr);
  const [name, arg] =
    returnType === 'double'
      ? (['napi_create_double', value] as const)
      : returnType === 'i64'
        ? (['napi_create_bigint_int64', value] as const)
        : (['napi_get_boolean', b.CreateZExt(value, i32)] as const);
  const create = module.getOrInsertFunction(name, llvm.FunctionType.get(i32, [i8ptr, arg.type, pp]));
  b.CreateCall(create, [wrapper.getArg(0), arg, out]);
  b.CreateRet(b.CreateLoad(i8ptr, out));

  const text = module.print();
  return {
    module,
    run: () => {
      const c = engine.compile(text, { wrappers: [{ symbol: 'run_napi', name: 'run' }], optLevel: 0 });
      compiled.push(c);
      return (c.functions['run'] as () => unknown)();
    },
  };
}

describe('llvm-ir: the text IR builder', () => {
  it('writes double constants that read back exactly (-0, NaN, infinities, subnormals, large and tiny values)', () => {
    const values = [
      0,
      -0,
      NaN,
      Infinity,
      -Infinity,
      5e-324,
      -2.2250738585072014e-308,
      1e300,
      0.1,
      1 / 3,
      2 ** 53 + 2,
      -1e21,
      1.5e-7,
    ];
    for (const v of values) {
      const { run } = build('double', () => llvm.ConstantFP.get(llvm.Type.getDoubleTy(), v));
      expect(Object.is(run(), v), `${v}`).toBe(true);
    }
  });

  it('rounds float constants to f32 and widens them back exactly', () => {
    for (const v of [0.1, -0, NaN, 3.4e38, 1e-45, 16777217]) {
      const { run } = build('double', (b) => b.CreateFPExt(llvm.ConstantFP.get(b.getFloatTy(), v), b.getDoubleTy()));
      expect(Object.is(run(), Math.fround(v)), `${v}`).toBe(true);
    }
  });

  it("writes integer constants of every width with their two's complement bits", () => {
    const cases: [number, bigint, bigint][] = [
      [64, -(2n ** 63n), -(2n ** 63n)],
      [64, 2n ** 64n - 1n, -1n],
      [64, 2n ** 53n + 1n, 2n ** 53n + 1n],
      [32, 2n ** 31n, -(2n ** 31n)],
      [8, 255n, -1n],
      [17, 2n ** 16n, -(2n ** 16n)],
    ];
    for (const [bits, value, expected] of cases) {
      const { run } = build('i64', (b) => b.CreateSExt(llvm.ConstantInt.get(b.getIntNTy(bits), value), b.getInt64Ty()));
      expect(run(), `i${bits} ${value}`).toBe(expected);
    }
    expect(llvm.ConstantInt.get(llvm.Type.getInt1Ty(), 1).ref).toBe('true');
    expect(() => llvm.ConstantInt.get(llvm.Type.getInt32Ty(), 1.5)).toThrow(RangeError);
  });

  it('builds phis and switches whose incoming values and cases are added after later code', () => {
    // sum = 0; for (i = 0; i != 10; i++) switch (i % 3) { case 0: sum += 1; case 1: sum += 10; default: sum += 100 }
    const { run, module } = build('i64', (b, _m, fn) => {
      const i64 = b.getInt64Ty();
      const entry = b.GetInsertBlock() as llvm.BasicBlock;
      const header = llvm.BasicBlock.Create(undefined, 'loop', fn);
      const cases = [1, 10, 100].map((_, k) => llvm.BasicBlock.Create(undefined, `case${k}`, fn));
      const latch = llvm.BasicBlock.Create(undefined, 'latch', fn);
      const exit = llvm.BasicBlock.Create(undefined, 'exit', fn);
      b.CreateBr(header);
      b.SetInsertPoint(header);
      const i = b.CreatePHI(i64, 2, 'i');
      const sum = b.CreatePHI(i64, 2, 'sum');
      i.addIncoming(b.getInt64(0), entry);
      sum.addIncoming(b.getInt64(0), entry);
      const sw = b.CreateSwitch(b.CreateURem(i, b.getInt64(3)), cases[2] as llvm.BasicBlock, 2);
      sw.addCase(b.getInt64(0), cases[0] as llvm.BasicBlock);
      sw.addCase(b.getInt64(1), cases[1] as llvm.BasicBlock);
      const added = [1, 10, 100].map((amount, k) => {
        b.SetInsertPoint(cases[k] as llvm.BasicBlock);
        const next = b.CreateAdd(sum, b.getInt64(amount));
        b.CreateBr(latch);
        return next;
      });
      b.SetInsertPoint(latch);
      const merged = b.CreatePHI(i64, 3);
      added.forEach((v, k) => merged.addIncoming(v, cases[k] as llvm.BasicBlock));
      const next = b.CreateAdd(i, b.getInt64(1), 'next');
      i.addIncoming(next, latch);
      sum.addIncoming(merged, latch);
      b.CreateCondBr(b.CreateICmpNE(next, b.getInt64(10)), header, exit);
      b.SetInsertPoint(exit);
      return merged;
    });
    // i = 0..9: i % 3 is 0 four times, 1 three times, 2 three times.
    expect(run()).toBe(4n * 1n + 3n * 10n + 3n * 100n);
    expect(module.print()).toMatch(/switch i64 %t\d+, label %case2\.\d+ \[\n {4}i64 0, label %case0\.\d+\n/);
  });

  it('puts entry allocas first, calls intrinsics, externals and varargs functions, and loads through GEPs', () => {
    const { run, module } = build('double', (b, m, fn) => {
      const double = b.getDoubleTy();
      const pair = llvm.StructType.create(m.context, [b.getInt32Ty(), double], 'pair');
      const later = llvm.BasicBlock.Create(undefined, 'later', fn);
      b.CreateBr(later);
      b.SetInsertPoint(later);
      const slot = b.CreateEntryAlloca(fn, pair, 'slot');
      const field = b.CreateStructGEP(pair, slot, 1);
      b.CreateStore(llvm.ConstantFP.get(double, -2.25), field);
      const loaded = b.CreateLoad(double, field);
      const fabs = llvm.Intrinsic.getDeclaration(m, llvm.Intrinsic.fabs, [double]);
      const sqrt = m.getOrInsertFunction('sqrt', llvm.FunctionType.get(double, [double]));
      const i8ptr = b.getInt8PtrTy();
      const snprintf = m.getOrInsertFunction(
        'snprintf',
        llvm.FunctionType.get(b.getInt32Ty(), [i8ptr, b.getInt64Ty(), i8ptr], true),
      );
      const written = b.CreateCall(snprintf, [
        llvm.ConstantPointerNull.get(i8ptr),
        b.getInt64(0),
        b.CreateGlobalStringPtr('%d\u00e9"\\', 'fmt', 0, m),
        b.getInt32(12345),
      ]);
      const root = b.CreateCall(sqrt, [b.CreateCall(fabs, [loaded])]);
      return b.CreateFAdd(root, b.CreateSIToFP(written, double));
    });
    // sqrt(|-2.25|) = 1.5, plus the 9 bytes snprintf would write ("12345", é as two bytes, '"', '\').
    expect(run()).toBe(1.5 + 9);
    const text = module.print();
    expect(text).toContain('%pair = type { i32, double }');
    expect(text).toContain('c"%d\\C3\\A9\\22\\5C\\00"');
    expect(text).toContain('declare double @llvm.fabs.f64(double)');
    expect(text).toMatch(/call i32 \(i8\*, i64, i8\*, \.\.\.\) @snprintf\(/);
    expect(text).toMatch(/define internal double @kernel\(\) \{\nentry\.\d+:\n {2}%slot\.\d+ = alloca %pair\n/);
  });

  it('calls inline assembly', () => {
    // The stack pointer, read twice: the same non-zero value within one frame.
    const { run } = build('i1', (b) => {
      const i64 = b.getInt64Ty();
      const sp = llvm.InlineAsm.get(llvm.FunctionType.get(i64, []), 'movq %rsp, $0', '=r', true);
      const first = b.CreateCall(llvm.FunctionType.get(i64, []), sp, []);
      const second = b.CreateCall(llvm.FunctionType.get(i64, []), sp, []);
      return b.CreateAnd(b.CreateICmpEQ(first, second), b.CreateICmpNE(first, b.getInt64(0)));
    });
    expect(run()).toBe(true);
  });

  it('reads the stack pointer with llvm.stacksave and hints branches with llvm.expect', () => {
    // A stack guard's shape: the stack pointer, non-zero, below this frame's address, and the compare wrapped in expect.
    const { run, module } = build('i1', (b, m) => {
      const i64 = b.getInt64Ty();
      const i1 = b.getInt1Ty();
      const stacksave = llvm.Intrinsic.getDeclaration(m, llvm.Intrinsic.stacksave);
      const frame = llvm.Intrinsic.getDeclaration(m, llvm.Intrinsic.frameaddress, [b.getInt8PtrTy()]);
      const expect = llvm.Intrinsic.getDeclaration(m, llvm.Intrinsic.expect, [i1]);
      const sp = b.CreatePtrToInt(b.CreateCall(stacksave, []), i64);
      const fp = b.CreatePtrToInt(b.CreateCall(frame, [b.getInt32(0)]), i64);
      const ok = b.CreateAnd(b.CreateICmpNE(sp, b.getInt64(0)), b.CreateICmpULE(sp, fp));
      return b.CreateCall(expect, [ok, b.getTrue()]);
    });
    expect(run()).toBe(true);
    const text = module.print();
    expect(text).toContain('declare i8* @llvm.stacksave()');
    expect(text).toContain('declare i1 @llvm.expect.i1(i1, i1)');
  });

  it('converts unsigned integers to floating point', () => {
    // 2 ** 64 - 1 rounds to 2 ** 64 unsigned (sitofp would give -1), 2 ** 63 + 1 to 2 ** 63.
    for (const [value, expected] of [
      [2n ** 64n - 1n, 2 ** 64],
      [2n ** 63n + 1n, 2 ** 63],
      [12345n, 12345],
    ] as const) {
      const { run } = build('double', (b) =>
        b.CreateUIToFP(llvm.ConstantInt.get(b.getInt64Ty(), value), b.getDoubleTy()),
      );
      expect(run(), `${value}`).toBe(expected);
    }
  });

  it("prints a global's initializer as last set, after code that loads it was built", () => {
    const { run, module } = build('i1', (b, m) => {
      const flag = new llvm.GlobalVariable(m, b.getInt1Ty(), true, 'internal', b.getTrue(), 'flag');
      const loaded = b.CreateLoad(b.getInt1Ty(), flag);
      flag.setInitializer(b.getFalse());
      return loaded;
    });
    expect(run()).toBe(false);
    expect(module.print()).toMatch(/@flag(\.\d+)? = internal constant i1 false/);
  });

  it("builds one function's body while another's is under way, then goes on where it was", () => {
    // kernel: x = 40; (build helper(y) = y + 2 here); return helper(x) as a double.
    const { run } = build('double', (b, m) => {
      const i64 = b.getInt64Ty();
      const x = b.CreateAdd(b.getInt64(20), b.getInt64(20));
      const resume = b.GetInsertBlock() as llvm.BasicBlock;
      const helper = llvm.Function.Create(llvm.FunctionType.get(i64, [i64]), 'internal', 'helper', m);
      b.SetInsertPoint(llvm.BasicBlock.Create(undefined, 'entry', helper));
      b.CreateRet(b.CreateAdd(helper.getArg(0), b.getInt64(2)));
      b.SetInsertPoint(resume);
      return b.CreateSIToFP(b.CreateCall(helper, [x]), b.getDoubleTy());
    });
    expect(run()).toBe(42);
  });

  it('names symbols uniquely and quotes names LLVM would not read plainly', () => {
    const module = new llvm.Module('names');
    const type = llvm.FunctionType.get(llvm.Type.getVoidTy(), []);
    const a = llvm.Function.Create(type, 'internal', 'f', module);
    const b = llvm.Function.Create(type, 'internal', 'f', module);
    const c = llvm.Function.Create(type, 'external', 'with space', module);
    expect([a.name, b.name, c.ref]).toEqual(['f', 'f.1', '@"with space"']);
    const builder = new llvm.IRBuilder();
    for (const fn of [a, b, c]) {
      builder.SetInsertPoint(llvm.BasicBlock.Create(undefined, '9 lives', fn));
      builder.CreateRetVoid();
    }
    expect(() => engine.verify(module.print())).not.toThrow();
    expect(module.getFunction('f.1')).toBe(b);
  });

  it('gives what it does not support a clear error', () => {
    const b = new llvm.IRBuilder();
    expect(() => b.CreateAdd(b.getInt32(1), b.getInt32(2))).toThrow(/no insertion point/);
    expect(() => llvm.Intrinsic.getDeclaration(new llvm.Module('m'), 'llvm.nonsense')).toThrow(/unknown intrinsic/);
    expect(() => llvm.PointerType.getUnqual(llvm.Type.getVoidTy())).toThrow(/no pointer to void/);
    expect(() => b.CreateExtractValue(b.getInt32(1), [0])).toThrow(/cannot index into i32/);
  });
});
