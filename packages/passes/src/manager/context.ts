import type { Module, OpRegistry } from '@rvsdg/ir';
import type { PassOptions } from './pass.js';

/**
 * A computed fact about a module (or any immutable part of one, such as a
 * region). Results are cached by the identity of the subject: IR objects
 * never change, so a cached result is valid exactly as long as the object
 * is the one it was computed for.
 */
export interface Analysis<T, S extends object = Module> {
  readonly name: string;
  compute(subject: S, context: AnalysisContext): T;
}

export interface AnalysisContext {
  readonly registry: OpRegistry;
  /** Another analysis, through the same cache. */
  analysis<T, S extends object>(analysis: Analysis<T, S>, subject: S): T;
}

export function defineAnalysis<T, S extends object = Module>(
  name: string,
  compute: (subject: S, context: AnalysisContext) => T,
): Analysis<T, S> {
  return Object.freeze({ name, compute });
}

/** Analysis results keyed by subject identity; share one across pipeline runs to reuse results. */
export class AnalysisCache {
  readonly #results = new WeakMap<object, Map<Analysis<unknown, never>, unknown>>();
  hits = 0;
  misses = 0;

  get<T, S extends object>(analysis: Analysis<T, S>, subject: S, context: AnalysisContext): T {
    let bySubject = this.#results.get(subject);
    if (!bySubject) {
      bySubject = new Map();
      this.#results.set(subject, bySubject);
    }
    const key = analysis as unknown as Analysis<unknown, never>;
    if (bySubject.has(key)) {
      this.hits++;
      return bySubject.get(key) as T;
    }
    this.misses++;
    const result = analysis.compute(subject, context);
    bySubject.set(key, result);
    return result;
  }
}

export type Severity = 'error' | 'warning' | 'note';

/** A message a pass reports about the program (not a failure of the pass). */
export interface PassDiagnostic {
  readonly severity: Severity;
  readonly pass: string;
  readonly message: string;
  readonly nodeId?: number;
}

/** Named counters per pass (nodes removed, loops unrolled, ...). */
export class Statistics {
  readonly #counters = new Map<string, Map<string, number>>();

  add(pass: string, counter: string, amount = 1): void {
    let counters = this.#counters.get(pass);
    if (!counters) {
      counters = new Map();
      this.#counters.set(pass, counters);
    }
    counters.set(counter, (counters.get(counter) ?? 0) + amount);
  }

  get(pass: string, counter: string): number {
    return this.#counters.get(pass)?.get(counter) ?? 0;
  }

  /** The counters of one pass. */
  of(pass: string): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#counters.get(pass) ?? []);
  }

  /** Every counter, as `pass.counter: value` lines. */
  toString(): string {
    const lines: string[] = [];
    for (const [pass, counters] of this.#counters) {
      for (const [counter, value] of counters) lines.push(`${pass}.${counter}: ${value}`);
    }
    return lines.join('\n');
  }
}

/** The environment a pass runs in: its options, the op registry, and places to put what it learns. */
export interface PassContext<O extends PassOptions = PassOptions> extends AnalysisContext {
  /** Name of the running pass. */
  readonly pass: string;
  readonly options: O;
  /** Adds `amount` to one of this pass's statistics counters. */
  count(counter: string, amount?: number): void;
  report(severity: Severity, message: string, nodeId?: number): void;
}

export interface ContextParts {
  readonly registry: OpRegistry;
  readonly statistics: Statistics;
  readonly diagnostics: PassDiagnostic[];
  readonly analyses: AnalysisCache;
}

export function createPassContext<O extends PassOptions>(
  pass: string,
  options: O,
  parts: ContextParts,
): PassContext<O> {
  const context: PassContext<O> = {
    pass,
    options,
    registry: parts.registry,
    count: (counter, amount = 1) => parts.statistics.add(pass, counter, amount),
    report: (severity, message, nodeId) =>
      parts.diagnostics.push(nodeId === undefined ? { severity, pass, message } : { severity, pass, message, nodeId }),
    analysis: (analysis, subject) => parts.analyses.get(analysis, subject, context),
  };
  return context;
}
