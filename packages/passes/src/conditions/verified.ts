import { formatDiagnostic, verify } from '@rvsdg/ir';
import { defineCondition } from '../manager/condition.js';

/** The module passes the IR verifier (every structural, typing and state-threading rule). */
export const verified = defineCondition('verified', 'the module passes the IR verifier', (module, { registry }) =>
  verify(module, { registry }).map(formatDiagnostic),
);
