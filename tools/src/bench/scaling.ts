import { fromSource, jsRegistry } from '@rvsdg/frontend';
import { f64 } from '@rvsdg/ir';
import { defaultPipeline, runPipeline } from '@rvsdg/passes';
import { median } from './stats.js';

/**
 * A function of `statements` statements over numbers: mostly arithmetic
 * assignments, an if/else every 10th statement and a small counted loop every
 * 50th, so the restructuring, the type inference fixpoints and the loop
 * passes all see work in proportion to the size.
 */
export function generatedFunction(statements: number): string {
  const lines = ['function generated(a, b) {', '  let v = a;', '  let w = b;'];
  for (let k = 0; k < statements; k++) {
    if (k % 50 === 49) lines.push(`  for (let i = 0; i < 3; i++) { v = v + i * ${k % 7}; }`);
    else if (k % 10 === 9) lines.push(`  if (v > w) { v = v - w; } else { w = w + ${k % 5}; }`);
    else if (k % 2 === 0) lines.push(`  v = v * 0.5 + w * ${(k % 13) + 1};`);
    else lines.push(`  w = w - v * 0.25 + ${k % 11};`);
  }
  lines.push('  return v + w;', '}');
  return lines.join('\n');
}

export interface ScalingRow {
  readonly statements: number;
  readonly frontendMs: number;
  readonly passesMs: number;
  /** Microseconds per statement, frontend and passes together. */
  readonly usPerStatement: number;
}

/** Frontend and default pipeline time on generated functions (median of `repeats`, after one warm-up at the smallest size). */
export function measureScaling(sizes: readonly number[] = [100, 1_000, 10_000], repeats = 3): ScalingRow[] {
  const run = (source: string) => {
    const start = performance.now();
    const { module, entry } = fromSource(source);
    const frontendDone = performance.now();
    runPipeline(defaultPipeline({ entry, params: [f64, f64] }), module, { registry: jsRegistry });
    return { frontendMs: frontendDone - start, passesMs: performance.now() - frontendDone };
  };
  for (let i = 0; i < 5; i++) run(generatedFunction(sizes[0] ?? 100));
  return sizes.map((statements) => {
    const source = generatedFunction(statements);
    const samples = Array.from({ length: repeats }, () => run(source));
    const frontendMs = median(samples.map((s) => s.frontendMs));
    const passesMs = median(samples.map((s) => s.passesMs));
    return { statements, frontendMs, passesMs, usPerStatement: ((frontendMs + passesMs) * 1000) / statements };
  });
}
