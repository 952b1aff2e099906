import type { SourceLoc } from './loc.js';
import type { Origin } from './origin.js';
import type { Region } from './region.js';
import type { Type } from '../types/type.js';

/**
 * Tail-controlled loop. Inputs are the initial loop variables; the single
 * region takes the current loop variables as arguments and yields the
 * predicate (ctrl<2>, 1 = repeat) followed by the next loop variables. The
 * outputs are the loop variables after the last iteration.
 */
export interface ThetaNode {
  readonly kind: 'theta';
  readonly id: number;
  readonly inputs: readonly Origin[];
  readonly regions: readonly [Region];
  readonly outputs: readonly Type[];
  readonly loc?: SourceLoc;
}
