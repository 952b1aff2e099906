import type { SourceLoc } from './loc.js';
import type { Origin } from './origin.js';
import type { Region } from './region.js';
import type { Type } from '../types/type.js';

/**
 * Conditional. Input 0 is the predicate of type ctrl<n>; inputs 1.. are the
 * entry variables. Each of the n regions takes the entry variables as its
 * arguments and yields one result per output (the exit variables); the
 * region chosen by the predicate's value supplies the outputs.
 */
export interface GammaNode {
  readonly kind: 'gamma';
  readonly id: number;
  readonly inputs: readonly Origin[];
  readonly regions: readonly Region[];
  readonly outputs: readonly Type[];
  readonly loc?: SourceLoc;
}
