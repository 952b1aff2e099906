import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const toolsDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(toolsDir, '..');
const cli = join(toolsDir, 'dist', 'cli.js');
const examples = join(repoRoot, 'examples', 'ir');
const scratch = mkdtempSync(join(tmpdir(), 'rvsdg-cli-'));

/** Runs the built command line the way a user does: a separate node process. */
function rvsdg(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('rvsdg ir', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('fmt prints the canonical text, which is a fixed point', () => {
    const first = rvsdg('ir', 'fmt', join(examples, 'abs.rvsdg'));
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(readFileSync(join(examples, 'abs.rvsdg'), 'utf8'));
    const copy = join(scratch, 'abs.rvsdg');
    writeFileSync(copy, first.stdout.replace(/\n {2,}/g, '\n'));
    expect(rvsdg('ir', 'fmt', '--write', copy).code).toBe(0);
    expect(readFileSync(copy, 'utf8')).toBe(first.stdout);
  });

  it('verify accepts a valid module and reports diagnostics with exit code 65', () => {
    expect(rvsdg('ir', 'verify', join(examples, 'sum.rvsdg'))).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(': ok'),
    });
    const broken = join(scratch, 'broken.rvsdg');
    writeFileSync(
      broken,
      readFileSync(join(examples, 'abs.rvsdg'), 'utf8').replace('arith.neg(%a0) : f64', 'arith.neg(%a0) : i32'),
    );
    const result = rvsdg('ir', 'verify', broken);
    expect(result.code).toBe(65);
    expect(result.stderr).toMatch(/\[op-typing\].*arith\.neg/);
  });

  it('reports parse errors with file, line and column', () => {
    const bad = join(scratch, 'bad.rvsdg');
    writeFileSync(bad, 'module {\n  %0 = const {value = 1, type = f64} : f64\n  %1 = = \n}\n');
    const result = rvsdg('ir', 'verify', bad);
    expect(result.code).toBe(65);
    expect(result.stderr).toContain(`${bad}:3:`);
  });

  it('run interprets an export on command-line arguments, arrays as lists', () => {
    expect(rvsdg('ir', 'run', join(examples, 'abs.rvsdg'), '--entry', 'abs', '--', '-2.5')).toMatchObject({
      code: 0,
      stdout: '2.5\n',
    });
    expect(rvsdg('ir', 'run', join(examples, 'sum.rvsdg'), '--entry', 'sum', '1,2,3.5')).toMatchObject({
      code: 0,
      stdout: '6.5\n',
    });
    expect(rvsdg('ir', 'run', join(examples, 'sum.rvsdg'), '--entry', 'sum', '')).toMatchObject({
      code: 0,
      stdout: '0\n',
    });
  });

  it('run refuses wrong arguments, unknown exports and exhausted fuel clearly', () => {
    const wrongType = rvsdg('ir', 'run', join(examples, 'abs.rvsdg'), '--entry', 'abs', 'x');
    expect(wrongType.code).toBe(64);
    expect(wrongType.stderr).toContain("argument 1 ('x') is not a valid f64");
    const wrongCount = rvsdg('ir', 'run', join(examples, 'abs.rvsdg'), '--entry', 'abs');
    expect(wrongCount.code).toBe(64);
    expect(wrongCount.stderr).toContain('takes 1 argument(s) (f64), got 0');
    const unknown = rvsdg('ir', 'run', join(examples, 'abs.rvsdg'), '--entry', 'nope', '1');
    expect(unknown.stderr).toContain("no export named 'nope'; exports: abs");
    const fuel = rvsdg('ir', 'run', join(examples, 'sum.rvsdg'), '--entry', 'sum', '--fuel', '5', '1,2,3,4,5,6');
    expect(fuel.code).toBe(1);
    expect(fuel.stderr).toMatch(/fuel/i);
  });

  // Defect 11 of issue 10: `--fuel abc` ran without a limit (NaN) and `--fuel -5` was accepted.
  it.each(['abc', '-5', '0', '1.5', '', '1e3', '99999999999999999999'])(
    'run refuses --fuel %j as a usage error',
    (fuel) => {
      const result = rvsdg('ir', 'run', join(examples, 'sum.rvsdg'), '--entry', 'sum', `--fuel=${fuel}`, '1,2');
      expect(result.code).toBe(64);
      expect(result.stderr).toContain(`option '--fuel <n>' argument '${fuel}' is invalid. expected a positive integer`);
      expect(result.stdout).toBe('');
    },
  );

  it('run stops an endless loop at the fuel given', () => {
    const loop = join(scratch, 'loop.rvsdg');
    writeFileSync(
      loop,
      [
        'module {',
        '  %0 = lambda @spin : fn(i32) -> (i32) {',
        '    ^(%a0: i32)',
        '    %1 = theta(%a0) : i32 {',
        '      ^(%a0: i32)',
        '      %2 = arith.eq(%a0, %a0) : bool',
        '      %3 = match(%2.0) {alternatives = 2} : ctrl<2>',
        '      yield (%3.0, %a0)',
        '    }',
        '    yield (%1.0)',
        '  }',
        '  export @spin = %0.0',
        '}',
        '',
      ].join('\n'),
    );
    const result = rvsdg('ir', 'run', loop, '--entry', 'spin', '--fuel', '1000', '3');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('interpretation ran out of fuel (1000 steps)');
  });

  it('reports deep nesting as a parse error with its position (defect 9 of issue 10)', () => {
    const deep = join(scratch, 'deep.rvsdg');
    writeFileSync(deep, `module {\n  import @x : ${'tuple<'.repeat(100_000)}${'>'.repeat(100_000)}\n}\n`);
    const result = rvsdg('ir', 'fmt', deep);
    expect(result.code).toBe(65);
    expect(result.stderr).toContain(
      `${deep}:2:${'  import @x : '.length + 6 * 65 + 1}: types nest deeper than 64 levels`,
    );
    expect(result.stderr).not.toContain('Maximum call stack');
  });

  it('dot writes a Graphviz digraph', () => {
    const out = join(scratch, 'sum.dot');
    expect(rvsdg('ir', 'dot', join(examples, 'sum.rvsdg'), '-o', out).code).toBe(0);
    const dot = readFileSync(out, 'utf8');
    expect(dot).toMatch(/^digraph /);
    expect(dot).toContain('theta');
  });

  it('runs as the installed rvsdg command (the bin script npm links)', () => {
    const bin = join(toolsDir, 'bin', 'rvsdg.js');
    const result = spawnSync(
      process.execPath,
      [bin, 'ir', 'run', join(examples, 'abs.rvsdg'), '--entry', 'abs', '--', '-4'],
      {
        encoding: 'utf8',
      },
    );
    expect(result).toMatchObject({ status: 0, stdout: '4\n' });
  });

  it('missing files and unknown commands fail with a message and nonzero status', () => {
    const missing = rvsdg('ir', 'fmt', join(scratch, 'missing.rvsdg'));
    expect(missing.code).toBe(66);
    expect(missing.stderr).toContain('cannot read');
    const unknown = rvsdg('frobnicate');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(rvsdg('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: rvsdg') });
  });
});

