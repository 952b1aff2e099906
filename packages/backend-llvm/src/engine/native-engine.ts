import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** A JS function backed by jitted code (an N-API callback). */
export type JitFunction = (...args: unknown[]) => unknown;

export type OptLevel = 0 | 1 | 2 | 3;

/** An N-API wrapper `ptr @symbol(ptr env, ptr info)` in the IR, exposed to JS as `name`. */
export interface WrapperSpec {
  symbol: string;
  name: string;
}

export interface CompileOptions {
  /** New pass manager pipeline `default<On>`; 3 unless given. */
  optLevel?: OptLevel;
  wrappers: readonly WrapperSpec[];
  /** Shown in LLVM's diagnostics (`<moduleName>:line:col: error: ...`). */
  moduleName?: string;
  /**
   * Compile through an object file in memory and keep its bytes
   * (`CompiledModule.object`), which `loadObject` accepts in any process on
   * the same host and engine build.
   */
  keepObject?: boolean;
  /**
   * Make the functions redirectable: a later `compileAsync` with this module
   * as `replaces` points them at its own functions. Costs one load and one
   * branch per call.
   */
  tiered?: boolean;
}

/** Options of `compileAsync`. */
export interface AsyncCompileOptions extends CompileOptions {
  /**
   * A `tiered` module whose functions call this compile's as soon as its
   * machine code is linked, on the background thread: calls switch to the
   * new code before the promise settles, also in a loop that never yields
   * to the event loop. The replaced module's code stays mapped while its
   * functions live; disposing the new module points them back at their own.
   */
  replaces?: CompiledModule;
}

export interface CodegenOptions {
  optLevel?: OptLevel;
}

/** Milliseconds spent in each stage of one `compile`. */
export interface CompileTimings {
  parseMs: number;
  /** Verification and the optimization pipeline. */
  optimizeMs: number;
  /** Adding to the JIT and generating machine code for the wrappers. */
  jitMs: number;
  /** Whole call as seen from JS, including argument marshalling. */
  totalMs: number;
}

export interface HostInfo {
  triple: string;
  cpu: string;
  features: string;
}

export interface EngineStats {
  /** Modules whose machine code is still mapped (neither disposed nor collected). */
  liveModules: number;
  /** Modules compiled since the process started. */
  compiledModules: number;
  /** Object files added to the JIT since the process started (by `loadObject` or `keepObject` compiles). */
  loadedObjects: number;
  /** Tiered modules whose functions were pointed at a recompiled module's. */
  redirectedModules: number;
}

export interface CompiledModule {
  /** One function per wrapper, keyed by the wrapper's `name`. */
  readonly functions: Readonly<Record<string, JitFunction>>;
  readonly irBefore: string;
  readonly irAfter: string;
  readonly optLevel: OptLevel;
  readonly timings: CompileTimings;
  /** The machine code as a relocatable object, when compiled with `keepObject`. */
  readonly object: Uint8Array | undefined;
  readonly disposed: boolean;
  /** Whether the functions now run a later module's code (see `AsyncCompileOptions.replaces`). */
  readonly redirected: boolean;
  /** Assembly for the host CPU from the same optimization pipeline as the jitted code (computed on demand). */
  assembly(): string;
  /**
   * Frees the machine code now. The entries of `functions` are replaced by
   * functions that throw, but a function obtained before `dispose` jumps into
   * freed memory if called afterwards. Without `dispose`, the code is freed
   * once the module and all its functions have been garbage collected.
   */
  dispose(): void;
}

interface NativeCompileResult {
  handle: object;
  functions: Record<string, JitFunction>;
  optimizedIR: string;
  timings: { parseMs: number; optimizeMs: number; jitMs: number };
  object?: ArrayBuffer;
}

/** Machine code added from an object file (see `NativeEngine.loadObject`). */
export interface LoadedObject {
  /** One function per wrapper, keyed by the wrapper's `name`. */
  readonly functions: Readonly<Record<string, JitFunction>>;
  readonly disposed: boolean;
  /** Frees the machine code now (as `CompiledModule.dispose`). */
  dispose(): void;
}

