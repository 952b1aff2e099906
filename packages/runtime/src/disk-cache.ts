/**
 * The on-disk cache of compiled specializations (Numba's `cache=True`): a
 * process that calls a function some earlier process compiled loads the
 * machine code from a file instead of compiling it.
 *
 * One file per specialization, named by a SHA-256 key over everything that
 * determines its code (see diskCacheKey). A file is written to a temporary
 * name and renamed into place, so readers in other processes see a whole
 * entry or none. Each file starts with a checksum of the rest and repeats its
 * key, so a truncated, damaged or misplaced file is recognised, removed and
 * recompiled. The directory is capped in size: after each write the least
 * recently used entries (by mtime, which a hit refreshes) are removed.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseType, typeToString, type Type } from '@rvsdg/ir';
import type { OptLevel } from '@rvsdg/backend-llvm';
import { printParams } from './signature.js';

/** Bumped whenever the file layout or what a key covers changes. */
const formatVersion = 1;
const magic = Buffer.from('RVSDGC01', 'latin1');
const extension = '.rvc';
/** Temporary files older than this belong to a writer that died; eviction removes them. */
const staleTemporaryMs = 10 * 60 * 1000;
const defaultMaxBytes = 256 * 1024 * 1024;

/** Where entries live: RVSDG_CACHE_DIR, else $XDG_CACHE_HOME/rvsdg, else ~/.cache/rvsdg. */
export function diskCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['RVSDG_CACHE_DIR'];
  if (explicit) return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg ? xdg : join(homedir(), '.cache'), 'rvsdg');
}

/** False when RVSDG_CACHE is `0`, `false`, `off`, `no` or `memory`: then nothing is read from or written to disk. */
export function diskCacheEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env['RVSDG_CACHE']?.trim().toLowerCase();
  return !(value === '0' || value === 'false' || value === 'off' || value === 'no' || value === 'memory');
}

/** RVSDG_CACHE_MAX_BYTES: a byte count, optionally with a K, M or G suffix (powers of 1024). Default 256M. */
export function diskCacheMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const text = env['RVSDG_CACHE_MAX_BYTES']?.trim();
  if (!text) return defaultMaxBytes;
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(text);
  if (!match) {
    throw new RangeError(`RVSDG_CACHE_MAX_BYTES must be a size such as 100000, 512K, 64M or 1G; got '${text}'`);
  }
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? '').toLowerCase()] ?? 1;
  return Math.floor(Number(match[1]) * scale);
}

/** Counters since the process started (or since `resetStats`). */
export interface DiskCacheStats {
  /** Specializations loaded from disk instead of compiled. */
  hits: number;
  /** Lookups that found no entry. */
  misses: number;
  /** Entries found damaged, truncated or for another key (removed, then recompiled). */
  corrupt: number;
  writes: number;
  /** Entries removed to keep the directory under its size cap. */
  evictions: number;
  /** Reads or writes that failed for another reason (permissions, a full disk); the call compiled instead. */
  errors: number;
}

const counters: DiskCacheStats = { hits: 0, misses: 0, corrupt: 0, writes: 0, evictions: 0, errors: 0 };

export function diskCacheStats(): Readonly<DiskCacheStats> {
  return { ...counters };
}

export function resetDiskCacheStats(): void {
  for (const name of Object.keys(counters) as (keyof DiskCacheStats)[]) counters[name] = 0;
}

function packageRoot(name: string): string | undefined {
  try {
    // `…/<package>/dist/index.js` (or src/index.ts under a test runner).
    return fileURLToPath(new URL('..', import.meta.resolve(`@rvsdg/${name}`)));
  } catch {
    return undefined;
  }
}

/** Size and modification time of a file, or `-`: changes whenever the file is rewritten. */
export function fileStamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '-';
  }
}

let toolkit: string | undefined;

/**
 * This toolkit's version as far as generated code is concerned: each
 * package's name and version, the stamp (size, mtime) of its TypeScript
 * build info (rewritten whenever any of its sources is rebuilt); the
 * backend's target adds its own build (see Backend.target). A changed
 * compiler thus never loads code an older one wrote.
 */