describe('rvsdg cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvsdg-cli-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli, 'cache', ...args], {
      encoding: 'utf8',
      env: { ...process.env, RVSDG_CACHE_DIR: dir, RVSDG_CACHE: '', RVSDG_CACHE_MAX_BYTES: '1M' },
    });

  it('info counts the entries and clear removes them', () => {
    writeFileSync(join(dir, `${'a'.repeat(64)}.rvc`), Buffer.alloc(2048));
    writeFileSync(join(dir, `${'b'.repeat(64)}.rvc`), Buffer.alloc(1024));
    const info = run('info');
    expect(info.status).toBe(0);
    expect(info.stdout).toContain(`directory: ${dir}`);
    expect(info.stdout).toContain('entries:   2');
    expect(info.stdout).toContain('size:      3.0 KiB of at most 1.0 MiB');
    expect(JSON.parse(run('info', '--json').stdout)).toMatchObject({ entries: 2, bytes: 3072, enabled: true });
    expect(run('clear')).toMatchObject({ status: 0, stdout: `removed 2 entries from ${dir}\n` });
    expect(JSON.parse(run('info', '--json').stdout)).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('reports a malformed size cap as a usage error', () => {
    const result = spawnSync(process.execPath, [cli, 'cache', 'info'], {
      encoding: 'utf8',
      env: { ...process.env, RVSDG_CACHE_DIR: dir, RVSDG_CACHE_MAX_BYTES: 'plenty' },
    });
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('RVSDG_CACHE_MAX_BYTES');
  });
});
