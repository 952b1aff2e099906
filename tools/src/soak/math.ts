/**
 * `npm run soak:math -- --per-function N`: the long version of the backend's
 * exact-math test. For every Math function the exact lowerings compile
 * natively, N reproducible random inputs (bit patterns and uniform values
 * across magnitudes, in batches) go through a jitted loop and are compared
 * with this node's Math.* bit for bit (any NaN equals any NaN). Prints the
 * mismatches per function; the exit status is 1 when there is any.
 */
import { Command } from 'commander';
import { parseOrExitCode, positiveInteger } from '../cli-options.js';
import {
  compileMathMap,
  exactMathFunctions,
  exactMathInputs,
  mathMismatches,
  type ExactMathFunction,
  type MathMismatch,
} from '@rvsdg/backend-llvm';

interface SoakOptions {
  perFunction: number;
  batch: number;
  seed: string;
  only?: string[];
}

export interface SoakRow {
  readonly name: ExactMathFunction;
  readonly inputs: number;
  readonly mismatches: number;
  readonly examples: readonly MathMismatch[];
  readonly seconds: number;
}

export function soakFunction(name: ExactMathFunction, perFunction: number, batch: number, seed: bigint): SoakRow {
  const start = performance.now();
  const map = compileMathMap(name);
  let mismatches = 0;
  const examples: MathMismatch[] = [];
  try {
    for (let done = 0, round = 0n; done < perFunction; round++) {
      const count = Math.min(batch, perFunction - done);
      const { xs, ys } = exactMathInputs(name, count, seed * 1_000_003n + round);
      const found = mathMismatches(name, map.run, xs, ys);
      mismatches += found.length;
      examples.push(...found.slice(0, 5 - examples.length));
      done += count;
    }
  } finally {
    map.dispose();
  }
  return { name, inputs: perFunction, mismatches, examples, seconds: (performance.now() - start) / 1000 };
}

export function runSoak(argv: readonly string[]): number {
  const program = new Command('soak:math')
    .description("compare the natively compiled Math functions with this node's Math.* on many random inputs")
    .option('-n, --per-function <n>', 'random inputs per function', positiveInteger, 1_000_000)
    .option('--batch <n>', 'inputs per jitted call', positiveInteger, 1_000_000)
    .option('--seed <n>', 'seed of the inputs (a BigInt); the same seed gives the same inputs', '1')
    .option('--only <name...>', 'soak only these functions');
  const exitCode = parseOrExitCode(program, argv);
  if (exitCode !== undefined) return exitCode;
  const options = program.opts<SoakOptions>();
  const names = options.only ?? exactMathFunctions;
  const unknown = names.filter((n) => !(exactMathFunctions as readonly string[]).includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`soak:math: not an exact math function: ${unknown.join(', ')}\n`);
    return 64;
  }
  const seed = BigInt(options.seed);
  process.stdout.write(`| function | inputs | mismatches | seconds |\n|---|---|---|---|\n`);
  let total = 0;
  for (const name of names as ExactMathFunction[]) {
    const row = soakFunction(name, options.perFunction, options.batch, seed);
    total += row.mismatches;
    process.stdout.write(
      `| ${row.name} | ${row.inputs.toLocaleString('en-US')} | ${row.mismatches} | ${row.seconds.toFixed(1)} |\n`,
    );
    for (const e of row.examples) {
      process.stderr.write(`  ${name}(${e.x}, ${e.y}): native ${e.native}, Math.${name} ${e.v8}\n`);
    }
  }
  process.stdout.write(`\nseed ${seed}, node ${process.version}, V8 ${process.versions.v8}: ${total} mismatches\n`);
  return total === 0 ? 0 : 1;
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'));
if (isMain) process.exitCode = runSoak(process.argv.slice(2));
