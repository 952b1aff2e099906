import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { array, f64, i32 } from '@rvsdg/ir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  clearDiskCache,
  diskCacheDirectory,
  diskCacheEnabled,
  diskCacheInfo,
  diskCacheKey,
  diskCacheMaxBytes,
  diskCacheStats,
  readDiskEntry,
  resetDiskCacheStats,
  writeDiskEntry,
  type DiskKeyInput,
} from './disk-cache.js';
import { jit } from './jit.js';
import { resolveOptions } from './options.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(packageDir, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'rvsdg-disk-cache-test-'));
let dirs = 0;
const freshDir = (): string => join(scratch, `cache-${++dirs}`);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface ChildReport {
  result: number;
  expected: number;
  disk: ReturnType<typeof diskCacheStats>;
  compiled: number;
  loaded: number;
}

/** A process that jits `kernel` (scope `{ K }`), calls it once and reports what came from where. */
function childScript(kernelSource: string): string {
  return `
import { jit, diskCacheStats } from '@rvsdg/runtime';
import { NativeEngine } from '@rvsdg/backend-llvm';
const K = Number(process.env.K ?? 3);
${kernelSource}
const f = jit(kernel, { scope: { K } });
const a = new Float64Array([1.5, 2.25, -3, 0.1]);
const result = f(a, 0.7);
// With tiers, the optimized tier's object is what goes to disk, once installed (a hit needs no tier-up).
if (process.env.QUICK_TIER_ONLY !== '1') await f.whenOptimized();
const stats = NativeEngine.shared().stats();
console.log(JSON.stringify({ result, expected: kernel(a, 0.7), disk: diskCacheStats(), compiled: stats.compiledModules, loaded: stats.loadedObjects }));
`;
}

const kernelA = 'function kernel(a, x) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * K + x; return s; }';
const kernelB = 'function kernel(a, x) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * K - x; return s; }';

function childEnv(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, RVSDG_CACHE: '', RVSDG_CACHE_DIR: dir, ...extra };
}

function runChild(dir: string, source = kernelA, extra: Record<string, string> = {}): ChildReport {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', childScript(source)], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: childEnv(dir, extra),
  });
  return JSON.parse(output) as ChildReport;
}

