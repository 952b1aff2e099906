import { printModule, type Module } from '@rvsdg/ir';
import { diffModules } from './diff.js';
import type { AnyPass } from './pipeline.js';

export interface PassEvent {
  readonly pass: AnyPass;
  /** Position of the pass in the flattened pipeline. */
  readonly index: number;
  readonly before: Module;
  readonly after: Module;
  /** The pass returned a different module object. */
  readonly changed: boolean;
  readonly ms: number;
  /** The pass's statistics counters so far in this run. */
  readonly statistics: Readonly<Record<string, number>>;
}

/** Hooks the pass manager calls around every pass. */
export interface Instrumentation {
  beforePass?(pass: AnyPass, module: Module, index: number): void;
  afterPass?(event: PassEvent): void;
}

export interface TimingReport extends Instrumentation {
  readonly entries: { readonly pass: string; readonly ms: number; readonly changed: boolean }[];
  /** A table: one line per pass with its time, and the total. */
  report(): string;
}

/** Collects the time of each pass. */
export function timePasses(): TimingReport {
  const entries: { pass: string; ms: number; changed: boolean }[] = [];
  return {
    entries,
    afterPass(event) {
      entries.push({ pass: event.pass.name, ms: event.ms, changed: event.changed });
    },
    report() {
      const width = Math.max(5, ...entries.map((e) => e.pass.length));
      const lines = entries.map(
        (e) => `${e.pass.padEnd(width)}  ${e.ms.toFixed(2).padStart(9)} ms${e.changed ? '' : '  (unchanged)'}`,
      );
      const total = entries.reduce((sum, e) => sum + e.ms, 0);
      lines.push(`${'total'.padEnd(width)}  ${total.toFixed(2).padStart(9)} ms`);
      return lines.join('\n');
    },
  };
}

export interface PrintOptions {
  /** Print only after passes that returned a new module. Default: false. */
  readonly onlyChanged?: boolean;
}

/** Hands the IR text after each pass (or each changing pass) to `sink`. */
export function printAfterPasses(
  sink: (text: string, event: PassEvent) => void,
  options: PrintOptions = {},
): Instrumentation {
  return {
    afterPass(event) {
      if (options.onlyChanged && !event.changed) return;
      const note = event.changed ? '' : ' (unchanged)';
      sink(`// IR after '${event.pass.name}'${note}\n${printModule(event.after)}`, event);
    },
  };
}

/** Hands a structural diff of each changing pass's input and output to `sink`. */
export function diffAfterPasses(sink: (text: string, event: PassEvent) => void): Instrumentation {
  return {
    afterPass(event) {
      if (!event.changed) return;
      sink(`// changes by '${event.pass.name}'\n${diffModules(event.before, event.after)}`, event);
    },
  };
}

/** Hands each pass's statistics counters to `sink` after it runs (only passes that counted something). */
export function reportStatistics(sink: (line: string, event: PassEvent) => void): Instrumentation {
  return {
    afterPass(event) {
      const entries = Object.entries(event.statistics);
      if (entries.length === 0) return;
      sink(`${event.pass.name}: ${entries.map(([k, v]) => `${k}=${v}`).join(', ')}`, event);
    },
  };
}
