import * as llvm from '../llvm-ir/index.js';
import { linkExactMath } from './exact-math-ir.js';
import type {
  DeltaNode,
  GammaNode,
  LambdaNode,
  Module,
  Node,
  OpRegistry,
  Origin,
  PhiNode,
  Region,
  SimpleNode,
  ThetaNode,
  Type,
} from '@rvsdg/ir';
import { nodesById, originType } from '@rvsdg/ir';
import { NativeEngine } from '../engine/native-engine.js';
import { LoweringBug, LoweringError } from './errors.js';
import { ctxField, LoweringContext, type Slot } from './lowering-context.js';
import { defaultLowerings, type Lowering, type LoweringRegistry } from './lowering-registry.js';
import { generateWrapper, type ModuleInit } from './napi-wrapper.js';

export interface LowerOptions {
  /** Lowerings for simple nodes; `defaultLowerings` when absent. Extend it to add a dialect's lowerings. */
  readonly lowerings?: LoweringRegistry;
  /**
   * The registry of the module's ops: an op without an entry in `lowerings`
   * is lowered by its definition's `lowerings.llvm`, so a dialect that
   * carries its lowerings needs no LoweringRegistry.
   */
  readonly registry?: OpRegistry;
  /** Name of the LLVM module (default 'rvsdg'). */
  readonly moduleName?: string;
  /**
   * Link the exact math functions a module calls (rvsdg_exp, ...) into its
   * `irText`, so LLVM can inline them (default). When false they stay
   * declarations, resolved by the engine (JIT) or compiled in from C (AOT).
   */
  readonly linkExactMath?: boolean;
  /**
   * Have the native engine parse and verify the text (default true). A
   * LoweringBug carries the IR and LLVM's message when it fails.
   * compileModule passes false: the engine verifies while compiling.
   */
  readonly verify?: boolean;
  /**
   * How the N-API wrappers take a TypedArray parameter. `'typedarray'`
   * (default): the TypedArray, read with napi_get_typedarray_info.
   * `'unpacked'`: two arguments, the TypedArray and its ArrayBuffer (which the
   * caller reads with the intrinsic getter); the wrapper reads the buffer's
   * memory with napi_get_arraybuffer_info, skipping napi_get_typedarray_info's
   * slow part (about 30 ns less per array), and checks that the view lies
   * inside the buffer and is aligned, so lying arguments cannot reach memory
   * outside it. The caller checks the kind. `jit` uses this.
   */
  readonly arrayArguments?: 'typedarray' | 'unpacked';
}

/** An N-API callback in the module: `symbol` is its LLVM name, `name` the export it calls. */
export interface WrapperSymbol {
  readonly symbol: string;
  readonly name: string;
}

export interface LoweredModule {
  /** The LLVM module as built (see llvm-ir/). */
  readonly llvmModule: llvm.Module;
  /** Its text, as the native engine consumes it, with the exact math functions it calls (see `linkExactMath`). */
  readonly irText: string;
  /** One wrapper per exported function, in export order. */
  readonly wrappers: readonly WrapperSymbol[];
}

/** A context variable as a lambda body sees it: a constant, or a root-level value kept in a global. */
type Capture = { readonly value: Slot } | { readonly global: llvm.GlobalVariable; readonly type: llvm.Type };

interface PendingLambda {
  readonly node: LambdaNode;
  readonly fn: llvm.Function;
  readonly captures: readonly Capture[];
  readonly recursive: boolean;
}

/** The text's LLVM IR problem as a LoweringBug carrying the text, or the error itself when it is something else. */
export function asLoweringBug(error: unknown, irText: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_LLVM_PARSE' && code !== 'ERR_LLVM_VERIFY') return error;
  return new LoweringBug(
    `the LLVM module produced for this RVSDG module does not verify: ${(error as Error).message}`,
    irText,
  );
}

/** Letters, digits, '_' and '.' only, so symbols survive any tool. */
export function symbolName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.]/g, '_') || 'anon';
}

/**
 * Lowers a typed, verified module to LLVM IR.
 *
 * - lambda: an internal LLVM function taking the non-state parameters and
 *   the error slot (`%rvsdg.ctx*`), returning its non-state results (void,
 *   one value, or a struct). State is erased: it only orders the code, and
 *   the code is emitted in the region's (topological) order.
 * - gamma: a conditional branch (two regions) or a switch, with phis at the merge.
 * - theta: a loop whose header has one phi per loop variable that changes.
 * - phi: its lambdas are declared first, so they call each other directly.
 * - delta and other root-level computations run once, in an init function
 *   the wrappers call on first use; values lambdas capture from the root
 *   region live in internal globals.
 * - call: a direct call when the callee is a known function, otherwise an
 *   indirect call through the function pointer; then an error check.
 *
 * Every exported function gets an N-API wrapper (see napi-wrapper.ts).
 * Unless `verify` is false, the native engine parses and verifies the
 * text; a failure throws LoweringBug with the IR attached.
 */