/** The JS-facing surface of native/engine.c. */
interface NativeAddon {
  start(): HostInfo;
  compile(
    irText: string,
    optLevel: number,
    moduleName: string,
    symbols: readonly string[],
    names: readonly string[],
    tiered?: boolean,
  ): NativeCompileResult;
  compileAsync(
    irText: string,
    optLevel: number,
    moduleName: string,
    symbols: readonly string[],
    names: readonly string[],
    keepObject: boolean,
    replaces: object | undefined,
  ): Promise<NativeCompileResult>;
  release(handle: object): void;
  redirected(handle: object): boolean;
  compileObject(
    irText: string,
    optLevel: number,
    moduleName: string,
    symbols: readonly string[],
    names: readonly string[],
    tiered?: boolean,
  ): NativeCompileResult;
  loadObject(
    object: Uint8Array,
    symbols: readonly string[],
    names: readonly string[],
  ): { handle: object; functions: Record<string, JitFunction> };
  assembly(irText: string, optLevel: number): string;
  emitObject(irText: string, optLevel: number, path: string, requiredSymbols?: readonly string[]): void;
  optimize(irText: string, optLevel: number): string;
  verify(irText: string, moduleName: string): void;
  stats(): EngineStats;
}

// The same relative path from src/engine (vitest) and dist/engine (built).
const addonUrl = new URL('../../build/Release/rvsdg_llvm_engine.node', import.meta.url);

let addon: NativeAddon | undefined;

function loadAddon(): NativeAddon {
  if (addon !== undefined) return addon;
  const path = fileURLToPath(addonUrl);
  if (!existsSync(path)) {
    throw new Error(
      `the native LLVM engine is not built (${path} is missing); run \`npm install\` at the repository root ` +
        'or `npm run build:native -w @rvsdg/backend-llvm` (needs llvm-14-dev, make and g++)',
    );
  }
  addon = createRequire(import.meta.url)(path) as NativeAddon;
  return addon;
}

function checkOptLevel(level: number): OptLevel {
  if (level !== 0 && level !== 1 && level !== 2 && level !== 3) {
    throw new RangeError(`optLevel must be 0, 1, 2 or 3, got ${level}`);
  }
  return level;
}

let moduleCounter = 0;
let sharedEngine: NativeEngine | undefined;

/**
 * LLVM IR text to callable JS functions through an ORC LLJIT in this process,
 * plus assembly and object emission for the same pipeline. There is one JIT
 * per process; `NativeEngine.shared()` starts it on first use.
 */
export class NativeEngine {
  readonly host: HostInfo;
  private readonly native: NativeAddon;

  private constructor(native: NativeAddon) {
    this.native = native;
    this.host = native.start();
  }

  static shared(): NativeEngine {
    sharedEngine ??= new NativeEngine(loadAddon());
    return sharedEngine;
  }

  compile(irText: string, options: CompileOptions): CompiledModule {
    const optLevel = checkOptLevel(options.optLevel ?? 3);
    const moduleName = options.moduleName ?? `rvsdg_module_${++moduleCounter}`;
    checkWrapperNames(options.wrappers);
    const start = performance.now();
    const result = (options.keepObject ? this.native.compileObject : this.native.compile).call(
      this.native,
      irText,
      optLevel,
      moduleName,
      options.wrappers.map((w) => w.symbol),
      options.wrappers.map((w) => w.name),
      options.tiered === true,
    );
    return this.compiled(result, irText, optLevel, options, performance.now() - start);
  }

  /**
   * `compile` on a background thread (libuv's pool): parsing, optimization
   * and code generation do not block the event loop; the functions are
   * created on this thread when the promise resolves. Engine calls from
   * this thread wait while the background compile holds the engine. With
   * `keepObject` the code is made as compileObject makes it (generated
   * into an object file on the background thread, which also adds it to
   * the JIT) and the object is returned. See `replaces` for switching a
   * running module's calls to the new code.
   */
  async compileAsync(irText: string, options: AsyncCompileOptions): Promise<CompiledModule> {
    const optLevel = checkOptLevel(options.optLevel ?? 3);
    const moduleName = options.moduleName ?? `rvsdg_module_${++moduleCounter}`;
    checkWrapperNames(options.wrappers);
    const start = performance.now();
    const result = await this.native.compileAsync(
      irText,
      optLevel,
      moduleName,
      options.wrappers.map((w) => w.symbol),
      options.wrappers.map((w) => w.name),
      options.keepObject === true,
      options.replaces instanceof JitModule ? options.replaces.liveHandle : undefined,
    );
    return this.compiled(result, irText, optLevel, options, performance.now() - start);
  }

  private compiled(
    result: NativeCompileResult,
    irText: string,
    optLevel: OptLevel,
    options: CompileOptions,
    totalMs: number,
  ): CompiledModule {
    const functions = functionsByName(result.functions, options.wrappers);
    const object = result.object ? new Uint8Array(result.object) : undefined;
    return new JitModule(this, result.handle, functions, irText, result.optimizedIR, optLevel, object, {
      ...result.timings,
      totalMs,
    });
  }

