import { jit } from '@rvsdg/runtime';
import { compareWithV8, sameValue } from '../corpus/compare.js';
import { loadCorpus } from '../corpus/real-world.js';
import { median } from './stats.js';

/** One row of the corpus table: a real npm function, V8 against plain `jit(fn)`. */
export interface CorpusBenchRow {
  readonly pkg: string;
  readonly name: string;
  readonly calls: number;
  /** Milliseconds for `calls` calls, medians; absent when jit refused or differed (`missing` says why). */
  readonly v8Ms?: number;
  readonly jitMs?: number;
  readonly missing?: string;
}

function time(fn: (...args: unknown[]) => unknown, args: unknown[], calls: number): number {
  const start = performance.now();
  for (let i = 0; i < calls; i++) fn(...args);
  return performance.now() - start;
}

/**
 * Times every corpus function that has bench arguments: `calls` calls in a
 * loop by V8 and by the jitted function, interleaved, over `rounds` rounds.
 * Only functions that compile and match V8 on the whole corpus input, and on
 * the bench arguments too, are timed.
 */
export async function measureCorpus(
  rounds: number,
  scale: number,
  log: (line: string) => void,
): Promise<CorpusBenchRow[]> {
  const rows: CorpusBenchRow[] = [];
  for (const entry of await loadCorpus()) {
    if (!entry.bench) continue;
    const calls = Math.max(1, Math.round(entry.bench.calls * scale));
    log(`corpus ${entry.pkg} ${entry.name}`);
    const outcome = compareWithV8(entry);
    if (outcome.status !== 'compiled') {
      rows.push({ pkg: entry.pkg, name: entry.name, calls, missing: `${outcome.status}: ${outcome.detail}` });
      continue;
    }
    const jitted = jit(entry.fn) as unknown as (...args: unknown[]) => unknown;
    const v8Args = entry.bench.args();
    const jitArgs = entry.bench.args();
    if (!sameValue(entry.fn(...v8Args), jitted(...jitArgs))) {
      rows.push({ pkg: entry.pkg, name: entry.name, calls, missing: 'differs from V8 on the bench arguments' });
      continue;
    }
    const v8: number[] = [];
    const native: number[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        v8.push(time(entry.fn, v8Args, calls));
        native.push(time(jitted, jitArgs, calls));
      } else {
        native.push(time(jitted, jitArgs, calls));
        v8.push(time(entry.fn, v8Args, calls));
      }
    }
    rows.push({ pkg: entry.pkg, name: entry.name, calls, v8Ms: median(v8), jitMs: median(native) });
  }
  return rows;
}