function runChildAsync(dir: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', childScript(kernelA)], {
      cwd: repoRoot,
      env: childEnv(dir),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited with ${code}: ${err}`));
      else resolve(JSON.parse(out) as ChildReport);
    });
  });
}

function entries(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.rvc'));
}

beforeAll(() => {
  // The children import the built packages.
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-b', packageDir], { cwd: repoRoot });
}, 120_000);

describe('on-disk cache across processes', () => {
  it('a second process loads the machine code instead of compiling, with the same result', () => {
    const dir = freshDir();
    const first = runChild(dir);
    expect(first.disk).toMatchObject({ hits: 0, misses: 1, writes: 1, corrupt: 0 });
    expect(first.compiled).toBeGreaterThan(0);
    expect(Object.is(first.result, first.expected)).toBe(true);
    expect(entries(dir)).toHaveLength(1);

    const second = runChild(dir);
    expect(second.disk).toMatchObject({ hits: 1, misses: 0, writes: 0, corrupt: 0 });
    expect(second.compiled).toBe(0);
    expect(second.loaded).toBe(1);
    expect(Object.is(second.result, first.result)).toBe(true);
  }, 60_000);

  it('stores the optimized tier only, and a process loading it runs it without tiers', () => {
    const dir = freshDir();
    const quickOnly = runChild(dir, kernelA, { QUICK_TIER_ONLY: '1' });
    expect(quickOnly.disk).toMatchObject({ hits: 0, misses: 1, writes: 0 });
    expect(existsSync(dir) ? entries(dir) : []).toHaveLength(0);
    const optimized = runChild(dir);
    expect(optimized.disk).toMatchObject({ hits: 0, misses: 1, writes: 1 });
    expect(entries(dir)).toHaveLength(1);
    const loaded = runChild(dir, kernelA, { QUICK_TIER_ONLY: '1' });
    expect(loaded.disk).toMatchObject({ hits: 1, misses: 0, writes: 0 });
    expect(loaded.compiled).toBe(0);
    expect(Object.is(loaded.result, optimized.result)).toBe(true);
    // Without tiers the key is the same optimization level: the entry is shared.
    const single = runChild(dir, kernelA, { RVSDG_JIT_TIER: '0' });
    expect(single.disk).toMatchObject({ hits: 1, writes: 0 });
  }, 60_000);

  it('detects a damaged or truncated entry, recompiles and replaces it', () => {
    const dir = freshDir();
    runChild(dir);
    const [name] = entries(dir);
    const path = join(dir, name as string);
    const good = readFileSync(path);

    for (const damage of [
      () => {
        const bytes = Buffer.from(good);
        const at = bytes.length - 40;
        bytes[at] = (bytes[at] as number) ^ 0x10;
        writeFileSync(path, bytes);
      },
      () => truncateSync(path, Math.floor(good.length / 2)),
      () => truncateSync(path, 3),
    ]) {
      damage();
      const report = runChild(dir);
      expect(report.disk).toMatchObject({ hits: 0, corrupt: 1, writes: 1 });
      expect(report.compiled).toBeGreaterThan(0);
      expect(Object.is(report.result, report.expected)).toBe(true);
      expect(readFileSync(path).equals(good)).toBe(true);
      const again = runChild(dir);
      expect(again.disk).toMatchObject({ hits: 1, corrupt: 0 });
      expect(again.compiled).toBe(0);
    }
  }, 120_000);

  it('misses when the source or a scope constant changed', () => {
    const dir = freshDir();
    runChild(dir);
    const otherConstant = runChild(dir, kernelA, { K: '4' });
    expect(otherConstant.disk).toMatchObject({ hits: 0, writes: 1 });
    expect(otherConstant.result).toBe(otherConstant.expected);
    const otherSource = runChild(dir, kernelB);
    expect(otherSource.disk).toMatchObject({ hits: 0, writes: 1 });
    expect(otherSource.result).toBe(otherSource.expected);
    expect(entries(dir)).toHaveLength(3);
    expect(runChild(dir, kernelB).disk.hits).toBe(1);
  }, 60_000);

  it('keys a callee found where the function is defined by the values it captured', () => {
    const dir = freshDir();
    // g and C are module bindings of the child, found through the inspector; the source text is the same for every C.
    const kernelC =
      'const C = Number(process.env.C); const g = (v) => v * C; ' +
      'function kernel(a, x) { let s = 0; for (let i = 0; i < a.length; i++) s += g(a[i]) + x * K; return s; }';
    const two = runChild(dir, kernelC, { C: '2' });
    expect(two.disk).toMatchObject({ hits: 0, writes: 1 });
    const five = runChild(dir, kernelC, { C: '5' });
    expect(five.disk).toMatchObject({ hits: 0, writes: 1 });
    expect(five.result).toBe(five.expected);
    expect(five.result).not.toBe(two.result);
    const again = runChild(dir, kernelC, { C: '2' });
    expect(again.disk.hits).toBe(1);
    expect(again.result).toBe(again.expected);
  }, 60_000);

  it('leaves a valid entry when two processes write it at once', async () => {
    const dir = freshDir();
    const [a, b] = await Promise.all([runChildAsync(dir), runChildAsync(dir)]);
    expect(Object.is(a.result, a.expected) && Object.is(b.result, b.expected)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(entries(dir)).toHaveLength(1);
    const after = runChild(dir);
    expect(after.disk).toMatchObject({ hits: 1, corrupt: 0 });
    expect(after.compiled).toBe(0);
  }, 60_000);

  it('keeps the directory under its size cap, evicting the least recently used entries', () => {
    const dir = freshDir();
    runChild(dir);
    const size = statSync(join(dir, entries(dir)[0] as string)).size;
    const cap = String(Math.floor(size * 2.5));
    runChild(dir, kernelA, { K: '5', RVSDG_CACHE_MAX_BYTES: cap });
    expect(entries(dir)).toHaveLength(2);
    // A hit makes the first entry the most recently used one.
    expect(runChild(dir, kernelA, { RVSDG_CACHE_MAX_BYTES: cap }).disk.hits).toBe(1);
    const third = runChild(dir, kernelA, { K: '6', RVSDG_CACHE_MAX_BYTES: cap });
    expect(third.disk.evictions).toBe(1);
    expect(entries(dir)).toHaveLength(2);
    expect(runChild(dir, kernelA, { RVSDG_CACHE_MAX_BYTES: cap }).disk.hits).toBe(1);
    expect(runChild(dir, kernelA, { K: '5', RVSDG_CACHE_MAX_BYTES: cap }).disk.hits).toBe(0);
  }, 120_000);

  it('reads and writes nothing with RVSDG_CACHE=0 or the option cache: "memory"', () => {
    const dir = freshDir();
    const off = runChild(dir, kernelA, { RVSDG_CACHE: '0' });
    expect(off.disk).toMatchObject({ hits: 0, misses: 0, writes: 0 });
    expect(existsSync(dir)).toBe(false);
    expect(runChild(dir).disk.writes).toBe(1);
    // The entry exists, but cache: 'memory' does not look at it.
    const source = childScript(kernelA).replace('{ scope: { K } }', "{ scope: { K }, cache: 'memory' }");
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', source], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: childEnv(dir),
    });
    const report = JSON.parse(output) as ChildReport;
    expect(report.disk).toMatchObject({ hits: 0, misses: 0, writes: 0 });
    expect(report.compiled).toBeGreaterThan(0);
  }, 60_000);
});

describe('on-disk cache settings', () => {
  it('lives in RVSDG_CACHE_DIR, else $XDG_CACHE_HOME/rvsdg, else ~/.cache/rvsdg', () => {
    expect(diskCacheDirectory({ RVSDG_CACHE_DIR: '/x/y', XDG_CACHE_HOME: '/z' })).toBe('/x/y');
    expect(diskCacheDirectory({ XDG_CACHE_HOME: '/z' })).toBe('/z/rvsdg');
    expect(diskCacheDirectory({})).toMatch(/\/\.cache\/rvsdg$/);
  });

  it('is turned off by RVSDG_CACHE=0, false, off, no or memory', () => {
    for (const value of ['0', 'false', 'OFF', 'no', 'memory'])
      expect(diskCacheEnabled({ RVSDG_CACHE: value })).toBe(false);
    for (const value of [undefined, '', '1', 'true', 'disk'])
      expect(diskCacheEnabled({ RVSDG_CACHE: value })).toBe(true);
  });

  it('reads its cap from RVSDG_CACHE_MAX_BYTES, with K, M and G suffixes', () => {
    expect(diskCacheMaxBytes({})).toBe(256 * 1024 ** 2);
    expect(diskCacheMaxBytes({ RVSDG_CACHE_MAX_BYTES: '1000' })).toBe(1000);
    expect(diskCacheMaxBytes({ RVSDG_CACHE_MAX_BYTES: '64M' })).toBe(64 * 1024 ** 2);
    expect(diskCacheMaxBytes({ RVSDG_CACHE_MAX_BYTES: '1.5g' })).toBe(1.5 * 1024 ** 3);
    expect(() => diskCacheMaxBytes({ RVSDG_CACHE_MAX_BYTES: 'lots' })).toThrow(RangeError);
  });

  it('has the option cache: true, "memory" or false', () => {
    expect(resolveOptions({ cache: false }).cache).toBe(false);
    expect(resolveOptions({ cache: 'memory' }).cache).toBe('memory');
    expect(() => jit((x: number) => x, { cache: 'disk' as never })).toThrow(TypeError);
  });

  it('info and clear see the entries of the directory', () => {
    const dir = freshDir();
    runChild(dir);
    const info = diskCacheInfo({ RVSDG_CACHE_DIR: dir });
    expect(info).toMatchObject({ directory: dir, entries: 1, enabled: true });
    expect(info.bytes).toBeGreaterThan(0);
    expect(clearDiskCache({ RVSDG_CACHE_DIR: dir })).toBe(1);
    expect(diskCacheInfo({ RVSDG_CACHE_DIR: dir }).entries).toBe(0);
  }, 60_000);
});

describe('on-disk cache keys and entries', () => {
  const program = (k: string): string =>
    `module {\n  %0 = const {value = ${k}, type = ?} : ? loc(1:21)\n  export @f = %0.0\n}`;
  const base: DiskKeyInput = {
    source: 'function f(x) { return x * K + g(x); }\u0002function g(x) { return x + 1; }',
    program: program('2'),
    params: [f64],
    scopeArrays: [],
    optLevel: 3,
    fastmath: false,
    boundscheck: true,
    inline: true,
    backend: 'llvm x86_64 skylake +avx2',
  };

  it('changes with everything that determines the code', () => {
    const key = diskCacheKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(diskCacheKey({ ...base })).toBe(key);
    const variants: Partial<DiskKeyInput>[] = [
      { source: 'function f(x) { return x * K - g(x); }\u0002function g(x) { return x + 1; }' },
      { source: 'function f(x) { return x * K + g(x); }\u0002function g(x) { return x + 2; }' },
      { program: program('3') },
      { program: program('-0') },
      { program: program('2n') },
      { params: [i32] },
      { scopeArrays: [array(f64)] },
      { scopeArrays: [array(i32)] },
      { optLevel: 2 },
      { fastmath: true },
      { boundscheck: false },
      { inline: false },
      { backend: 'llvm x86_64 skylake -avx2' },
    ];
    const keys = new Set([key]);
    for (const change of variants) keys.add(diskCacheKey({ ...base, ...change }));
    expect(keys.size).toBe(variants.length + 1);
  });

  it('keeps writes of one process under the cap without scanning the directory each time', () => {
    const dir = freshDir();
    const entry = { signature: '(f64) -> f64', results: [f64], meta: '{}', bytes: new Uint8Array(1000) };
    const key = (i: number): string => i.toString(16).padStart(64, '0');
    writeDiskEntry(dir, key(0), entry, 2500);
    const size = statSync(join(dir, `${key(0)}.rvc`)).size;
    for (let i = 1; i < 8; i++) {
      writeDiskEntry(dir, key(i), entry, 2500);
      const names = entries(dir);
      expect(names.length * size).toBeLessThanOrEqual(2500);
      expect(names).toContain(`${key(i)}.rvc`);
    }
  });

  it('round-trips an entry and rejects any changed byte or a misplaced file', () => {
    const dir = freshDir();
    resetDiskCacheStats();
    const key = 'a'.repeat(64);
    const entry = {
      signature: '(f64) -> f64',
      results: [f64],
      meta: '{"entry":"f"}',
      bytes: new Uint8Array([1, 2, 3]),
    };
    writeDiskEntry(dir, key, entry);
    const read = readDiskEntry(dir, key);
    expect(read?.results[0]).toBe(f64);
    expect(Array.from(read?.bytes ?? [])).toEqual([1, 2, 3]);
    expect(read?.meta).toBe(entry.meta);
    const path = join(dir, `${key}.rvc`);
    const good = readFileSync(path);
    for (let at = 0; at < good.length; at += 7) {
      const bytes = Buffer.from(good);
      bytes[at] = (bytes[at] as number) ^ 1;
      writeFileSync(path, bytes);
      expect(readDiskEntry(dir, key)).toBeUndefined();
    }
    // A whole entry under another key's name is not that key's entry.
    const other = 'b'.repeat(64);
    writeFileSync(join(dir, `${other}.rvc`), good);
    expect(readDiskEntry(dir, other)).toBeUndefined();
    expect(diskCacheStats().corrupt).toBe(Math.ceil(good.length / 7) + 1);
  });
});
