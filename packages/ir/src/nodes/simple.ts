import type { Type } from '../types/type.js';
import type { SourceLoc } from './loc.js';
import type { Origin } from './origin.js';

export type AttrValue = number | bigint | boolean | string | Type;
export type Attrs = Readonly<Record<string, AttrValue>>;

/** A node applying one registered op to its operands. */
export interface SimpleNode {
  readonly kind: 'simple';
  readonly id: number;
  readonly op: string;
  readonly attrs: Attrs;
  readonly inputs: readonly Origin[];
  readonly outputs: readonly Type[];
  readonly regions: readonly [];
  readonly loc?: SourceLoc;
}
