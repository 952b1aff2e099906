import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packagesDir = fileURLToPath(new URL('../../packages', import.meta.url));
const published = ['ir', 'passes', 'frontend-rvsdg', 'backend-llvm', 'runtime'];

/** The files `npm pack` would put in the tarball (dist must be built, as for publishing). */
function packedFiles(dir: string): string[] {
  const json = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' });
  return (JSON.parse(json) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
}

describe('published tarballs', () => {
  for (const name of published) {
    it(`packages/${name} ships no benchmarks, tests or build state, and its README links only to what ships`, () => {
      const dir = join(packagesDir, name);
      const files = packedFiles(dir);
      expect(files).toContain('dist/index.js');
      expect(files.filter((f) => /(^|\/)bench\/|\.tsbuildinfo$|\.test\./.test(f))).toEqual([]);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1]!.replace(/#.*$/, ''))
        .filter((t) => t !== '' && !/^[a-z]+:/.test(t));
      expect(targets.filter((t) => !files.includes(normalize(t)))).toEqual([]);
    }, 60_000);
  }
});
