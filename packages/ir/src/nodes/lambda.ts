import type { SourceLoc } from './loc.js';
import type { Origin } from './origin.js';
import type { Region } from './region.js';
import type { FunctionType } from '../types/type.js';

/**
 * A function. Inputs are context variables (values captured from the
 * enclosing region); the region's arguments are the parameters followed by
 * the context variables, its results are the function's results. The only
 * output is the function value.
 */
export interface LambdaNode {
  readonly kind: 'lambda';
  readonly id: number;
  readonly name: string;
  readonly type: FunctionType;
  readonly inputs: readonly Origin[];
  readonly regions: readonly [Region];
  readonly outputs: readonly [FunctionType];
  readonly loc?: SourceLoc;
}
