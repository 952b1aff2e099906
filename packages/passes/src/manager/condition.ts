import type { Module, OpRegistry } from '@rvsdg/ir';

/** What a condition check can consult besides the module. */
export interface ConditionContext {
  /** Registry resolving the module's ops. */
  readonly registry: OpRegistry;
}

/**
 * A named property of a module that passes can require and ensure. A
 * condition is a plain value: a third party defines one with
 * `defineCondition` and lists it in its passes' `requires` / `ensures`.
 * Conditions are compared by identity, so two conditions with the same name
 * are still different conditions (the pass manager refuses to mix them up).
 */
export interface Condition {
  readonly name: string;
  /** One sentence saying what holds when the condition holds. */
  readonly description: string;
  /** The problems that make the condition fail; empty when it holds. */
  check(module: Module, context: ConditionContext): readonly string[];
}

export function defineCondition(
  name: string,
  description: string,
  check: (module: Module, context: ConditionContext) => readonly string[],
): Condition {
  return Object.freeze({ name, description, check });
}

/** At most `limit` problems, then a line saying how many more there are. */
export function summarizeProblems(problems: readonly string[], limit = 5): string {
  const shown = problems.slice(0, limit).map((p) => `  - ${p}`);
  if (problems.length > limit) shown.push(`  ... and ${problems.length - limit} more`);
  return shown.join('\n');
}
