import type { OptLevel } from '@rvsdg/backend-llvm';
import { diskCacheEnabled } from './disk-cache.js';

/** Where `debug` output goes: `true` writes to stderr, a function receives each chunk of text. */
export type DebugSink = boolean | ((text: string) => void);

export interface JitOptions {
  /**
   * What the function's free identifiers denote (its source text carries no
   * closure): numbers, booleans and BigInts become compile-time constants;
   * functions, jitted or plain, are compiled together with it and may call
   * each other recursively. Read when a specialization is compiled, so a
   * scope object filled in after `jit()` (or getters) can express mutual
   * recursion between jitted functions.
   */
  readonly scope?: Readonly<Record<string, unknown>>;
  /**
   * Signatures to compile at once, like `'(f64[], f64[])'` or
   * `'(Float64Array, number) -> number'`. Calls matching none of them throw a
   * TypeError instead of compiling a new specialization.
   */
  readonly signatures?: readonly string[];
  /** Allow value-changing float optimizations (reassociation, contraction, libm math). Default false. */
  readonly fastmath?: boolean;
  /**
   * Check TypedArray indices (default true). With `false`, an out-of-range
   * access is undefined behaviour: it may read garbage or crash the process.
   */
  readonly boundscheck?: boolean;
  /**
   * LLVM's `default<On>` pipeline level. Given, every specialization is
   * compiled once at this level (no tiers). Absent, see `tier`.
   */
  readonly optLevel?: OptLevel;
  /**
   * Tiered compilation (default true, `RVSDG_JIT_TIER=0` turns it off): a
   * specialization is first compiled quickly (LLVM `default<O1>`), then,
   * once hot, recompiled at O3 on a background thread and swapped in. With
   * `false` (or an explicit `optLevel`) each specialization is compiled once,
   * at O3 unless `optLevel` says otherwise.
   */
  readonly tier?: boolean;
  /**
   * Print the RVSDG after each pass and the LLVM IR before and after
   * optimization, at each compilation, and check every pass's conditions
   * after it runs (as RVSDG_CHECK=1 does; otherwise they are checked once,
   * on the pipeline's output).
   */
  readonly debug?: DebugSink;
  /** Run the plain JavaScript function instead of compiling (also `RVSDG_JIT_DISABLE=1`). */
  readonly disable?: boolean;
  /** Inline calls between the compiled functions (default true). */
  readonly inline?: boolean;
  /**
   * Reuse compiled code (default true). `true`: share specializations with
   * other `jit()` calls of the same source, scope and options in this
   * process, and keep their machine code on disk for later processes (see
   * the README's "On-disk cache"; RVSDG_CACHE=0 keeps it off the disk).
   * `'memory'`: share within this process only. `false`: compile anew.
   */
  readonly cache?: boolean | 'memory';
  /**
   * Loop lifting (default true): when the function as a whole cannot be
   * compiled (strings, `console`, `try`, objects...), its loop nests that
   * can be are compiled and the rest runs in V8, with the same results and
   * side effects (see the README's "Loop lifting"). `false` keeps the
   * refusal. Not done with `signatures`.
   */
  readonly lift?: boolean;
}

export interface ResolvedOptions {
  readonly scope: Readonly<Record<string, unknown>>;
  readonly signatures: readonly string[] | undefined;
  readonly fastmath: boolean;
  readonly boundscheck: boolean;
  /** The level of the first (or only) compilation of a specialization. */
  readonly optLevel: OptLevel;
  /** Recompile hot specializations at O3 in the background (see JitOptions.tier). */
  readonly tierUp: boolean;
  readonly debug: ((text: string) => void) | undefined;
  readonly disable: boolean;
  readonly inline: boolean;
  /** `'disk'`: memory and disk; `'memory'`: this process only; false: none. */
  readonly cache: 'disk' | 'memory' | false;
  readonly lift: boolean;
}

const known = [
  'scope',
  'signatures',
  'fastmath',
  'boundscheck',
  'optLevel',
  'debug',
  'disable',
  'inline',
  'cache',
  'lift',
  'tier',
];

/** LLVM level of the quick first tier (measured: see README, tiered compilation). */
export const quickTierOptLevel: OptLevel = 1;
/** LLVM level of the optimized tier. */
export const optimizedTierOptLevel: OptLevel = 3;

/** `RVSDG_JIT_TIER` set to '0' or 'false' compiles every specialization once, at O3 (no tiers). */
export function tieringDisabledByEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env['RVSDG_JIT_TIER'];
  return value !== undefined && (value === '0' || value.toLowerCase() === 'false');
}

/** `RVSDG_JIT_DISABLE` set to anything but '', '0' or 'false' runs every jitted function as plain JavaScript. */
export function disabledByEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env['RVSDG_JIT_DISABLE'];
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function flag(options: JitOptions, name: keyof JitOptions, fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`jit: option '${name}' must be a boolean, got ${typeof value}`);
  return value;
}

function cacheMode(value: unknown): ResolvedOptions['cache'] {
  if (value === undefined || value === true) return diskCacheEnabled() ? 'disk' : 'memory';
  if (value === 'memory' || value === false) return value;
  throw new TypeError(
    `jit: option 'cache' must be true, false or 'memory', got ${JSON.stringify(value) ?? typeof value}`,
  );
}

function stderrSink(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Validates options (unknown names and wrong types are TypeErrors, so typos do not go unnoticed) and fills in defaults. */
export function resolveOptions(options: JitOptions | undefined): ResolvedOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`jit: options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) throw new TypeError(`jit: unknown option '${name}' (known: ${known.join(', ')})`);
  }
  const scope = options.scope ?? {};
  if (typeof scope !== 'object' || scope === null) throw new TypeError('jit: option scope must be an object');
  const signatures = options.signatures;
  if (signatures !== undefined && (!Array.isArray(signatures) || signatures.some((s) => typeof s !== 'string'))) {
    throw new TypeError('jit: option signatures must be an array of strings such as "(f64[], f64[])"');
  }
  const tierUp = options.optLevel === undefined && flag(options, 'tier', true) && !tieringDisabledByEnvironment();
  const optLevel = options.optLevel ?? (tierUp ? quickTierOptLevel : optimizedTierOptLevel);
  if (optLevel !== 0 && optLevel !== 1 && optLevel !== 2 && optLevel !== 3) {
    throw new TypeError(`jit: option optLevel must be 0, 1, 2 or 3, got ${String(optLevel)}`);
  }
  const debug = options.debug;
  if (debug !== undefined && typeof debug !== 'boolean' && typeof debug !== 'function') {
    throw new TypeError('jit: option debug must be a boolean or a function receiving text');
  }
  return {
    scope,
    signatures,
    fastmath: flag(options, 'fastmath', false),
    boundscheck: flag(options, 'boundscheck', true),
    optLevel,
    tierUp,
    debug: debug === true ? stderrSink : typeof debug === 'function' ? debug : undefined,
    disable: flag(options, 'disable', false) || disabledByEnvironment(),
    inline: flag(options, 'inline', true),
    cache: cacheMode(options.cache),
    lift: flag(options, 'lift', true),
  };
}
