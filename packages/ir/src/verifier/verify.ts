import type { Module } from '../nodes/module.js';
import { defaultRegistry } from '../ops/default-registry.js';
import type { OpRegistry } from '../ops/registry.js';
import { errorText } from './shape.js';
import { Verifier } from './verifier.js';

/** Every rule the verifier checks; each diagnostic names exactly one. */
export const verifierRules = [
  'malformed',
  'invalid-type',
  'module-layout',
  'duplicate-node-id',
  'duplicate-name',
  'dangling-origin',
  'node-order',
  'cycle',
  'unknown-op',
  'attribute',
  'op-typing',
  'port-count',
  'port-type',
  'predicate-type',
  'state-threading',
] as const;

export type VerifierRule = (typeof verifierRules)[number];

export interface Diagnostic {
  /** The node the problem is about; absent for module-level problems. */
  readonly nodeId?: number;
  readonly rule: VerifierRule;
  readonly message: string;
  /** Where the problem is, e.g. `lambda "fact" (node 3) region 0 > theta (node 7) region 0 > arith.add (node 5)`. */
  readonly path: string;
}

export interface VerifyOptions {
  /** Where simple nodes' ops are looked up; the default registry unless given. */
  readonly registry?: OpRegistry;
}

/** Thrown by `assertValid`; carries every diagnostic. */
export class VerificationError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    const shown = diagnostics.slice(0, 10).map((d) => `  ${formatDiagnostic(d)}`);
    const more = diagnostics.length > shown.length ? [`  ... and ${diagnostics.length - shown.length} more`] : [];
    super([`module does not verify (${diagnostics.length} problem(s)):`, ...shown, ...more].join('\n'));
    this.name = 'VerificationError';
  }
}

export function formatDiagnostic(diagnostic: Diagnostic): string {
  return `${diagnostic.path}: ${diagnostic.message} [${diagnostic.rule}]`;
}

/**
 * Checks every structural rule of the IR and returns one diagnostic per
 * broken rule instance (empty when the module is valid). It never throws,
 * whatever it is given, and runs in time linear in the size of the module.
 */
export function verify(module: Module, options: VerifyOptions = {}): Diagnostic[] {
  const verifier = new Verifier(options.registry ?? defaultRegistry);
  try {
    verifier.run(module as unknown);
  } catch (error) {
    verifier.report('malformed', `the verifier could not inspect the module: ${errorText(error)}`, 'module');
  }
  return verifier.diagnostics;
}

/** Throws a VerificationError listing every diagnostic when the module does not verify. */
export function assertValid(module: Module, options: VerifyOptions = {}): void {
  const diagnostics = verify(module, options);
  if (diagnostics.length > 0) throw new VerificationError(diagnostics);
}
