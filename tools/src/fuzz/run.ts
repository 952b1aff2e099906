/**
 * `npm run fuzz -- --seconds N [--seed S] [--out DIR] [--targets js,ir]`:
 * differential and robustness fuzzing in worker processes (see
 * tools/README.md). Each case runs in a worker process, so a crash or a
 * hang is caught; every finding is saved to the output directory with its
 * seed, minimized by delta debugging over its lines. The targets run in
 * parallel, one worker process each.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { invalidOptionValue, positiveInteger, parseOrExitCode } from '../cli-options.js';
import { caseSeed, generateCase } from './cases.js';
import { minimizeLines } from './minimize.js';
import type { FuzzCase, TargetName } from './protocol.js';
import { WorkerProcess, type CaseResult } from './worker-process.js';

const allTargets: readonly TargetName[] = ['js', 'ir', 'test-crash', 'test-hang'];

type FindingKind = 'divergence' | 'internal' | 'crash' | 'hang';

interface Tally {
  cases: number;
  calls: number;
  /** ir: mutants that parsed (the others were refused with a ParseError, as they should be). */
  parsed: number;
  refusals: number;
  divergence: number;
  internal: number;
  crash: number;
  hang: number;
}

interface Options {
  seconds: number;
  seed?: number;
  out: string;
  targets: TargetName[];
  timeout: number;
  minimizeSeconds: number;
  case?: number;
}

/**
 * Cases per request to a worker: an IR case takes a few milliseconds, about
 * what a round trip between the processes costs on a loaded machine, so they
 * go in batches; a JavaScript case compiles through LLVM (100-200 ms). The
 * test targets are batched so that fuzz.test.ts covers batches.
 */
function batchSize(target: TargetName): number {
  return target === 'js' ? 1 : target === 'ir' ? 20 : 8;
}

function integer(text: string): number {
  const value = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw invalidOptionValue(`expected an integer, got '${text}'`);
  return value;
}

function targetList(text: string): TargetName[] {
  const names = text.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!allTargets.includes(name as TargetName)) {
      throw invalidOptionValue(`unknown target '${name}' (targets: ${allTargets.join(', ')})`);
    }
  }
  return names as TargetName[];
}

interface Finding {
  readonly kind: FindingKind;
  readonly detail: string;
  /** js: the argument set that showed it. */
  readonly argsIndex?: number;
}

function findingOf(result: CaseResult): Finding | undefined {
  if (result.kind === 'crash') return { kind: 'crash', detail: result.detail };
  if (result.kind === 'hang') return { kind: 'hang', detail: 'the case did not finish within the timeout' };
  const { outcome } = result;
  if (outcome.kind === 'divergence' || outcome.kind === 'internal') {
    return { kind: outcome.kind, detail: outcome.detail ?? '', argsIndex: outcome.argsIndex };
  }
  return undefined;
}

/** What identifies "the same failure" while minimizing: the kind, and for internal errors the class and stage. */
function failureKey(finding: Finding): string {
  return finding.kind === 'internal' ? `internal ${finding.detail.split(':')[0]}` : finding.kind;
}

function show(value: unknown): string {
  if (Object.is(value, -0)) return '-0';
  if (typeof value === 'bigint') return `${value}n`;
  if (ArrayBuffer.isView(value)) {
    return `new ${value.constructor.name}([${Array.from(value as unknown as ArrayLike<unknown>, show).join(', ')}])`;
  }
  return String(value);
}

