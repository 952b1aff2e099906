import { CompileError } from '@rvsdg/frontend';
import { JitTypeError } from '../errors.js';
import type { Inspection, JittedFunction } from '../jit.js';
import type { ResolvedOptions } from '../options.js';
import { liftFunction, printLiftReport, sourceRefusal, type Lifted, type LiftRequest } from './lift-function.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

/** How `jit` asks for lifting when a call is refused. */
export interface LiftOnRefusal {
  /**
   * The lifted function when `error` refused a call because of the
   * function's code (not its arguments), or undefined: lifting off, not a
   * refusal, arguments refused, or nothing to lift (then the message of
   * `error` says why no loop qualified).
   */
  run(error: unknown): AnyFunction | undefined;
  /** The lifted function once built. */
  lifted(): Lifted | undefined;
}

export function liftOnRefusal(
  original: AnyFunction,
  name: string,
  resolved: ResolvedOptions,
  compile: LiftRequest['compile'],
): LiftOnRefusal {
  let lifted: Lifted | undefined;
  let notLifted: readonly string[] | undefined;
  // Why the frontend refuses the function's code whatever the arguments (null: it does not), once a call was refused.
  let codeRefusal: CompileError | null | undefined;
  return {
    lifted: () => lifted,
    run: (error) => {
      if (!resolved.lift || resolved.signatures || !(error instanceof CompileError || error instanceof JitTypeError)) {
        return undefined;
      }
      if (codeRefusal === undefined) codeRefusal = sourceRefusal(original, resolved.scope) ?? null;
      if (codeRefusal === null) return undefined;
      if (!lifted && !notLifted) {
        const result = liftFunction({
          fn: original,
          name,
          scope: resolved.scope,
          compile,
          refusal: codeRefusal,
          check: resolved.debug !== undefined || process.env['RVSDG_CHECK'] === '1',
        });
        if ('run' in result) lifted = result;
        else notLifted = result.reasons;
      }
      if (notLifted && !error.message.includes('(loop lifting found')) {
        error.message += `\n(loop lifting found no loop to compile: ${notLifted.join('; ')})`;
      }
      return lifted?.run;
    },
  };
}
/** What `inspect` shows of a lifted function: the report, and the compiled loops' IR one after the other. */
export function liftInspection(name: string, lifted: Lifted): Inspection {
  const report = lifted.report();
  const parts: Inspection[] = [];
  for (const loop of report.lifted) {
    for (const kernel of lifted.kernels(loop.name) as JittedFunction<AnyFunction>[]) {
      for (const signature of kernel.signatures) parts.push(kernel.inspect(signature));
    }
  }
  const join = (pick: (i: Inspection) => string): string => parts.map(pick).join('\n');
  const sum = (pick: (t: Inspection['timings']) => number): number => parts.reduce((a, p) => a + pick(p.timings), 0);
  // The loops tier up on their own: the report shows the least optimized one.
  const least = parts.reduce<Inspection | undefined>((a, p) => (!a || p.optLevel < a.optLevel ? p : a), undefined);
  return {
    tier: least?.tier ?? 'single',
    optLevel: least?.optLevel ?? 0,
    signature: parts.map((p) => p.signature).join('; '),
    rvsdg: join((p) => p.rvsdg),
    passes: parts.flatMap((p) => p.passes),
    typed: join((p) => p.typed),
    llvmIR: join((p) => p.llvmIR),
    optimizedLLVMIR: join((p) => p.optimizedLLVMIR),
    assembly: join((p) => p.assembly),
    timings: {
      frontendMs: sum((t) => t.frontendMs),
      passesMs: sum((t) => t.passesMs),
      backendMs: sum((t) => t.backendMs),
      totalMs: sum((t) => t.totalMs),
      backendStages: {},
    },
    lift: { ...report, text: printLiftReport(name, report) },
  };
}
