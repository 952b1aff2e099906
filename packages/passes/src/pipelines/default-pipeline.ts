import type { Type } from '@rvsdg/ir';
import { pipeline, type Pipeline } from '../manager/pipeline.js';
import { inferTypesFor } from '../passes/infer-types.js';
import { inline } from '../passes/inline.js';
import { dropBoundsChecks } from '../passes/drop-bounds-checks.js';
import { integerRepresentation } from '../passes/integer-representation.js';
import { simplify } from '../passes/standard.js';
import { unroll } from '../passes/unroll.js';
import { versionLoopNests } from '../passes/version-loop-nests.js';

export interface DefaultPipelineOptions {
  /** The exported function to compile (the frontend's `entry`). */
  readonly entry: string;
  /** Its JavaScript-visible parameter types: f64, i64, bool, array types. */
  readonly params: readonly Type[];
  /**
   * Allow value-changing float optimizations. No standard pass changes
   * values yet (all of them keep results bit for bit), so the pipeline is
   * the same either way; the option is here so callers state it once.
   */
  readonly fastmath?: boolean;
  /** Inline calls (default true). */
  readonly inline?: boolean;
}

/**
 * The pipeline from the JavaScript frontend's output to a typed, simplified
 * module: type inference for the signature, then inlining, the `simplify`
 * clean-up (fold, gamma and theta simplification, invariant hoisting, CNE,
 * DNE), unrolling of loops with small static trip counts, `simplify`
 * again, then `integer-representation` (f64 values the range analysis
 * proves exact integers held in i64, functions with loops versioned on
 * integral parameters), `simplify` to fold the round trips, and
 * `drop-bounds-checks` (accesses proven in range), then
 * `version-loop-nests` (the checks of affine accesses in a loop nest
 * hoisted into one test before the nest, with a checked copy). It is plain data: print
 * it with `printPipeline`, run it with
 * `runPipeline(p, module, { registry: jsRegistry })`.
 */
export function defaultPipeline(options: DefaultPipelineOptions): Pipeline {
  return pipeline([
    inferTypesFor(options.entry, options.params),
    ...(options.inline === false ? [] : [inline]),
    simplify,
    unroll,
    simplify,
    integerRepresentation,
    simplify,
    dropBoundsChecks,
    versionLoopNests,
  ]);
}
