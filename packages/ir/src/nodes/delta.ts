import type { SourceLoc } from './loc.js';
import type { Origin } from './origin.js';
import type { Region } from './region.js';
import type { Type } from '../types/type.js';

/**
 * A global value. Inputs are context variables, which are the region's
 * arguments; the region's single result is the value, the node's single
 * output.
 */
export interface DeltaNode {
  readonly kind: 'delta';
  readonly id: number;
  readonly name: string;
  readonly inputs: readonly Origin[];
  readonly regions: readonly [Region];
  readonly outputs: readonly [Type];
  readonly loc?: SourceLoc;
}