function comment(target: TargetName, text: string): string {
  const prefix = target === 'js' ? '// ' : target === 'ir' ? '// ' : '# ';
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`.trimEnd())
    .join('\n');
}

export async function runFuzz(argv: readonly string[]): Promise<number> {
  const program = new Command('fuzz')
    .description('fuzz jit against V8 and the IR text tools, in worker processes (tools/README.md)')
    .option('--seconds <n>', 'how long to fuzz', positiveInteger, 60)
    .option('--seed <n>', 'seed of the run (default: random); case k has a seed derived from it', integer)
    .option('--out <dir>', 'where findings are saved', 'fuzz-results')
    .addOption(
      new Option('--targets <list>', 'comma-separated: js, ir (test-crash and test-hang exist for the tests)')
        .default(['js', 'ir'], 'js,ir')
        .argParser(targetList),
    )
    .option('--timeout <ms>', 'a case running longer is a hang', positiveInteger, 30_000)
    .option('--minimize-seconds <n>', 'time to spend minimizing each finding', positiveInteger, 60)
    .option('--case <k>', 'run only case k of the seed (with --targets naming one target) to reproduce it', integer);
  const exitCode = parseOrExitCode(program, argv);
  if (exitCode !== undefined) return exitCode;
  const options = program.opts<Options>();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const out = resolve(options.out);
  const deadline = Date.now() + options.seconds * 1000;
  const tallies = new Map<TargetName, Tally>(
    options.targets.map((t) => [
      t,
      { cases: 0, calls: 0, parsed: 0, refusals: 0, divergence: 0, internal: 0, crash: 0, hang: 0 },
    ]),
  );
  const workers = new Map(options.targets.map((t) => [t, new WorkerProcess(t)]));
  const minimized = new Map<string, number>();
  const saved: string[] = [];
  console.log(
    `fuzzing ${options.targets.join(', ')} for ${options.seconds} s, seed ${seed}; findings go to ${out} (replay one: --seed ${seed} --targets T --case K)`,
  );

  const save = async (fuzzCase: FuzzCase, index: number, finding: Finding, worker: WorkerProcess): Promise<void> => {
    const target = fuzzCase.target;
    const key = `${target} ${failureKey(finding)}`;
    // The first few findings of each kind are minimized; more of the same would mostly repeat them.
    const budget = (minimized.get(key) ?? 0) < 3 ? options.minimizeSeconds * 1000 : 0;
    minimized.set(key, (minimized.get(key) ?? 0) + 1);
    // A divergence shows on one argument set: minimize with that one only (fewer calls per run).
    const one = finding.argsIndex !== undefined ? fuzzCase.args?.[finding.argsIndex] : undefined;
    const args = one ? [one] : fuzzCase.args;
    let text = fuzzCase.text;
    let tests = 0;
    if (budget > 0) {
      const reproduces = async (candidate: string): Promise<boolean> => {
        const result = await worker.run({ ...fuzzCase, text: candidate, args }, options.timeout);
        const again = findingOf(result);
        return again !== undefined && failureKey(again) === failureKey(finding);
      };
      ({ text, tests } = await minimizeLines(fuzzCase.text, reproduces, Date.now() + budget));
    }
    mkdirSync(out, { recursive: true });
    const file = join(out, `${target}-${finding.kind}-seed${seed}-case${index}.${target === 'js' ? 'js' : 'txt'}`);
    const header = [
      `${finding.kind} found by npm run fuzz (target ${target})`,
      `seed ${seed}, case ${index} (case seed ${fuzzCase.seed}); replay: npm run fuzz -- --seed ${seed} --targets ${target} --case ${index}`,
      ...(fuzzCase.args ? fuzzCase.args.map((set, k) => `arguments ${k}: (${set.map(show).join(', ')})`) : []),
      ...(fuzzCase.optLevel !== undefined ? [`jit optLevel ${fuzzCase.optLevel}`] : []),
      budget > 0
        ? `minimized by delta debugging over lines (${tests} runs)`
        : 'not minimized (an earlier finding of this kind was)',
      '',
      ...finding.detail.split('\n').slice(0, 40),
    ].join('\n');
    const body =
      text === fuzzCase.text
        ? `${comment(target, header)}\n${text}\n`
        : `${comment(target, header)}\n${text}\n\n${comment(target, `the input before minimization:\n\n${fuzzCase.text}`)}\n`;
    writeFileSync(file, body);
    saved.push(file);
    console.log(`  ${finding.kind} in ${target} case ${index}: saved ${file}`);
  };

  const single = options.case !== undefined;
  // Each target runs its cases 0, 1, 2, ... (or only --case) in its own worker, in batches generated there from the
  // cases' seeds; the driver regenerates a case only to save a finding.
  const fuzzTarget = async (target: TargetName): Promise<void> => {
    const tally = tallies.get(target) as Tally;
    const worker = workers.get(target) as WorkerProcess;
    const batch = single ? 1 : batchSize(target);
    for (let first = options.case ?? 0; single ? first === options.case : Date.now() < deadline;) {
      const seeds = Array.from({ length: batch }, (_, k) => caseSeed(seed, first + k));
      const results = await worker.runCases(target, seeds, options.timeout);
      for (const [k, result] of results.entries()) {
        const index = first + k;
        tally.cases++;
        if (result.kind === 'reply') {
          tally.calls += result.outcome.calls;
          if (result.outcome.parsed) tally.parsed++;
          if (result.outcome.kind === 'refusal') tally.refusals++;
        }
        const finding = findingOf(result);
        if (finding) {
          tally[finding.kind]++;
          await save(generateCase(target, caseSeed(seed, index)), index, finding, worker);
        }
      }
      first += results.length;
    }
  };
  try {
    await Promise.all(options.targets.map(fuzzTarget));
  } finally {
    for (const worker of workers.values()) await worker.stop();
  }

  const rows = [...tallies].map(([target, t]) => ({
    target,
    programs: t.cases,
    calls: t.calls,
    divergences: t.divergence,
    'internal errors': t.internal,
    crashes: t.crash,
    hangs: t.hang,
    refusals: t.refusals,
    ...(target === 'ir' ? { parsed: t.parsed } : {}),
  }));
  const programs = rows.reduce((n, row) => n + row.programs, 0);
  console.log(`\nsummary (seed ${seed}, ${options.seconds} s, ${programs} programs):`);
  console.table(rows);
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'summary.json'),
    `${JSON.stringify({ seed, seconds: options.seconds, programs, rows, saved }, null, 2)}\n`,
  );
  const failures = [...tallies.values()].reduce((n, t) => n + t.divergence + t.internal + t.crash + t.hang, 0);
  return failures > 0 ? 1 : 0;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'));
if (invokedDirectly) {
  runFuzz(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 70;
    },
  );
}
