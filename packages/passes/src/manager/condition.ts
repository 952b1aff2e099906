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
  /**
   * The dialects whose new ops are the only thing that can make the
   * condition false (for example `['loopy']` for "no loopy.clamp is left").
   * A pass that declares `introduces` without any of them keeps the
   * condition without listing it in `preserves`. Absent: any change may
   * break it, and only passes that ensure or preserve it keep it.
   */
  readonly dialects?: readonly string[];
  /** The problems that make the condition fail; empty when it holds. */
  check(module: Module, context: ConditionContext): readonly string[];
}

export interface ConditionOptions {
  /** See `Condition.dialects`. */
  readonly dialects?: readonly string[];
}

export function defineCondition(
  name: string,
  description: string,
  check: (module: Module, context: ConditionContext) => readonly string[],
  options: ConditionOptions = {},
): Condition {
  const dialects = options.dialects ? { dialects: Object.freeze([...options.dialects]) } : {};
  return Object.freeze({ name, description, ...dialects, check });
}

/** At most `limit` problems, then a line saying how many more there are. */
export function summarizeProblems(problems: readonly string[], limit = 5): string {
  const shown = problems.slice(0, limit).map((p) => `  - ${p}`);
  if (problems.length > limit) shown.push(`  ... and ${problems.length - limit} more`);
  return shown.join('\n');
}
