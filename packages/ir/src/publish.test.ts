import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(packageDir, '..', '..');
const workDir = mkdtempSync(join(tmpdir(), 'rvsdg-ir-publish-'));

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The first ```js block of the README: the example users copy. */
function readmeExample(): string {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const match = /```js\n([\s\S]*?)```/.exec(readme);
  if (!match?.[1]) throw new Error('packages/ir/README.md has no ```js example');
  return match[1];
}

describe('@rvsdg/ir as a published package', () => {
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('packs, installs into an empty project, and runs the README example there', () => {
    run(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-b', packageDir], repoRoot);
    run('npm', ['pack', '--pack-destination', workDir], packageDir);
    const tarball = readdirSync(workDir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toMatch(/^rvsdg-ir-0\.1\.0\.tgz$/);
    const project = join(workDir, 'project');
    run('mkdir', ['-p', project], workDir);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    run('npm', ['install', '--no-audit', '--no-fund', join(workDir, tarball as string)], project);
    writeFileSync(join(project, 'example.mjs'), readmeExample());
    const output = run(process.execPath, ['example.mjs'], project);
    expect(output).toContain('2432902008176640000n');
    expect(output).toContain('[]');
    // The declarations ship too, so TypeScript users get types.
    const installed = join(project, 'node_modules', '@rvsdg', 'ir');
    expect(readdirSync(join(installed, 'dist'))).toContain('index.d.ts');
    expect(readdirSync(join(installed, 'dist', 'testing'))).toContain('index.d.ts');
  }, 180_000);
});
