import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fileCheck, parseDirectives } from '../filecheck.js';

const toolsDir = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(toolsDir, 'dist', 'cli.js');
const cases = join(toolsDir, 'test', 'opt');
const scratch = mkdtempSync(join(tmpdir(), 'rvsdg-opt-'));

function rvsdg(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Each test/opt/*.rvsdg names its pipeline in a `// PASSES:` line and states the output in CHECK lines.
describe('rvsdg ir opt on test/opt', () => {
  const files = readdirSync(cases).filter((f) => f.endsWith('.rvsdg'));
  it('has cases', () => expect(files.length).toBeGreaterThanOrEqual(5));
  for (const file of files) {
    it(file, () => {
      const path = join(cases, file);
      const text = readFileSync(path, 'utf8');
      const passes = /^\/\/ PASSES: (.+)$/m.exec(text)?.[1];
      expect(passes, `${file} has no '// PASSES:' line`).toBeDefined();
      const directives = parseDirectives(text);
      expect(directives.length, `${file} has no CHECK lines`).toBeGreaterThan(0);
      const result = rvsdg('ir', 'opt', '--passes', passes as string, path);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(fileCheck(directives, result.stdout, `test/opt/${file}`)).toEqual([]);
    });
  }
});

describe('rvsdg ir opt errors', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const fold = join(cases, 'fold.rvsdg');

  it('names the known passes when a pass is unknown (usage error, 64)', () => {
    const result = rvsdg('ir', 'opt', '--passes', 'fold,nope', fold);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/--passes: unknown pass 'nope' \(known: fold, cne, dne, .*simplify/);
    expect(result.stdout).toBe('');
  });

  it('reports a parse error with file:line:col (65) and a missing file (66)', () => {
    const bad = join(scratch, 'bad.rvsdg');
    writeFileSync(bad, '// a comment\nmodule {\n  %0 = = \n}\n');
    const result = rvsdg('ir', 'opt', '--passes', 'fold', bad);
    expect(result.code).toBe(65);
    expect(result.stderr).toContain(`${bad}:3:8:`);
    expect(rvsdg('ir', 'opt', '--passes', 'fold', join(scratch, 'missing.rvsdg')).code).toBe(66);
  });

  it('refuses a module that does not verify (65) and writes with --output', () => {
    const broken = join(scratch, 'broken.rvsdg');
    writeFileSync(
      broken,
      readFileSync(fold, 'utf8').replace('arith.sub(%3.0, %a0) : i32', 'arith.sub(%3.0, %a0) : f64'),
    );
    const result = rvsdg('ir', 'opt', '--passes', 'fold', broken);
    expect(result.code).toBe(65);
    expect(result.stderr).toMatch(/verifier diagnostic.*\n[^]*\[op-typing\].*arith\.sub/);
    const out = join(scratch, 'out.rvsdg');
    expect(rvsdg('ir', 'opt', '--passes', 'fold,dne', fold, '-o', out)).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(out, 'utf8')).toContain('const {value = 14, type = i32}');
  });
});
