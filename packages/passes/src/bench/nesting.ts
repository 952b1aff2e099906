/**
 * Pass time against loop nesting depth: a function whose loops are nested
 * `depth` deep (each level counts to 3 with a counter read only inside the
 * loop, adds into an accumulator, and computes a dead value; then again
 * with each inner loop inside an if), for depth 1 to 8, every standard pass timed on it with checking and freezing off. A
 * pass linear in nesting depth takes time proportional to the module's
 * size (which grows linearly with depth); one that redoes nested bodies per
 * level doubles per level.
 *
 *     npm run build && node packages/passes/dist/bench/nesting.js
 */
import { countNodes, setFreezing } from '@rvsdg/ir';
import { verified } from '../conditions/verified.js';
import { runPipeline } from '../manager/pass-manager.js';
import type { AnyPass } from '../manager/pipeline.js';
import { standardPasses } from '../passes/standard.js';
import { nestedModule } from './nested-module.js';

function time(fn: () => void): number {
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function main(): void {
  setFreezing(false);
  const names = process.argv.slice(2);
  const passes = (names.length > 0 ? names : standardPasses.names())
    .map((name) => standardPasses.get(name))
    .filter((p): p is AnyPass => p !== undefined && !('items' in p));
  const rows = [
    `| depth | nodes | ${passes.map((p) => `${p.name} ms`).join(' | ')} |`,
    `|---:|---:|${passes.map(() => '---:').join('|')}|`,
  ];
  for (const branches of [false, true]) {
    for (let depth = 1; depth <= 8; depth++) {
      const module = nestedModule(depth, branches);
      const times = passes.map((pass) =>
        time(() => runPipeline(pass, module, { check: false, given: [verified] })).toFixed(2),
      );
      rows.push(`| ${depth}${branches ? ' (loop in if)' : ''} | ${countNodes(module)} | ${times.join(' | ')} |`);
    }
  }
  console.log(rows.join('\n'));
}

main();
