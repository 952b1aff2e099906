import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/check-prerequisites.mjs', import.meta.url));
const emptyBin = mkdtempSync(join(tmpdir(), 'rvsdg-bin-'));

function check(path: string): { code: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, PATH: path } });
  return { code: result.status, stderr: result.stderr };
}

describe('the install-time prerequisite check (npm preinstall)', () => {
  afterAll(() => rmSync(emptyBin, { recursive: true, force: true }));

  it('passes on this machine', () => {
    expect(check(process.env['PATH'] ?? '')).toEqual({ code: 0, stderr: '' });
  });

  it('names the Debian package for every missing tool', () => {
    // Only node itself is reachable: LLVM, g++, make and python3 are all "missing" (cmake is no longer needed).
    symlinkSync(process.execPath, join(emptyBin, 'node'));
    const result = check(emptyBin);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('apt-get install llvm-14-dev');
    expect(result.stderr).not.toContain('cmake');
    expect(result.stderr).toContain('apt-get install g++');
    expect(result.stderr).toContain('apt-get install python3');
    expect(result.stderr).toMatch(/Install them with: apt-get install llvm-14-dev g\+\+ make python3/);
  });
});
