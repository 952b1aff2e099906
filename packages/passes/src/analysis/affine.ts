/**
 * Affine index expressions: sums of monomials, each a constant times a
 * product of loop-invariant factors ("atoms") and at most one loop counter.
 * A monomial's key is its factors sorted and joined by `*` (the constant
 * term has key ''); counters' factor names start with `c:`.
 */
export type Affine = ReadonlyMap<string, bigint>;

/** The most factors a monomial may have (`i*n*n` has three). */
const maxFactors = 3;
/** The most monomials an expression may have. */
const maxTerms = 16;

export function affineConst(v: bigint): Affine {
  return v === 0n ? new Map() : new Map([['', v]]);
}

export function affineFactor(name: string): Affine {
  return new Map([[name, 1n]]);
}

export function isCounter(factor: string): boolean {
  return factor.startsWith('c:');
}

export function factorsOf(key: string): string[] {
  return key === '' ? [] : key.split('*');
}

/** a + sign·b. */
export function affineAdd(a: Affine, b: Affine, sign: bigint = 1n): Affine | undefined {
  const out = new Map(a);
  for (const [k, v] of b) {
    const s = (out.get(k) ?? 0n) + sign * v;
    if (s === 0n) out.delete(k);
    else out.set(k, s);
  }
  return out.size > maxTerms ? undefined : out;
}

export function affineNeg(a: Affine): Affine {
  return new Map([...a].map(([k, v]) => [k, -v]));
}

/** a·b, when every monomial of the product has at most one counter and few factors. */
export function affineMul(a: Affine, b: Affine): Affine | undefined {
  let out: Affine = new Map();
  for (const [ka, va] of a) {
    for (const [kb, vb] of b) {
      const factors = [...factorsOf(ka), ...factorsOf(kb)].sort();
      if (factors.length > maxFactors || factors.filter(isCounter).length > 1) return undefined;
      const next = affineAdd(out, new Map([[factors.join('*'), va * vb]]));
      if (!next) return undefined;
      out = next;
    }
  }
  return out;
}

/** The counters an expression mentions. */
export function countersOf(a: Affine): string[] {
  return [...new Set([...a.keys()].flatMap(factorsOf).filter(isCounter))];
}

/** A stable text for an expression (to deduplicate tests). */
export function affineKey(a: Affine): string {
  return [...a]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${v}${k === '' ? '' : '*' + k}`)
    .join('+');
}

/**
 * A bound on |value| over the box, given bounds on the factors' magnitudes
 * (undefined when a factor has none).
 */
export function affineMagnitude(a: Affine, factor: (name: string) => number | undefined): number | undefined {
  let total = 0;
  for (const [k, v] of a) {
    let m = Math.abs(Number(v));
    for (const f of factorsOf(k)) {
      const fm = factor(f);
      if (fm === undefined) return undefined;
      m *= fm;
    }
    total += m;
  }
  return total;
}
