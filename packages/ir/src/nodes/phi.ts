import type { SourceLoc } from './loc.js';
import type { Origin } from './origin.js';
import type { Region } from './region.js';
import type { FunctionType } from '../types/type.js';

/**
 * Mutual recursion. Inputs are context variables. The region's arguments are
 * the recursion variables (one per output, referring to the functions being
 * defined) followed by the context variables; its results define the
 * recursion variables and are the node's outputs.
 */
export interface PhiNode {
  readonly kind: 'phi';
  readonly id: number;
  readonly inputs: readonly Origin[];
  readonly regions: readonly [Region];
  readonly outputs: readonly FunctionType[];
  readonly loc?: SourceLoc;
}
