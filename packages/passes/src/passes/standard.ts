import { pipeline, PassRegistry } from '../manager/pipeline.js';
import { cne } from './cne.js';
import { dne } from './dne.js';
import { fold } from './fold.js';
import { hoistInvariants } from './hoist-invariants.js';
import { inline } from './inline.js';
import { dropBoundsChecks } from './drop-bounds-checks.js';
import { integerRepresentation } from './integer-representation.js';
import { versionLoopNests } from './version-loop-nests.js';
import { simplifyGamma } from './simplify-gamma.js';
import { simplifyTheta } from './simplify-theta.js';
import { unroll } from './unroll.js';

/** Scalar clean-up: folding, branch and loop simplification, invariant code motion, CNE, DNE. */
export const simplify = pipeline([fold, simplifyGamma, simplifyTheta, hoistInvariants, cne, dne], 'simplify');

/** A general optimization pipeline: inline, clean up, unroll small loops, clean up again. */
export const optimize = pipeline([inline, simplify, unroll, simplify], 'optimize');

/**
 * Every standard pass and pipeline by name, for pipeline text
 * (`parsePipeline('fold,cne,dne', standardPasses)`). Extend it with
 * `standardPasses.extend(myPass)` to add third-party passes.
 */
export const standardPasses = new PassRegistry([
  fold,
  cne,
  dne,
  inline,
  hoistInvariants,
  simplifyGamma,
  simplifyTheta,
  unroll,
  integerRepresentation,
  dropBoundsChecks,
  versionLoopNests,
  simplify,
  optimize,
]);
