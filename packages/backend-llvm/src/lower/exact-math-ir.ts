import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Chunk {
  readonly text: string;
  readonly deps: readonly string[];
  readonly declares: readonly string[];
}

interface Variant {
  readonly chunks: Readonly<Record<string, Chunk>>;
  readonly declarations: Readonly<Record<string, string>>;
}

interface Library {
  readonly typed: Variant;
  readonly opaque: Variant;
}

let library: Library | undefined;

// native/math/exact-math-ir.json: the C in native/math as LLVM IR, split into
// chunks by generate-ir.mjs. Read on first use.
function exactMathLibrary(): Library {
  library ??= JSON.parse(
    readFileSync(
      resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native', 'math', 'exact-math-ir.json'),
      'utf8',
    ),
  ) as Library;
  return library;
}

/** Separates a kernel module's text from the exact math functions linked after it. */
export const exactMathMarker = '; ---- exact math, linked from native/math/exact-math-ir.json ----';

// `ptr` as a type, as opposed to a name such as %ptr.
const opaquePointer = /(^|[\s(,[<{])ptr(?=[\s,)\]>}*]|$)/m;

/**
 * Links the definitions of the `rvsdg_*` math functions that `irText`
 * declares (and what they use) into it as internal functions, so that LLVM
 * can inline them and vectorize the loops that call them. Text without such
 * declarations is returned unchanged.
 */
export function linkExactMath(irText: string): string {
  const declared = [...irText.matchAll(/^declare [^@\n]*@(rvsdg_[a-z0-9]+)\(/gm)].map((m) => m[1] as string);
  if (declared.length === 0) return irText;
  const variant = opaquePointer.test(irText) ? exactMathLibrary().opaque : exactMathLibrary().typed;
  const needed = new Set<string>();
  const pending = declared.filter((name) => name in variant.chunks);
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (needed.has(name)) continue;
    needed.add(name);
    pending.push(...(variant.chunks[name] as Chunk).deps);
  }
  const linked = irText
    .split('\n')
    .filter((line) => {
      const m = /^declare [^@]*@(rvsdg_[a-z0-9]+)\(/.exec(line);
      return !(m && needed.has(m[1] as string));
    })
    .join('\n');
  const declarations = new Set<string>();
  for (const name of needed) {
    for (const d of (variant.chunks[name] as Chunk).declares) {
      if (!new RegExp(`^(declare|define) [^\\n]*@${d.replace(/\./g, '\\.')}\\(`, 'm').test(linked)) declarations.add(d);
    }
  }
  return [
    linked,
    exactMathMarker,
    ...[...declarations].map((d) => variant.declarations[d] as string),
    ...[...needed].map((name) => (variant.chunks[name] as Chunk).text),
    '',
  ].join('\n');
}
