import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const toolsDir = fileURLToPath(new URL('..', import.meta.url));
const cli = join(toolsDir, 'dist', 'cli.js');
const kernels = join(toolsDir, 'bench', 'kernels');
const scratch = mkdtempSync(join(tmpdir(), 'rvsdg-compile-'));

/** Runs the built command line the way a user does: a separate node process. */
function rvsdg(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// A plain script of function declarations: compiled from its text, never run.
const script = join(scratch, 'kernels.js');
writeFileSync(
  script,
  [
    'function dot(x, y) {',
    '  let sum = 0;',
    '  for (let i = 0; i < x.length; i++) sum += x[i] * y[i];',
    '  return sum;',
    '}',
    '',
    'function scaled(x, k) {',
    '  return dot(x, x) * k;',
    '}',
    '',
    'function broken(x) {',
    '  const o = { a: x };',
    '  return o.a;',
    '}',
    '',
  ].join('\n'),
);

const hasDot = spawnSync('dot', ['-V']).status === 0;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('rvsdg compile', () => {
  it('prints the typed RVSDG after the default pipeline', () => {
    const result = rvsdg(['compile', script, '--function', 'dot', '--signature', '(f64[], f64[]) -> f64']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^module/);
    expect(result.stdout).toContain('f64[]');
    expect(result.stdout).toContain('theta');
    expect(result.stdout).not.toMatch(/\bjs\./);
  });

  it('prints the RVSDG after every pass, or after the passes that changed it, and the pass timings', () => {
    const all = rvsdg(['compile', script, '-f', 'scaled', '-s', '(f64[], f64)', '--print-after-all', '--time-passes']);
    expect(all.code).toBe(0);
    const dumps = all.stderr.match(/^\/\/ IR after '[^']+'/gm) ?? [];
    expect(dumps.length).toBeGreaterThan(3);
    expect(all.stderr).toContain("// IR after 'infer-types'");
    expect(all.stderr).toMatch(/^frontend\s+\d+\.\d+ ms$/m);
    expect(all.stderr).toMatch(/^total\s+\d+\.\d+ ms$/m);
    const changed = rvsdg(['compile', script, '-f', 'scaled', '-s', '(f64[], f64)', '--print-after-change']);
    expect(changed.code).toBe(0);
    const changedDumps = changed.stderr.match(/^\/\/ IR after '[^']+'/gm) ?? [];
    expect(changedDumps.length).toBeGreaterThan(0);
    expect(changedDumps.length).toBeLessThan(dumps.length);
    expect(changed.stderr).not.toContain('(unchanged)');
    // The dumps go to stderr, so stdout is the same final module in both runs.
    expect(changed.stdout).toBe(all.stdout);
  });

  it('emits LLVM IR before and after optimization, and assembly', () => {
    const base = ['compile', script, '-f', 'dot', '-s', '(f64[], f64[])'];
    const raw = rvsdg([...base, '--emit', 'llvm-unoptimized']);
    expect(raw.code).toBe(0);
    expect(raw.stdout).toMatch(/define .*@/);
    const optimized = rvsdg([...base, '--emit', 'llvm', '-O', '3']);
    expect(optimized.code).toBe(0);
    expect(optimized.stdout).toMatch(/define .*@/);
    expect(optimized.stdout).not.toBe(raw.stdout);
    const asm = rvsdg([...base, '--emit', 'asm', '-o', join(scratch, 'dot.s')]);
    expect(asm.code).toBe(0);
    expect(readFileSync(join(scratch, 'dot.s'), 'utf8')).toMatch(/\bretq?\b/);
  });

  it('builds a Node addon ahead of time that computes what the function computes', () => {
    const out = join(scratch, 'dot.node');
    const result = rvsdg(['compile', script, '-f', 'dot', '-s', '(f64[], f64[])', '--emit', 'node', '-o', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(out);
    const call = spawnSync(
      process.execPath,
      [
        '-e',
        `const { dot } = require(${JSON.stringify(out)});` +
          'console.log(dot(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6.5])));',
      ],
      { encoding: 'utf8' },
    );
    expect(call.stderr).toBe('');
    expect(call.stdout).toBe('33.5\n');
  });

  it('compiles an exported function of an ES module, with its other exports in scope', () => {
    const result = rvsdg(['compile', join(kernels, 'fnv1a.js'), '-f', 'fnv1a', '-s', '(Uint8Array)', '--emit', 'llvm']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/define .*@/);
    const module = join(scratch, 'module.mjs');
    writeFileSync(module, 'export const K = 3;\nexport function triple(x) {\n  return x * K;\n}\n');
    const typed = rvsdg(['compile', module, '-f', 'triple', '-s', '(number) -> number']);
    expect(typed.code).toBe(0);
    expect(typed.stdout).toContain('3');
  });

  it('reports usage errors with exit code 64', () => {
    const unknown = rvsdg(['compile', script, '-f', 'nope', '-s', '(f64)']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain("has no function 'nope'; its functions: dot, scaled, broken");
    const badSignature = rvsdg(['compile', script, '-f', 'dot', '-s', '(f64[], string)']);
    expect(badSignature.code).toBe(64);
    expect(badSignature.stderr).toContain("invalid signature '(f64[], string)'");
    const noOutput = rvsdg(['compile', script, '-f', 'dot', '-s', '(f64[], f64[])', '--emit', 'node']);
    expect(noOutput.code).toBe(64);
    expect(noOutput.stderr).toContain('-o out.node');
    for (const level of ['7', ' 2', '1.0', 'x']) {
      const badLevel = rvsdg(['compile', script, '-f', 'dot', '-s', '(f64[], f64[])', `-O${level}`]);
      expect(badLevel.code).toBe(64);
      expect(badLevel.stderr).toContain(`expected 0, 1, 2 or 3, got '${level}'`);
    }
    const badEmit = rvsdg(['compile', script, '-f', 'dot', '-s', '(f64[], f64[])', '--emit', 'wasm']);
    expect(badEmit.code).not.toBe(0);
    expect(badEmit.stderr).toContain("argument 'wasm' is invalid");
    const missingSignature = rvsdg(['compile', script, '-f', 'dot']);
    expect(missingSignature.code).not.toBe(0);
    expect(missingSignature.stderr).toContain("required option '-s, --signature <types>' not specified");
  });

  it('reports what cannot be compiled with its position in the file (exit 65), and unreadable files (exit 66)', () => {
    const unsupported = rvsdg(['compile', script, '-f', 'broken', '-s', '(f64)']);
    expect(unsupported.code).toBe(65);
    expect(unsupported.stderr).toMatch(
      new RegExp(`^rvsdg: ${script.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:12:\\d+: `),
    );
    const wrongResult = rvsdg(['compile', script, '-f', 'dot', '-s', '(f64[], f64[]) -> bool']);
    expect(wrongResult.code).toBe(65);
    expect(wrongResult.stderr).toContain("'dot' returns (f64) for these parameters, not (bool)");
    const missing = rvsdg(['compile', join(scratch, 'missing.js'), '-f', 'f', '-s', '()']);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toContain('cannot read');
  });

  it('has standard help', () => {
    const help = rvsdg(['compile', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: rvsdg compile [options] <file>');
    expect(help.stdout).toContain('--print-after-change');
    expect(rvsdg(['--help']).stdout).toMatch(/compile[\s\S]*graph/);
  });
});

describe('rvsdg graph', () => {
  it('writes the DOT of the RVSDG after the passes, or before them, without needing Graphviz', () => {
    const after = join(scratch, 'dot.dot');
    expect(rvsdg(['graph', script, '-f', 'dot', '-s', '(f64[], f64[])', '-o', after]).code).toBe(0);
    const dot = readFileSync(after, 'utf8');
    expect(dot).toMatch(/^digraph /);
    expect(dot).toContain('theta');
    const before = rvsdg(['graph', script, '-f', 'dot', '--before-passes', '-T', 'dot']);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^digraph /);
    expect(before.stdout).toContain('js.');
    expect(before.stdout).not.toBe(dot);
  });

  it(`renders SVG with Graphviz's dot (installed here: ${hasDot})`, () => {
    const out = join(scratch, 'dot.svg');
    const result = rvsdg(['graph', script, '-f', 'dot', '-s', '(f64[], f64[])', '-o', out]);
    if (hasDot) {
      expect(result.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('<svg');
    } else {
      expect(result.code).toBe(69);
      expect(result.stderr).toContain("rvsdg graph needs Graphviz's `dot`: apt-get install graphviz");
    }
  });

  it('says how to install Graphviz, with exit code 69, when dot is not on the PATH', () => {
    const emptyBin = join(scratch, 'empty-bin');
    mkdirSync(emptyBin, { recursive: true });
    const result = rvsdg(['graph', script, '-f', 'dot', '--before-passes', '-o', join(scratch, 'x.svg')], {
      ...process.env,
      PATH: emptyBin,
    });
    expect(result.code).toBe(69);
    expect(result.stderr).toBe(
      "rvsdg: rvsdg graph needs Graphviz's `dot`: apt-get install graphviz (or write DOT without it: -o out.dot)\n",
    );
  });

  it('needs a signature unless drawing the frontend output, and has standard help', () => {
    const result = rvsdg(['graph', script, '-f', 'dot', '-o', join(scratch, 'y.dot')]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('--before-passes');
    const help = rvsdg(['graph', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: rvsdg graph [options] <file>');
  });
});
