import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runIrCase } from './ir-target.js';
import { runJsCase } from './js-target.js';
import { minimizeLines } from './minimize.js';
import { mutateIrText, Random } from './mutate.js';

const toolsDir = fileURLToPath(new URL('../..', import.meta.url));
const driver = join(toolsDir, 'dist', 'fuzz', 'run.js');
const scratch = mkdtempSync(join(tmpdir(), 'rvsdg-fuzz-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The input a saved finding holds: the lines after its comment header, up to the next comment. */
function savedInput(file: string, marker: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => !line.startsWith(marker));
  const end = lines.findIndex((line, i) => i > start && (line === '' || line.startsWith(marker)));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('npm run fuzz', () => {
  it('catches a worker that aborts and one that hangs, and saves each input minimized with its seed', () => {
    const out = join(scratch, 'results');
    const result = spawnSync(
      process.execPath,
      [driver, '--seconds', '3', '--seed', '3', '--targets', 'test-crash,test-hang', '--timeout', '1000', '--out', out],
      { encoding: 'utf8', timeout: 120_000 },
    );
    // Seed 3 puts the trigger into case 0 (31 lines), which every target runs first.
    expect(result.status).toBe(1); // findings make the run fail
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      seed: number;
      rows: { target: string; programs: number; crashes: number; hangs: number }[];
    };
    expect(summary.seed).toBe(3);
    const crash = summary.rows.find((r) => r.target === 'test-crash');
    const hang = summary.rows.find((r) => r.target === 'test-hang');
    expect(crash?.crashes).toBeGreaterThan(0);
    expect(hang?.hangs).toBeGreaterThan(0); // found after the crash: the driver went on with a new worker
    const files = readdirSync(out);
    const crashFile = files.find((f) => f === 'test-crash-crash-seed3-case0.txt');
    const hangFile = files.find((f) => f === 'test-hang-hang-seed3-case0.txt');
    expect(crashFile).toBeDefined();
    expect(hangFile).toBeDefined();
    const crashText = readFileSync(join(out, crashFile as string), 'utf8');
    expect(crashText).toContain('killed by SIGABRT');
    expect(crashText).toMatch(/replay: npm run fuzz -- --seed 3 --targets test-crash --case 0/);
    // Delta debugging leaves exactly the line that triggers each failure.
    expect(savedInput(join(out, crashFile as string), '#')).toEqual(['CRASH']);
    expect(savedInput(join(out, hangFile as string), '#')).toEqual(['HANG']);
    expect(result.stdout).toMatch(/crashes/);
  }, 180_000);

  it('blames the case of a batch that crashed or hung, after counting the cases before it', () => {
    const out = join(scratch, 'batch');
    const result = spawnSync(
      process.execPath,
      [driver, '--seconds', '2', '--seed', '2', '--targets', 'test-crash,test-hang', '--timeout', '1000'].concat([
        '--minimize-seconds',
        '1',
        '--out',
        out,
      ]),
      { encoding: 'utf8', timeout: 120_000 },
    );
    // Seed 2 puts the trigger into case 3 alone of cases 0-7, the first batch of the test targets.
    expect(result.status).toBe(1);
    const files = readdirSync(out);
    expect(files).toContain('test-crash-crash-seed2-case3.txt');
    expect(files).toContain('test-hang-hang-seed2-case3.txt');
    expect(files.filter((f) => f.endsWith('.txt')).every((f) => !/case[0-2]\./.test(f))).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      rows: { target: string; programs: number }[];
    };
    for (const row of summary.rows) expect(row.programs).toBeGreaterThanOrEqual(4);
  }, 180_000);

  it('refuses a --seconds that is not a positive integer as a usage error', () => {
    const result = spawnSync(process.execPath, [driver, '--seconds', 'abc'], { encoding: 'utf8' });
    expect(result.status).toBe(64);
    expect(result.stderr).toContain("argument 'abc' is invalid. expected a positive integer");
  });
});

describe('targets', () => {
  it('js: reports a divergence from V8 with the arguments', () => {
    // Out of range, V8 reads undefined and compiled code throws a RangeError (docs/semantics.md).
    const outcome = runJsCase('function f(xs) { return xs[5]; }', [[new Float64Array(1)]]);
    expect(outcome.kind).toBe('divergence');
    expect(outcome.argsIndex).toBe(0);
    expect(outcome.detail).toMatch(/^arguments \(\[0\]\): V8 undefined .* jit RangeError/);
  });

  it('js: agrees on a program, bit for bit, and counts a CompileError as a refusal', () => {
    const agree = runJsCase('function f(a, xs) { xs[0] = -a; return a * 0; }', [
      [-3, new Float64Array(1)],
      [NaN, new Float64Array(1)],
    ]);
    expect(agree).toEqual({ kind: 'ok', calls: 2 });
    const refusal = runJsCase('function f(a) { return String(a); }', [[1]]);
    expect(refusal.kind).toBe('refusal');
    expect(refusal.detail).toMatch(/^CompileError: /);
  });

  it('ir: a ParseError is a fine answer; a valid module is printed back, verified and run', () => {
    expect(runIrCase('module {\n  %0 = x : i32 loc(1e400:1)\n}', 1)).toEqual({ kind: 'ok', calls: 0, parsed: false });
    const text = [
      'module {',
      '  %0 = lambda @id : fn(i64) -> (i64) {',
      '    ^(%a0: i64)',
      '    yield (%a0)',
      '  }',
      '  export @id = %0.0',
      '}',
      '',
    ].join('\n');
    expect(runIrCase(text, 1)).toEqual({ kind: 'ok', calls: 1, parsed: true });
  });

  it('ir: the mutator is deterministic for a seed and changes the text', () => {
    const text = 'module {\n  %0 = const {value = 1n, type = i64} : i64 loc(3:4)\n  export @x = %0.0\n}\n';
    const a = mutateIrText(text, new Random(42));
    expect(mutateIrText(text, new Random(42))).toBe(a);
    const mutants = new Set(Array.from({ length: 50 }, (_, k) => mutateIrText(text, new Random(k))));
    expect(mutants.size).toBeGreaterThan(40);
  });
});

describe('minimizeLines', () => {
  it('reduces an input to the lines the failure needs', async () => {
    const lines = Array.from({ length: 40 }, (_, k) => `line ${k}`);
    const needs = ['line 7', 'line 31'];
    const { text } = await minimizeLines(
      lines.join('\n'),
      async (candidate) => needs.every((n) => candidate.split('\n').includes(n)),
      Date.now() + 10_000,
    );
    expect(text.split('\n')).toEqual(needs);
  });
});
