import { printModule, type Type } from '@rvsdg/ir';
import type { CompiledJs } from '@rvsdg/frontend';
import type { CodeArtifact } from './backend.js';
import type { Specialization } from './cache.js';
import type { CompileRequest } from './compile.js';
import {
  countDiskHit,
  diskCacheDirectory,
  diskCacheKey,
  discardDiskEntry,
  readDiskEntry,
  writeDiskEntry,
} from './disk-cache.js';
import { printSignature, scopeValueType } from './signature.js';

/*
 * Specializations on disk (see disk-cache.ts for the files): where one's
 * entry lives, loading it, and writing one.
 */

export interface DiskSlot {
  readonly dir: string;
  readonly key: string;
}

/**
 * The on-disk entry of a specialization, keyed like the in-memory cache on
 * the frontend's output: every function compiled (the entry, its callees
 * and function arguments, each resolved in its own scope) and every value
 * read from those scopes is in the program text, identity facts as the
 * constants they became; TypedArrays read from scopes are parameters.
 */
export function diskSlot(req: CompileRequest, front: CompiledJs): DiskSlot | undefined {
  const b = req.backend;
  if (!b.target || !b.load) return undefined;
  const key = diskCacheKey({
    source: [...front.sources.values()].join('\u0002'),
    program: printModule(front.module),
    params: req.params,
    scopeArrays: front.globals.map((value) => scopeValueType(value) as Type),
    optLevel: req.optLevel,
    fastmath: req.fastmath,
    boundscheck: req.boundscheck,
    inline: req.inline,
    backend: `${b.name} ${b.target()}`,
  });
  return { dir: diskCacheDirectory(), key };
}

/** The specialization from its on-disk entry, or undefined (no entry, or one that does not load: removed). */
export function loadFromDisk(slot: DiskSlot, req: CompileRequest, tiered: boolean): Specialization | undefined {
  const { params, backend: b } = req;
  const start = performance.now();
  const entry = readDiskEntry(slot.dir, slot.key);
  if (!entry || !b.load) return undefined;
  let fn: (...args: unknown[]) => unknown;
  try {
    fn = b.load({ bytes: entry.bytes, meta: entry.meta }).fn;
  } catch {
    discardDiskEntry(slot.dir, slot.key);
    return undefined;
  }
  countDiskHit();
  return {
    params,
    results: entry.results,
    text: printSignature({ params, results: entry.results }),
    native: fn,
    compileMs: performance.now() - start,
    optLevel: req.optLevel,
    tier: tiered ? 'optimized' : 'single',
  };
}

/** Writes the machine code of `spec` to its entry (nothing without a slot or an artifact). */
export function storeOnDisk(
  slot: DiskSlot | undefined,
  spec: Specialization,
  artifact: CodeArtifact | undefined,
): void {
  if (!slot || !artifact) return;
  writeDiskEntry(slot.dir, slot.key, {
    signature: spec.text,
    results: spec.results,
    meta: artifact.meta,
    bytes: artifact.bytes,
  });
}
