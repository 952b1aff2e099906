import type { Type } from '@rvsdg/ir';
import type { PropertyGuard } from '@rvsdg/frontend';

export type Tier = 'quick' | 'optimized' | 'single';

/** One compiled specialization of a jitted function. */
export interface Specialization {
  readonly params: readonly Type[];
  /** Non-state results of the compiled entry. */
  readonly results: readonly Type[];
  /** `(f64[], f64[]) -> f64` */
  readonly text: string;
  /**
   * The native function (an N-API callback); its machine code lives as long
   * as it does. Tiered compilation replaces it by the optimized tier's when
   * that is installed (fast paths made afterwards call it directly; the
   * quick tier's function runs the optimized code already, see tiers.ts).
   */
  native: (...args: unknown[]) => unknown;
  /** LLVM level of the code `native` runs. */
  optLevel: number;
  /** `quick` until the optimized tier runs; `single` when compiled once (option optLevel or tier: false). */
  tier: Tier;
  /** Set while the quick tier runs: starts the optimized tier now (once) and settles when it is installed. */
  tierUp?: () => Promise<void>;
  /**
   * Set while the quick tier's calls are counted: the dispatcher reports
   * each call and how long it took; true once the tier-up has started (stop
   * counting).
   */
  countCall?: (ms: number) => boolean;
  /** Milliseconds from source to callable code. */
  readonly compileMs: number;
  /**
   * For code that compared TypedArray arguments: whether a call's arguments
   * are the same objects the way this specialization assumes (the
   * dispatcher selects again when not).
   */
  readonly identity?: (args: ArrayLike<unknown>) => boolean;
  /**
   * The TypedArrays the compiled functions read from their scopes, passed
   * after the arguments on every call (hidden parameters of the native code).
   */
  readonly globals?: readonly unknown[];
  /**
   * Properties of scope objects compiled in as values that could be
   * assigned later (`glMatrix.EPSILON`): checked at every call, and the
   * specialization is compiled again when one changed.
   */
  readonly guards?: readonly PropertyGuard[];
}

/**
 * Specializations shared between `jit()` calls of the same source, scope,
 * signature and options. Entries are weak: the cache never keeps machine
 * code alive on its own, so functions nobody references are freed as usual.
 */
class SpecializationCache {
  readonly #entries = new Map<string, WeakRef<Specialization>>();
  readonly #registry = new FinalizationRegistry<string>((key) => {
    const ref = this.#entries.get(key);
    if (ref && ref.deref() === undefined) this.#entries.delete(key);
  });

  get(key: string): Specialization | undefined {
    return this.#entries.get(key)?.deref();
  }

  set(key: string, spec: Specialization): void {
    this.#entries.set(key, new WeakRef(spec));
    this.#registry.register(spec, key);
  }

  /** Number of entries (live or awaiting collection). */
  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}

export const specializationCache = new SpecializationCache();
