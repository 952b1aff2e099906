import type { Region } from './region.js';
import type { Type } from '../types/type.js';

export interface Import {
  readonly name: string;
  readonly type: Type;
}

/**
 * The omega node: a whole translation unit. The root region's arguments are
 * the imports; its results are the exports, named by `exports` in order.
 */
export interface Module {
  readonly kind: 'omega';
  readonly imports: readonly Import[];
  readonly exports: readonly string[];
  readonly region: Region;
}