export function lowerModule(module: Module, options: LowerOptions = {}): LoweredModule {
  const lowered = new ModuleLowering(module, options).run();
  if (options.verify ?? true) {
    try {
      NativeEngine.shared().verify(lowered.irText);
    } catch (error) {
      throw asLoweringBug(error, lowered.irText);
    }
  }
  return lowered;
}

class ModuleLowering {
  readonly ctx: LoweringContext;
  readonly lowerings: LoweringRegistry;
  readonly registry: OpRegistry | undefined;
  readonly #unpackedArrays: boolean;
  readonly #pending: PendingLambda[] = [];
  readonly #declared = new Map<LambdaNode, llvm.Function>();
  readonly #recursive = new Set<LambdaNode>();
  readonly #lambdaOf = new Map<llvm.Value, LambdaNode>();
  #inInit = false;
  #initNeeded = false;
  #globals = 0;
  readonly #linkExactMath: boolean;

  constructor(
    readonly module: Module,
    options: LowerOptions,
  ) {
    this.ctx = new LoweringContext(options.moduleName ?? 'rvsdg');
    this.lowerings = options.lowerings ?? defaultLowerings;
    this.registry = options.registry;
    this.#linkExactMath = options.linkExactMath ?? true;
    this.#unpackedArrays = options.arrayArguments === 'unpacked';
  }

