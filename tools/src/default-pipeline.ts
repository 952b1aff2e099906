import * as passes from '@rvsdg/passes';
import type { Type } from '@rvsdg/ir';
import type { Pipeline } from '@rvsdg/passes';

export interface DefaultPipelineOptions {
  readonly entry: string;
  readonly params: readonly Type[];
  readonly fastmath?: boolean;
}

// Interim: @rvsdg/passes is gaining `defaultPipeline` (type inference, then the standard passes); until it exports it, say so.
export function defaultPipeline(options: DefaultPipelineOptions): Pipeline {
  const make = (passes as unknown as Record<string, unknown>)['defaultPipeline'];
  if (typeof make !== 'function') throw new Error('@rvsdg/passes does not export defaultPipeline yet');
  return (make as (o: DefaultPipelineOptions) => Pipeline)(options);
}
