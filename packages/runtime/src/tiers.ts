import type { NativeCode } from './backend.js';
import type { Specialization } from './cache.js';
import { optimizedTierOptLevel } from './options.js';

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
 * its calls and, once hot, recompiles the same LLVM IR at O3 on a
 * background thread and swaps the result into `spec.native`. Dispatchers
 * read `spec.native` at every call, so the swap needs no pause; the quick
 * tier's machine code is freed when its function is collected (nothing
 * references it after the swap). A failed recompile leaves the quick tier
 * running (it computes the same results) and is reported to `report.failed`.
 */
export function startQuickTier(
  spec: Specialization,
  code: NativeCode,
  report: { readonly installed?: (code: NativeCode) => void; readonly failed?: (error: unknown) => void },
): void {
  const quick = code.fn;
  let calls = 0;
  let spentMs = 0;
  let pending: Promise<void> | undefined;
  const tierUp = (): Promise<void> => {
    pending ??= code.recompile(optimizedTierOptLevel).then(
      (optimized) => {
        spec.native = optimized.fn;
        spec.optLevel = optimizedTierOptLevel;
        spec.tier = 'optimized';
        delete spec.tierUp;
        report.installed?.(optimized);
      },
      (error: unknown) => {
        // Keep counting no more: the quick tier stays.
        spec.native = quick;
        delete spec.tierUp;
        report.failed?.(error);
      },
    );
    return pending;
  };
  spec.tierUp = tierUp;
  spec.native = function quickTier(...args: unknown[]): unknown {
    const start = performance.now();
    try {
      return quick(...args);
    } finally {
      spentMs += performance.now() - start;
      if (pending === undefined && (++calls >= tierUpCalls || spentMs >= tierUpMs)) {
        // Settles on its own; errors go to onError.
        void tierUp();
      }
    }
  };
}