  run(): LoweredModule {
    const { ctx, module } = this;
    if (module.imports.length > 0) {
      throw new LoweringError(
        `the LLVM backend cannot compile modules with imports (${module.imports.map((i) => i.name).join(', ')}): link or inline them first`,
      );
    }
    const init = ctx.createFunction(
      llvm.FunctionType.get(ctx.builder.getVoidTy(), [ctx.ctxPtrType], false),
      llvm.Function.LinkageTypes.InternalLinkage,
      'rvsdg.init',
    );
    ctx.fn = { fn: init, ctxArg: init.getArg(0), returnType: ctx.builder.getVoidTy() };
    ctx.builder.SetInsertPoint(llvm.BasicBlock.Create(ctx.context, 'entry', init));
    this.#inInit = true;
    const exported = this.lowerRegion(module.region, []);
    ctx.builder.CreateRetVoid();
    this.#inInit = false;

    for (let next = this.#pending.shift(); next; next = this.#pending.shift()) this.emitLambda(next);

    const ready = this.#initNeeded
      ? ctx.createGlobal(
          ctx.i8,
          false,
          llvm.GlobalValue.LinkageTypes.InternalLinkage,
          llvm.ConstantInt.get(ctx.i8, 0),
          'rvsdg.ready',
        )
      : undefined;
    const moduleInit: ModuleInit | undefined = ready ? { fn: init, ready } : undefined;

    const wrappers: WrapperSymbol[] = [];
    module.exports.forEach((name, i) => {
      const type = originType(module.region, module.region.results[i] as Origin);
      if (type?.kind !== 'fn') return;
      const slot = exported[i];
      const lambda = slot ? this.#lambdaOf.get(slot) : undefined;
      if (!lambda) {
        throw new LoweringError(
          `export '${name}' is not a function the backend can resolve at compile time (a lambda or phi output)`,
        );
      }
      const symbol = generateWrapper(ctx, {
        exportName: name,
        index: i,
        lambda,
        fn: slot as llvm.Function,
        init: moduleInit,
        stackGuard: this.#recursive.size > 0,
        unpackedArrays: this.#unpackedArrays,
      });
      wrappers.push({ symbol, name });
    });

    ctx.finishErrorChecks();
    const irText = ctx.module.print();
    return { llvmModule: ctx.module, irText: this.#linkExactMath ? linkExactMath(irText) : irText, wrappers };
  }

  // ---- regions and nodes ---------------------------------------------------------

  lowerRegion(region: Region, args: readonly Slot[]): Slot[] {
    const values = new Map<number, readonly Slot[]>();
    const get = (origin: Origin): Slot => {
      if (origin.kind === 'arg') return args[origin.index];
      return values.get(origin.node)?.[origin.index];
    };
    for (const node of region.nodes) {
      const inputs = node.inputs.map(get);
      const outputs = this.lowerNode(node, inputs, region);
      if (outputs.length !== node.outputs.length) {
        throw new Error(
          `lowering of node ${node.id} produced ${outputs.length} values for ${node.outputs.length} outputs`,
        );
      }
      values.set(node.id, outputs);
    }
    return region.results.map(get);
  }

  lowerNode(node: Node, inputs: Slot[], region: Region): readonly Slot[] {
    if (this.#inInit && node.kind !== 'lambda' && node.kind !== 'phi') {
      if (node.kind !== 'simple' || (node.op !== 'const' && node.op !== 'undef')) this.#initNeeded = true;
    }
    switch (node.kind) {
      case 'simple':
        return this.lowerSimple(node, inputs, region);
      case 'gamma':
        return this.lowerGamma(node, inputs);
      case 'theta':
        return this.lowerTheta(node, inputs);
      case 'lambda':
        return [this.lowerLambda(node, inputs)];
      case 'delta':
        return this.lowerDelta(node, inputs);
      case 'phi':
        return this.lowerPhi(node, inputs);
    }
  }

  lowerSimple(node: SimpleNode, inputs: Slot[], region: Region): readonly Slot[] {
    const lowering =
      this.lowerings.get(node.op) ?? (this.registry?.get(node.op)?.lowerings?.['llvm'] as Lowering | undefined);
    if (!lowering) {
      throw new LoweringError(
        `no LLVM lowering for op '${node.op}' (node ${node.id}): give its op definition \`lowerings: { llvm }\` and pass ` +
          `its registry (the \`registry\` option), or register one with LoweringRegistry.register('${node.op}', ...)`,
      );
    }
    this.ctx.operandTypes = node.inputs.map((o) => originType(region, o) as Type);
    let produced: readonly Slot[];
    try {
      produced = lowering(this.ctx, node, inputs);
    } catch (error) {
      if (error instanceof LoweringError || error instanceof LoweringBug) throw error;
      // A lowering that throws is broken; report it with the IR built so far.
      const message = error instanceof Error ? error.message : String(error);
      throw new LoweringBug(
        `the lowering of '${node.op}' (node ${node.id}) threw: ${message}`,
        this.ctx.module.print(),
      );
    }
    if (produced.length === node.outputs.length) return produced;
    const live = node.outputs.filter((t) => t.kind !== 'state').length;
    if (produced.length !== live) {
      throw new Error(
        `the lowering of '${node.op}' returned ${produced.length} values; expected ${node.outputs.length} (all outputs) or ${live} (non-state outputs)`,
      );
    }
    let k = 0;
    return node.outputs.map((t) => (t.kind === 'state' ? undefined : produced[k++]));
  }

  lowerGamma(node: GammaNode, inputs: Slot[]): Slot[] {
    const { ctx } = this;
    const b = ctx.builder;
    const predicate = inputs[0] as llvm.Value;
    const entry = inputs.slice(1);
    if (node.regions.length === 1) return this.lowerRegion(node.regions[0] as Region, entry);
    const blocks = node.regions.map((_, i) => ctx.newBlock(`gamma${node.id}.${i}`));
    const merge = ctx.newBlock(`gamma${node.id}.end`);
    if (blocks.length === 2) {
      b.CreateCondBr(
        b.CreateICmpNE(predicate, ctx.i32c(0)),
        blocks[1] as llvm.BasicBlock,
        blocks[0] as llvm.BasicBlock,
      );
    } else {
      // Predicates are always in range; the last region doubles as the default.
      const sw = b.CreateSwitch(predicate, blocks[blocks.length - 1] as llvm.BasicBlock, blocks.length - 1);
      for (let i = 0; i < blocks.length - 1; i++) sw.addCase(b.getInt32(i), blocks[i] as llvm.BasicBlock);
    }
    const ends: { block: llvm.BasicBlock; results: Slot[] }[] = [];
    node.regions.forEach((region, i) => {
      b.SetInsertPoint(blocks[i] as llvm.BasicBlock);
      const results = this.lowerRegion(region, entry);
      ends.push({ block: b.GetInsertBlock() as llvm.BasicBlock, results });
      b.CreateBr(merge);
    });
    b.SetInsertPoint(merge);
    return node.outputs.map((type, j) => {
      const llvmType = ctx.typeOf(type);
      if (!llvmType) return undefined;
      const first = ends[0]?.results[j];
      if (ends.every((e) => e.results[j] === first)) return first;
      const phi = b.CreatePHI(llvmType, ends.length);
      for (const e of ends) phi.addIncoming(e.results[j] as llvm.Value, e.block);
      return phi;
    });
  }

  lowerTheta(node: ThetaNode, inputs: Slot[]): Slot[] {
    const { ctx } = this;
    const b = ctx.builder;
    const region = node.regions[0];
    const preheader = b.GetInsertBlock() as llvm.BasicBlock;
    const header = ctx.newBlock(`theta${node.id}`);
    b.CreateBr(header);
    b.SetInsertPoint(header);
    const phis: (llvm.PHINode | undefined)[] = [];
    const vars = node.outputs.map((type, j): Slot => {
      const llvmType = ctx.typeOf(type);
      const next = region.results[j + 1];
      // A variable the body passes through unchanged needs no phi (and a constant stays a constant).
      if (!llvmType || (next?.kind === 'arg' && next.index === j)) return inputs[j];
      const phi = b.CreatePHI(llvmType, 2);
      phi.addIncoming(inputs[j] as llvm.Value, preheader);
      phis[j] = phi;
      return phi;
    });
    const results = this.lowerRegion(region, vars);
    const latch = b.GetInsertBlock() as llvm.BasicBlock;
    phis.forEach((phi, j) => phi?.addIncoming(results[j + 1] as llvm.Value, latch));
    const exit = ctx.newBlock(`theta${node.id}.end`);
    b.CreateCondBr(b.CreateICmpNE(results[0] as llvm.Value, ctx.i32c(0)), header, exit);
    b.SetInsertPoint(exit);
    return results.slice(1);
  }

  lowerDelta(node: DeltaNode, inputs: Slot[]): Slot[] {
    return this.lowerRegion(node.regions[0], inputs);
  }

  lowerPhi(node: PhiNode, inputs: Slot[]): Slot[] {
    const region = node.regions[0];
    const byId = nodesById(region);
    const recursion = region.results.map((result, i) => {
      const def = result.kind === 'out' ? byId.get(result.node) : undefined;
      if (def?.kind !== 'lambda') {
        throw new LoweringError(
          `phi ${node.id}: recursion variable ${i} must be defined by a lambda of the phi region`,
        );
      }
      this.#recursive.add(def);
      return this.declare(def);
    });
    return this.lowerRegion(region, [...recursion, ...inputs]);
  }

  declare(node: LambdaNode): llvm.Function {
    let fn = this.#declared.get(node);
    if (!fn) {
      fn = this.ctx.createFunction(
        this.ctx.functionType(node.type),
        llvm.Function.LinkageTypes.InternalLinkage,
        `${symbolName(node.name)}.${node.id}`,
      );
      this.#declared.set(node, fn);
      this.#lambdaOf.set(fn, node);
    }
    return fn;
  }

  lowerLambda(node: LambdaNode, inputs: Slot[]): llvm.Value {
    const { ctx } = this;
    const fn = this.declare(node);
    const captures = inputs.map((value, i): Capture => {
      if (value === undefined || value instanceof llvm.Constant) return { value };
      if (!this.#inInit) {
        throw new LoweringError(
          `lambda '${node.name}' (node ${node.id}) captures context variable ${i}, a value computed at run time by another function; closures are not supported`,
        );
      }
      const type = value.getType();
      const global = ctx.createGlobal(
        type,
        false,
        llvm.GlobalValue.LinkageTypes.InternalLinkage,
        llvm.Constant.getNullValue(type),
        `rvsdg.global.${this.#globals++}`,
      );
      ctx.builder.CreateStore(value, global);
      return { global, type };
    });
    this.#pending.push({ node, fn, captures, recursive: this.#recursive.has(node) });
    return fn;
  }

  emitLambda({ node, fn, captures, recursive }: PendingLambda): void {
    const { ctx } = this;
    const b = ctx.builder;
    const returnType = ctx.returnType(node.type.results);
    ctx.fn = { fn, ctxArg: fn.getArg(fn.arg_size() - 1), returnType };
    b.SetInsertPoint(llvm.BasicBlock.Create(ctx.context, 'entry', fn));
    let k = 0;
    const params = node.type.params.map((t): Slot => (ctx.typeOf(t) ? fn.getArg(k++) : undefined));
    const context = captures.map((c): Slot => ('global' in c ? b.CreateLoad(c.type, c.global) : c.value));
    if (recursive) {
      // The stack guard: one compare of the stack pointer with the limit the wrapper took for this thread.
      const sp = b.CreatePtrToInt(b.CreateCall(ctx.intrinsic(llvm.Intrinsic.stacksave), []), ctx.i64);
      const limit = b.CreateLoad(ctx.i64, ctx.field(ctxField.stackLimit));
      const expect = ctx.intrinsic(llvm.Intrinsic.expect, [ctx.i1]);
      const overflow = b.CreateCall(expect, [b.CreateICmpULT(sp, limit), b.getFalse()]);
      ctx.stackOverflowIf(overflow);
    }
    const results = this.lowerRegion(node.regions[0], [...params, ...context]).filter(
      (_, i) => ctx.typeOf(node.type.results[i] as Type) !== undefined,
    );
    if (results.length === 0) b.CreateRetVoid();
    else if (results.length === 1) b.CreateRet(results[0] as llvm.Value);
    else {
      let aggregate: llvm.Value = llvm.UndefValue.get(returnType);
      results.forEach((v, i) => {
        aggregate = b.CreateInsertValue(aggregate, v as llvm.Value, [i]);
      });
      b.CreateRet(aggregate);
    }
  }
}
