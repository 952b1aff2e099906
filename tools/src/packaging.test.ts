import { parse } from 'acorn';
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
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

/** The packages a module imports by bare name: static imports, re-exports and dynamic `import('...')` of a literal. */
function importedPackages(source: string): string[] {
  const specifiers: string[] = [];
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as { type?: string; source?: { type: string; value: unknown } | null };
    if (
      (n.type === 'ImportDeclaration' ||
        n.type === 'ExportNamedDeclaration' ||
        n.type === 'ExportAllDeclaration' ||
        n.type === 'ImportExpression') &&
      n.source?.type === 'Literal' &&
      typeof n.source.value === 'string'
    ) {
      specifiers.push(n.source.value);
    }
    for (const value of Object.values(node)) if (value !== null && typeof value === 'object') visit(value);
  };
  visit(parse(source, { ecmaVersion: 'latest', sourceType: 'module' }));
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

describe('package boundaries', () => {
  for (const name of published) {
    it(`packages/${name} imports, in what it ships, only the packages it depends on`, () => {
      const dir = join(packagesDir, name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
        optionalDependencies?: Record<string, string>;
      };
      const allowed = new Set(
        [manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies].flatMap((d) =>
          Object.keys(d ?? {}),
        ),
      );
      const undeclared = packedFiles(dir)
        .filter((f) => f.endsWith('.js'))
        .flatMap((f) => importedPackages(readFileSync(join(dir, f), 'utf8')).map((pkg) => `${f} imports ${pkg}`))
        .filter((line) => !allowed.has(line.slice(line.lastIndexOf(' ') + 1)));
      expect(undeclared).toEqual([]);
    }, 60_000);
  }

  it('@rvsdg/passes depends on @rvsdg/ir alone among the toolkit packages (the JS frontend is only for its tests)', () => {
    const manifest = JSON.parse(readFileSync(join(packagesDir, 'passes', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith('@rvsdg/'))).toEqual(['@rvsdg/ir']);
  });
});