  /**
   * Adds the machine code of an object from a `keepObject` compile (in this
   * or another process on the same host and engine build) to the JIT, without
   * compiling anything. The bytes must be exactly such an object: loading
   * arbitrary bytes is undefined behaviour, so check them (a checksum) first.
   */
  loadObject(object: Uint8Array, wrappers: readonly WrapperSpec[]): LoadedObject {
    const result = this.native.loadObject(
      object,
      wrappers.map((w) => w.symbol),
      wrappers.map((w) => w.name),
    );
    return new ObjectModule(this, result.handle, functionsByName(result.functions, wrappers));
  }

  /** Assembly of `irText` after the `default<On>` pipeline, for the host CPU. */
  assembly(irText: string, options: CodegenOptions = {}): string {
    return this.native.assembly(irText, checkOptLevel(options.optLevel ?? 3));
  }

  /** The optimized IR of `irText`, without compiling it. */
  optimize(irText: string, options: CodegenOptions = {}): string {
    return this.native.optimize(irText, checkOptLevel(options.optLevel ?? 3));
  }

  /**
   * Writes a position-independent ELF object for the host, ready to link into
   * a shared library; throws if any of `requiredSymbols` is not exported.
   */
  emitObject(
    irText: string,
    path: string,
    options: CodegenOptions = {},
    requiredSymbols: readonly string[] = [],
  ): void {
    this.native.emitObject(irText, checkOptLevel(options.optLevel ?? 3), path, requiredSymbols);
  }

  /**
   * Parses and verifies `irText` without optimizing or compiling it; throws
   * LLVM's message (`code` ERR_LLVM_PARSE or ERR_LLVM_VERIFY) when it fails.
   */
  verify(irText: string, options: { moduleName?: string } = {}): void {
    this.native.verify(irText, options.moduleName ?? 'module');
  }

  stats(): EngineStats {
    return this.native.stats();
  }

  /** Path of the native addon, for loading it in another process. */
  static get addonPath(): string {
    return fileURLToPath(addonUrl);
  }

  /** @internal */
  release(handle: object): void {
    this.native.release(handle);
  }

  /** @internal */
  redirected(handle: object): boolean {
    return this.native.redirected(handle);
  }
}

function checkWrapperNames(wrappers: readonly WrapperSpec[]): void {
  const names = new Set<string>();
  for (const w of wrappers) {
    if (names.has(w.name)) throw new Error(`two wrappers are both named '${w.name}'`);
    names.add(w.name);
  }
}

function functionsByName(
  bySymbol: Readonly<Record<string, JitFunction>>,
  wrappers: readonly WrapperSpec[],
): Record<string, JitFunction> {
  const functions: Record<string, JitFunction> = {};
  for (const w of wrappers) {
    const fn = bySymbol[w.symbol];
    if (fn === undefined) throw new Error(`the engine returned no function for wrapper '${w.symbol}'`);
    functions[w.name] = fn;
  }
  return functions;
}

function disposedFunction(name: string): JitFunction {
  return () => {
    throw new Error(`'${name}' belongs to a disposed CompiledModule`);
  };
}

class JitModule implements CompiledModule {
  private handle: object | undefined;
  private asm: string | undefined;

  constructor(
    private readonly engine: NativeEngine,
    handle: object,
    readonly functions: Record<string, JitFunction>,
    readonly irBefore: string,
    readonly irAfter: string,
    readonly optLevel: OptLevel,
    readonly object: Uint8Array | undefined,
    readonly timings: CompileTimings,
  ) {
    this.handle = handle;
  }

  get disposed(): boolean {
    return this.handle === undefined;
  }

  get redirected(): boolean {
    return this.handle !== undefined && this.engine.redirected(this.handle);
  }

  /** @internal The native handle while the code is mapped. */
  get liveHandle(): object | undefined {
    return this.handle;
  }

  assembly(): string {
    // The same IR pipeline as the jitted code; only relocations differ (the
    // JIT's code generator is not position-independent).
    this.asm ??= this.engine.assembly(this.irBefore, { optLevel: this.optLevel });
    return this.asm;
  }

  dispose(): void {
    if (this.handle === undefined) return;
    for (const name of Object.keys(this.functions)) this.functions[name] = disposedFunction(name);
    const handle = this.handle;
    this.handle = undefined;
    this.engine.release(handle);
  }
}

class ObjectModule implements LoadedObject {
  private handle: object | undefined;

  constructor(
    private readonly engine: NativeEngine,
    handle: object,
    readonly functions: Record<string, JitFunction>,
  ) {
    this.handle = handle;
  }

  get disposed(): boolean {
    return this.handle === undefined;
  }

  dispose(): void {
    if (this.handle === undefined) return;
    for (const name of Object.keys(this.functions)) this.functions[name] = disposedFunction(name);
    const handle = this.handle;
    this.handle = undefined;
    this.engine.release(handle);
  }
}