export function toolkitVersion(): string {
  if (toolkit !== undefined) return toolkit;
  const parts: string[] = [`format ${formatVersion}`, `node-abi ${process.versions.modules}`];
  const own = fileURLToPath(new URL('..', import.meta.url));
  const roots: [string, string | undefined][] = [
    ['ir', packageRoot('ir')],
    ['frontend', packageRoot('frontend')],
    ['passes', packageRoot('passes')],
    ['backend-llvm', packageRoot('backend-llvm')],
    ['runtime', own],
  ];
  for (const [name, root] of roots) {
    if (root === undefined) {
      parts.push(`${name} ?`);
      continue;
    }
    let version = '?';
    try {
      version = String((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version);
    } catch {
      // An unreadable package.json leaves the build stamp to tell versions apart.
    }
    parts.push(`${name} ${version} ${fileStamp(join(root, 'dist', '.tsbuildinfo'))}`);
  }
  toolkit = parts.join('\n');
  return toolkit;
}

/**
 * Everything that determines the machine code of one specialization. The
 * program is the frontend's output: each function is resolved in its own
 * scope (closure, module, `scope` option), and every value read there
 * (constants, callees, function arguments, identity facts) is in it as a
 * constant or a compiled function, so nothing a closure holds is left out.
 */
export interface DiskKeyInput {
  /** The source text of every function compiled (the entry, its callees, its function arguments). */
  readonly source: string;
  /** The frontend's module, printed. */
  readonly program: string;
  /** The entry's parameter types, `undefined` and function arguments included. */
  readonly params: readonly Type[];
  /** The types of the TypedArrays the functions read from their scopes (hidden parameters of the native code). */
  readonly scopeArrays: readonly Type[];
  readonly optLevel: OptLevel;
  readonly fastmath: boolean;
  readonly boundscheck: boolean;
  readonly inline: boolean;
  /** The backend's name and target (triple, CPU name, CPU features). */
  readonly backend: string;
}

/** The entry's file name stem (64 hex digits). */
export function diskCacheKey(input: DiskKeyInput): string {
  const text = [
    toolkitVersion(),
    input.backend,
    `O${input.optLevel} fastmath=${input.fastmath} boundscheck=${input.boundscheck} inline=${input.inline}`,
    printParams(input.params),
    printParams(input.scopeArrays),
    input.source,
    input.program,
  ].join('\u0001');
  return createHash('sha256').update(text).digest('hex');
}

/** What a cache file holds besides its key. */
export interface DiskEntry {
  /** `(f64[], f64[]) -> f64` */
  readonly signature: string;
  readonly results: readonly Type[];
  /** Backend data for loading (see CodeArtifact). */
  readonly meta: string;
  readonly bytes: Uint8Array;
}

interface Header {
  key: string;
  signature: string;
  results: string[];
  meta: string;
}

// Layout: magic (8) | SHA-256 of everything after it (32) | header length (u32 LE) | header JSON | object bytes.
function encode(key: string, entry: DiskEntry): Buffer {
  const header: Header = {
    key,
    signature: entry.signature,
    results: entry.results.map(typeToString),
    meta: entry.meta,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const body = Buffer.concat([length, json, entry.bytes]);
  const sum = createHash('sha256').update(body).digest();
  return Buffer.concat([magic, sum, body]);
}

function decode(key: string, data: Buffer): DiskEntry | undefined {
  if (data.length < magic.length + 36 || !data.subarray(0, magic.length).equals(magic)) return undefined;
  const body = data.subarray(magic.length + 32);
  const sum = createHash('sha256').update(body).digest();
  if (!sum.equals(data.subarray(magic.length, magic.length + 32))) return undefined;
  const length = body.readUInt32LE(0);
  if (4 + length > body.length) return undefined;
  let header: Header;
  try {
    header = JSON.parse(body.subarray(4, 4 + length).toString('utf8')) as Header;
  } catch {
    return undefined;
  }
  if (header.key !== key || typeof header.signature !== 'string' || typeof header.meta !== 'string') return undefined;
  if (!Array.isArray(header.results)) return undefined;
  return {
    signature: header.signature,
    results: header.results.map((t) => parseType(t)),
    meta: header.meta,
    bytes: new Uint8Array(body.buffer, body.byteOffset + 4 + length, body.length - 4 - length),
  };
}

function entryPath(dir: string, key: string): string {
  return join(dir, `${key}${extension}`);
}

function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const data = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, data, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return data.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/**
 * The entry for `key`, or undefined (a miss). A damaged entry counts as
 * `corrupt` and is removed, so that the recompiled one replaces it.
 */
export function readDiskEntry(dir: string, key: string): DiskEntry | undefined {
  const path = entryPath(dir, key);
  let data: Buffer;
  try {
    data = readWhole(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') counters.misses++;
    else counters.errors++;
    return undefined;
  }
  let entry: DiskEntry | undefined;
  try {
    entry = decode(key, data);
  } catch {
    entry = undefined;
  }
  if (entry === undefined) {
    counters.corrupt++;
    try {
      unlinkSync(path);
    } catch {
      // Another process removed or replaced it already.
    }
    return undefined;
  }
  try {
    // Recently used: eviction goes by mtime.
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Evicted meanwhile; the entry read is whole all the same.
  }
  return entry;
}

/** Called when an entry was read but could not be loaded: counts it as corrupt and removes it. */
export function discardDiskEntry(dir: string, key: string): void {
  counters.corrupt++;
  try {
    unlinkSync(entryPath(dir, key));
  } catch {
    // Gone already.
  }
}

/** Counts a successful load (kept apart from reading, which may still fail to load). */
export function countDiskHit(): void {
  counters.hits++;
}

/** Writes the entry atomically, then trims the directory to `maxBytes`. Never throws: a failed write only costs a later compile. */
export function writeDiskEntry(dir: string, key: string, entry: DiskEntry, maxBytes = diskCacheMaxBytes()): void {
  const temporary = join(dir, `${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let size: number;
  try {
    // Private to the user: whoever can write an entry can make the process run its machine code.
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const data = encode(key, entry);
    size = data.length;
    writeFileSync(temporary, data);
    renameSync(temporary, entryPath(dir, key));
    counters.writes++;
  } catch {
    counters.errors++;
    try {
      unlinkSync(temporary);
    } catch {
      // Never created.
    }
    return;
  }
  // Scanning the directory costs a stat per entry: done on this process's first write, when the
  // estimate passes the cap, and every so many writes (other processes write too).
  const known = scanned;
  if (known && known.dir === dir && known.bytes + size <= maxBytes && ++known.writes < rescanEvery) {
    known.bytes += size;
    return;
  }
  scanned = { dir, bytes: evict(dir, maxBytes), writes: 0 };
}

const rescanEvery = 32;
/** What this process knows of the directory's size since it last scanned it. */
let scanned: { dir: string; bytes: number; writes: number } | undefined;

interface FileInfo {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

function listEntries(dir: string): { entries: FileInfo[]; temporaries: FileInfo[] } {
  const entries: FileInfo[] = [];
  const temporaries: FileInfo[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { entries, temporaries };
  }
  for (const name of names) {
    const isEntry = name.endsWith(extension);
    if (!isEntry && !name.endsWith('.tmp')) continue;
    const path = join(dir, name);
    try {
      const s = statSync(path);
      (isEntry ? entries : temporaries).push({ path, size: s.size, mtimeMs: s.mtimeMs });
    } catch {
      // Removed by another process meanwhile.
    }
  }
  return { entries, temporaries };
}

/**
 * Removes least recently used entries until the directory holds at most
 * `maxBytes`, and dead writers' temporaries; returns the bytes that remain.
 */
export function evict(dir: string, maxBytes: number): number {
  const { entries, temporaries } = listEntries(dir);
  const now = Date.now();
  for (const t of temporaries) {
    if (now - t.mtimeMs > staleTemporaryMs) tryUnlink(t.path);
  }
  let total = entries.reduce((sum, e) => sum + e.size, 0);
  if (total <= maxBytes) return total;
  entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const e of entries) {
    if (total <= maxBytes) break;
    if (tryUnlink(e.path)) counters.evictions++;
    total -= e.size;
  }
  return total;
}

function tryUnlink(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

/** What `rvsdg cache info` shows. */
export interface DiskCacheInfo {
  readonly directory: string;
  readonly enabled: boolean;
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  /** Modification time of the most and least recently used entries (ms since the epoch). */
  readonly newest: number | undefined;
  readonly oldest: number | undefined;
}

export function diskCacheInfo(env: NodeJS.ProcessEnv = process.env): DiskCacheInfo {
  const directory = diskCacheDirectory(env);
  const { entries } = listEntries(directory);
  const times = entries.map((e) => e.mtimeMs);
  return {
    directory,
    enabled: diskCacheEnabled(env),
    entries: entries.length,
    bytes: entries.reduce((sum, e) => sum + e.size, 0),
    maxBytes: diskCacheMaxBytes(env),
    newest: times.length > 0 ? Math.max(...times) : undefined,
    oldest: times.length > 0 ? Math.min(...times) : undefined,
  };
}

/** Removes every entry (and temporary file) of the cache directory; returns how many entries it removed. */
export function clearDiskCache(env: NodeJS.ProcessEnv = process.env): number {
  const { entries, temporaries } = listEntries(diskCacheDirectory(env));
  for (const t of temporaries) tryUnlink(t.path);
  let removed = 0;
  for (const e of entries) if (tryUnlink(e.path)) removed++;
  return removed;
}
