import type { NativeCode } from './backend.js';
import type { Specialization, Tier } from './cache.js';
import { optimizedTierOptLevel, quickTierOptLevel } from './options.js';

/**
 * When a quick-tier specialization counts as hot: this many calls, or this
 * many milliseconds spent in its calls (a long-running kernel called once
 * or twice). `RVSDG_JIT_TIER_CALLS` overrides the count (1 recompiles at the
 * first call).
 */
export const tierUpCalls = callsFromEnvironment(process.env['RVSDG_JIT_TIER_CALLS']) ?? 10;
export const tierUpMs = 2;

function callsFromEnvironment(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const calls = Number(value);
  return Number.isInteger(calls) && calls >= 1 ? calls : undefined;
}

/**
 * Turns a freshly compiled quick-tier specialization into one that counts
 * its calls (`spec.countCall`, called by the dispatcher) and, once hot,
 * recompiles the same LLVM IR at O3 on a background thread.
 *
 * The quick tier's native function is compiled `tiered`: the background
 * thread points it at the O3 code as soon as that is linked, so the very
 * next call runs O3, also in a loop that never returns to the event loop;
 * `spec.tier` and `spec.optLevel` say so from then on. When the event loop
 * turns, the completion also installs the O3 function itself as
 * `spec.native` (fast paths made from then on call it directly), writes
 * the disk cache (`report.installed`) and settles `whenOptimized`. The
 * quick tier's machine code is freed when its function is collected, which
 * keeps the O3 code referenced as long as it may jump there. A failed
 * recompile leaves the quick tier running (it computes the same results)
 * and is reported to `report.failed`.
 */
export function startQuickTier(
  spec: Specialization,
  code: NativeCode,
  report: { readonly installed?: (code: NativeCode) => void; readonly failed?: (error: unknown) => void },
): void {
  let calls = 0;
  let spentMs = 0;
  let pending: Promise<void> | undefined;
  let tier: Tier = 'quick';
  // Redirected on the background thread: the quick function runs the O3 code now.
  const current = (): Tier => (tier === 'quick' && code.redirected?.() === true ? 'optimized' : tier);
  Object.defineProperties(spec, {
    tier: {
      get: current,
      set: (value: Tier) => {
        tier = value;
      },
      enumerable: true,
      configurable: true,
    },
    optLevel: {
      get: () => (current() === 'optimized' ? optimizedTierOptLevel : quickTierOptLevel),
      enumerable: true,
      configurable: true,
    },
  });
  const tierUp = (): Promise<void> => {
    delete spec.countCall;
    pending ??= code.recompile(optimizedTierOptLevel).then(
      (optimized) => {
        spec.native = optimized.fn;
        tier = 'optimized';
        delete spec.tierUp;
        report.installed?.(optimized);
      },
      (error: unknown) => {
        delete spec.tierUp;
        report.failed?.(error);
      },
    );
    return pending;
  };
  spec.tierUp = tierUp;
  spec.countCall = (ms: number): boolean => {
    spentMs += ms;
    if (pending === undefined && (++calls >= tierUpCalls || spentMs >= tierUpMs)) {
      // Settles on its own; errors go to report.failed.
      void tierUp();
    }
    return pending !== undefined;
  };
}

// A JavaScript function of any signature.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

/**
 * The fast path `fast` of a quick-tier specialization while its calls are
 * counted: each call timed and passed to `countCall`; once that says the
 * tier-up has started, `done(fast, counting)` lets the dispatcher call
 * `fast` directly instead of `counting` (the count is over, and the quick
 * function itself switches to the O3 code).
 */
export function countingCalls(
  fast: AnyFunction,
  countCall: (ms: number) => boolean,
  done: (fast: AnyFunction, counting: AnyFunction) => void,
): AnyFunction {
  const counting = (...args: unknown[]): unknown => {
    const start = performance.now();
    try {
      return fast(...args);
    } finally {
      if (countCall(performance.now() - start)) done(fast, counting);
    }
  };
  return counting;
}
