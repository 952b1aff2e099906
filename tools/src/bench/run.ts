/**
 * `npm run bench`: every kernel of tools/bench/kernels run by V8, by `jit`,
 * by `jit` with fastmath, by its C twin, by its Numba twin and by its
 * AssemblyScript twin compiled to WebAssembly, interleaved;
 * prints a Markdown table and writes the same figures as JSON.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Command, Option } from 'commander';
import { benchDir, loadKernels, type Scale } from './kernels.js';
import { measureKernel, type KernelResult } from './measure.js';
import { measureCallOverhead, type CallOverhead } from './overhead.js';
import { formatReport, type BenchReport, type Machine } from './report.js';
import { positiveInteger, parseOrExitCode } from '../cli-options.js';
import { measureScaling, type ScalingRow } from './scaling.js';
import { measureCorpus, type CorpusBenchRow } from './corpus.js';
import { cFlags, describeCompiler, findCCompiler, findNumba } from './twins.js';
import { ascFlags, describeAssemblyScript, findAssemblyScript } from './wasm.js';

function cpuModel(): string {
  const lscpu = spawnSync('lscpu', [], { encoding: 'utf8' });
  const line = lscpu.stdout?.split('\n').find((l) => l.startsWith('Model name:'));
  return line?.slice('Model name:'.length).trim() || cpus()[0]?.model || 'unknown CPU';
}

interface RunOptions {
  filter?: string[];
  quick?: boolean;
  scale?: Scale;
  rounds?: number;
  json: string;
  c: boolean;
  numba: boolean;
  wasm: boolean;
  overhead: boolean;
  scaling: boolean;
  corpus: boolean;
  report?: string;
}

export async function runBench(argv: readonly string[]): Promise<number> {
  const program = new Command('bench')
    .description(
      'benchmarks: V8, jit, jit fastmath, C, Numba and AssemblyScript (WebAssembly) on the kernels of tools/bench/kernels',
    )
    .option('-f, --filter <kernel...>', 'run only these kernels (file names without .js)')
    .option('-q, --quick', 'smaller sizes and 3 rounds: a smoke run, not figures to quote')
    .addOption(
      new Option('--scale <scale>', 'input sizes (quick is --quick; test: tiny, for tests)').choices([
        'full',
        'quick',
        'test',
      ]),
    )
    .option('-r, --rounds <n>', 'rounds of interleaved measurements (default 11, quick 3)', positiveInteger)
    .option(
      '--json <file>',
      'where to write the JSON results',
      join(benchDir, '..', '..', 'bench-results', 'latest.json'),
    )
    .option('--no-c', 'leave out the C twins')
    .option('--no-numba', 'leave out the Numba twins')
    .option('--no-wasm', 'leave out the AssemblyScript (WebAssembly) twins')
    .option('--no-overhead', 'leave out the call overhead measurement')
    .option('--no-scaling', 'leave out the frontend and pass scaling measurement')
    .option('--no-corpus', 'leave out the real-world corpus table (npm functions, V8 against jit)')
    .option('--report <json>', 'measure nothing: print the table of a JSON file an earlier run wrote');
  const exitCode = parseOrExitCode(program, argv);
  if (exitCode !== undefined) return exitCode;
  const options = program.opts<RunOptions>();
  if (options.report !== undefined) {
    let report: BenchReport;
    try {
      report = JSON.parse(readFileSync(options.report, 'utf8')) as BenchReport;
    } catch (error) {
      process.stderr.write(`bench: cannot read ${options.report}: ${(error as Error).message}\n`);
      return 66;
    }
    process.stdout.write(formatReport(report));
    return 0;
  }
  const scale: Scale = options.scale ?? (options.quick ? 'quick' : 'full');
  const rounds = options.rounds ?? (scale === 'full' ? 11 : 3);
  const firstCalls = scale === 'full' ? 3 : 1;
  const log = (line: string) => process.stderr.write(`${line}\n`);

  let kernels;
  try {
    kernels = await loadKernels(options.filter ?? []);
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    return 64;
  }
  const compiler = options.c ? findCCompiler() : { missing: 'left out (--no-c)' };
  const numba = options.numba ? findNumba() : { missing: 'left out (--no-numba)' };
  const assemblyScript = options.wasm ? findAssemblyScript() : { missing: 'left out (--no-wasm)' };
  const machine: Machine = {
    cpu: cpuModel(),
    cores: cpus().length,
    node: process.version,
    loadAverage: loadavg(),
    c: describeCompiler(compiler),
    cFlags: 'missing' in compiler ? '' : `${compiler.command} ${cFlags.filter((f) => f !== '-w').join(' ')}`,
    numba: 'missing' in numba ? numba.missing : numba.version,
    wasm: describeAssemblyScript(assemblyScript),
    ascFlags: 'missing' in assemblyScript ? '' : `asc ${ascFlags.join(' ')}`,
  };
  log(
    `bench: ${kernels.length} kernel(s), ${scale} sizes, ${rounds} rounds; C: ${machine.c}; Numba: ${machine.numba}; ` +
      `wasm: ${machine.wasm}`,
  );

  const results: KernelResult[] = [];
  for (const kernel of kernels) {
    log(`${kernel.name} (${kernel.size})`);
    results.push(await measureKernel(kernel, { scale, rounds, firstCalls, compiler, numba, assemblyScript, log }));
  }
  let callOverhead: CallOverhead | undefined;
  if (options.overhead) {
    log('call overhead');
    callOverhead = measureCallOverhead(scale === 'full' ? 2_000_000 : 200_000);
  }
  let scaling: ScalingRow[] | undefined;
  if (options.scaling) {
    log('frontend and passes on generated functions');
    try {
      scaling = measureScaling(scale === 'full' ? [100, 1_000, 10_000] : [100, 1_000]);
    } catch (error) {
      log(`  failed: ${(error as Error).message.split('\n')[0] ?? ''}`);
    }
  }
  let corpus: CorpusBenchRow[] | undefined;
  if (options.corpus) {
    log('real-world corpus');
    corpus = await measureCorpus(rounds, scale === 'full' ? 1 : scale === 'quick' ? 0.1 : 0.001, log);
  }
  const report: BenchReport = {
    date: new Date().toISOString().slice(0, 10),
    machine,
    scale,
    rounds,
    firstCalls,
    kernels: results,
    ...(callOverhead ? { callOverhead } : {}),
    ...(scaling ? { scaling } : {}),
    ...(corpus ? { corpus } : {}),
  };
  process.stdout.write(formatReport(report));
  const jsonPath = resolve(options.json);
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  log(`bench: wrote ${jsonPath}`);
  const disagreements = results.flatMap((k) =>
    Object.entries(k.variants)
      .filter(([, v]) => v.agrees === false)
      .map(([id]) => `${k.name}/${id}`),
  );
  if (disagreements.length > 0) {
    log(`bench: results differ from V8 in ${disagreements.join(', ')}`);
    return 1;
  }
  return 0;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'));
if (invokedDirectly) {
  runBench(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
