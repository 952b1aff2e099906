import { defaultRegistry, dialectOf, forEachNode, printModule, type Module, type OpRegistry } from '@rvsdg/ir';
import { summarizeProblems, type Condition } from './condition.js';
import { AnalysisCache, createPassContext, Statistics, type ContextParts, type PassDiagnostic } from './context.js';
import type { Instrumentation } from './instrumentation.js';
import { passesEnsuring, type PassOptions } from './pass.js';
import { flattenPipeline, type AnyPass, type PipelineItem } from './pipeline.js';

/**
 * `RVSDG_CHECK` set to anything but '', '0' or 'false': pipelines run with
 * the default checking or `check: 'output'` (`jit()` included) check their
 * passes' conditions after each pass. Set to '0' or 'false': checking is
 * off by default. Undefined when unset.
 */
export function checkingRequested(env: NodeJS.ProcessEnv = process.env): boolean | undefined {
  const value = env['RVSDG_CHECK'];
  if (value === undefined || value === '') return undefined;
  return value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * Whether ensured conditions are checked after each pass by default:
 * `RVSDG_CHECK` when set, else on except under NODE_ENV=production,
 * matching IR freezing (tests and debugging pay for the checks, production
 * compiles do not).
 */
export function checkingByDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  return checkingRequested(env) ?? env['NODE_ENV'] !== 'production';
}

/**
 * When conditions are checked: after each pass that changed the module
 * (`true`), never (`false`), or once on the pipeline's output (`'output'`:
 * every condition the passes established, against the last module; a
 * failure names no pass, rerun with `true` to find it).
 */
export type CheckMode = boolean | 'output';

export interface RunOptions {
  /**
   * When to check the ensured (and preserved) conditions. Default:
   * `checkingByDefault()`. `RVSDG_CHECK=1` in the environment turns
   * `'output'` into `true`.
   */
  readonly check?: CheckMode;
  /**
   * Conditions the caller vouches for on the input; they are not checked.
   * Conditions the pipeline needs from its input and that are not given are
   * checked on the input before any pass runs.
   */
  readonly given?: readonly Condition[];
  /** Op registry for passes and condition checks. Default: the IR's default registry. */
  readonly registry?: OpRegistry;
  readonly instrumentation?: readonly Instrumentation[];
  /** Reuse analysis results across runs. */
  readonly analyses?: AnalysisCache;
  /** Accumulate statistics across runs. */
  readonly statistics?: Statistics;
}

export interface PassRecord {
  readonly pass: string;
  readonly ms: number;
  /** The pass returned a different module object. */
  readonly changed: boolean;
}

export interface PipelineResult {
  readonly module: Module;
  readonly changed: boolean;
  readonly statistics: Statistics;
  readonly diagnostics: readonly PassDiagnostic[];
  /** One record per pass run, in order. */
  readonly records: readonly PassRecord[];
}

/** Base class of the pass manager's errors: each names the pass concerned. */
export class PipelineError extends Error {
  constructor(
    message: string,
    readonly pass: string,
  ) {
    super(message);
    this.name = 'PipelineError';
  }
}

/** A pass whose requirements are not established was not run. */
export class PassRefusedError extends PipelineError {
  constructor(
    message: string,
    pass: string,
    readonly condition: string,
    /** Passes known to establish the condition. */
    readonly establishers: readonly string[],
  ) {
    super(message, pass);
    this.name = 'PassRefusedError';
  }
}

const maxPrintedLines = 200;

function printForMessage(module: Module): string {
  let text: string;
  try {
    text = printModule(module);
  } catch (error) {
    return `(the module cannot be printed: ${(error as Error).message})`;
  }
  const lines = text.split('\n');
  if (lines.length <= maxPrintedLines) return text;
  return `${lines.slice(0, maxPrintedLines).join('\n')}\n... (${lines.length - maxPrintedLines} more lines; the full text is in error.beforeText)`;
}

/** A pass broke a condition it claims to ensure or preserve. The module before the pass is attached. */
export class ConditionFailedError extends PipelineError {
  constructor(
    pass: string,
    readonly condition: string,
    readonly problems: readonly string[],
    /** The input of the failing pass, to reproduce the failure. */
    readonly before: Module,
    readonly after: Module,
    claim: 'ensure' | 'preserve',
  ) {
    super(
      `pass '${pass}' did not ${claim} condition '${condition}':\n${summarizeProblems(problems)}\n` +
        `module before '${pass}' (run '${pass}' on it to reproduce):\n${printForMessage(before)}`,
      pass,
    );
    this.name = 'ConditionFailedError';
  }

  get beforeText(): string {
    return printModule(this.before);
  }
}

/** The pipeline's output fails a condition its passes established (found by `check: 'output'`). */
export class OutputConditionError extends PipelineError {
  constructor(
    /** The last pass that changed the module. */
    pass: string,
    readonly condition: string,
    readonly problems: readonly string[],
    /** The pipeline's input, to reproduce the failure. */
    readonly before: Module,
    readonly after: Module,
  ) {
    super(
      `the pipeline's output fails condition '${condition}' (established by its passes):\n${summarizeProblems(problems)}\n` +
        `run the pipeline with checking after each pass (option check: true, or RVSDG_CHECK=1) to find the pass that broke it`,
      pass,
    );
    this.name = 'OutputConditionError';
  }
}

/** A pass threw. The module before the pass is attached. */
export class PassCrashedError extends PipelineError {
  constructor(
    pass: string,
    override readonly cause: unknown,
    readonly before: Module,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`pass '${pass}' threw: ${reason}\nmodule before '${pass}':\n${printForMessage(before)}`, pass);
    this.name = 'PassCrashedError';
  }
}

/** A pass created ops of a dialect it does not declare in `introduces`. The module before the pass is attached. */
export class UndeclaredOpsError extends PipelineError {
  constructor(
    pass: string,
    readonly ops: readonly string[],
    readonly introduces: readonly string[],
    readonly before: Module,
    readonly after: Module,
  ) {
    super(
      `pass '${pass}' created ${ops.map((op) => `'${op}'`).join(', ')}, of a dialect it does not declare: ` +
        `it declares introduces: [${introduces.map((d) => `'${d}'`).join(', ')}]; add the dialect there, ` +
        `or leave introduces out if the pass may create ops of any dialect`,
      pass,
    );
    this.name = 'UndeclaredOpsError';
  }
}

function establishersOf(condition: Condition, passes: readonly AnyPass[]): string[] {
  const names = new Set<string>();
  for (const p of passes) if (p.ensures.includes(condition)) names.add(p.name);
  for (const p of passesEnsuring(condition)) names.add(p.name);
  return [...names];
}

function refusal(
  pass: AnyPass,
  index: number,
  condition: Condition,
  why: string,
  passes: readonly AnyPass[],
): PassRefusedError {
  const establishers = establishersOf(condition, passes);
  const hint =
    establishers.length > 0
      ? `run a pass that establishes it first: ${establishers.map((n) => `'${n}'`).join(', ')}`
      : 'no known pass establishes it';
  return new PassRefusedError(
    `pass '${pass.name}' (#${index + 1} in the pipeline) requires condition '${condition.name}' (${condition.description}), ` +
      `which is not established: ${why}; ${hint}`,
    pass.name,
    condition.name,
    establishers,
  );
}

interface Plan {
  readonly passes: readonly AnyPass[];
  /** Conditions the pipeline takes from its input, with the first pass needing each. */
  readonly fromInput: ReadonlyMap<Condition, number>;
}

/**
 * Works out, without running anything, which conditions each pass relies
 * on and where they come from; throws PassRefusedError for a requirement
 * that an earlier pass may have broken and no pass re-established.
 */
export function planPipeline(item: PipelineItem): Plan {
  const passes = flattenPipeline(item);
  const established = new Set<Condition>();
  const fromInput = new Map<Condition, number>();
  passes.forEach((pass, index) => {
    for (const condition of pass.requires) {
      if (established.has(condition)) continue;
      const breaker = passes.slice(0, index).find((p) => !keeps(p, condition));
      if (breaker) {
        const why = `'${breaker.name}' (#${passes.indexOf(breaker) + 1}) neither ensures nor preserves it${
          condition.dialects
            ? ` and may introduce ops of ${breaker.introduces ? breaker.introduces.join(', ') : 'any dialect'}`
            : ''
        }`;
        throw refusal(pass, index, condition, why, passes);
      }
      fromInput.set(condition, index);
      established.add(condition);
    }
    for (const condition of [...established]) {
      if (!keeps(pass, condition)) established.delete(condition);
    }
    for (const condition of pass.ensures) established.add(condition);
  });
  return { passes, fromInput };
}

/** Whether a condition that held before `pass` holds after it: ensured, preserved, or out of reach of what the pass introduces. */
function keeps(pass: AnyPass, condition: Condition): boolean {
  if (pass.ensures.includes(condition) || pass.preserves.includes(condition)) return true;
  const introduces = pass.introduces;
  return (
    condition.dialects !== undefined &&
    introduces !== undefined &&
    !condition.dialects.some((d) => introduces.includes(d))
  );
}

/** The op names used anywhere in a module. */
function opNames(module: Module): Set<string> {
  const names = new Set<string>();
  forEachNode(module, (node) => {
    if (node.kind === 'simple') names.add(node.op);
  });
  return names;
}

/** Ops in `after`, absent from `before`, of a dialect the pass does not declare in `introduces`. */
function undeclaredOps(pass: AnyPass, before: Module, after: Module): string[] {
  const introduces = pass.introduces;
  if (introduces === undefined) return [];
  const had = opNames(before);
  return [...opNames(after)].filter((op) => !had.has(op) && !introduces.includes(dialectOf(op)));
}

/**
 * Runs a pipeline (or a single pass) on a module. Refuses, before running
 * anything, when a requirement is not established; with checking on, stops
 * at the first pass whose output fails a condition it ensures or preserves.
 */
export function runPipeline(item: PipelineItem, module: Module, options: RunOptions = {}): PipelineResult {
  const mode: CheckMode =
    options.check === undefined
      ? checkingByDefault()
      : options.check === 'output' && checkingRequested()
        ? true
        : options.check;
  const check = mode === true;
  const registry = options.registry ?? defaultRegistry;
  const { passes, fromInput } = planPipeline(item);
  const given = new Set(options.given ?? []);
  for (const [condition, index] of fromInput) {
    if (given.has(condition)) continue;
    const problems = condition.check(module, { registry });
    if (problems.length > 0) {
      throw refusal(
        passes[index] as AnyPass,
        index,
        condition,
        `the input does not satisfy it:\n${summarizeProblems(problems)}\n`,
        passes,
      );
    }
  }

  const parts: ContextParts = {
    registry,
    statistics: options.statistics ?? new Statistics(),
    diagnostics: [],
    analyses: options.analyses ?? new AnalysisCache(),
  };
  const instrumentation = options.instrumentation ?? [];
  const records: PassRecord[] = [];
  let established = new Set<Condition>(fromInput.keys());
  let current = module;
  let lastChange: string | undefined;
  passes.forEach((pass, index) => {
    for (const inst of instrumentation) inst.beforePass?.(pass, current, index);
    const before = current;
    const context = createPassContext<PassOptions>(pass.name, pass.options, parts);
    const start = performance.now();
    let after: Module;
    try {
      after = pass.run(before, context);
    } catch (error) {
      throw new PassCrashedError(pass.name, error, before);
    }
    const ms = performance.now() - start;
    const changed = after !== before;
    if (changed) {
      if (check) {
        const undeclared = undeclaredOps(pass, before, after);
        if (undeclared.length > 0)
          throw new UndeclaredOpsError(pass.name, undeclared, pass.introduces ?? [], before, after);
        const claims: [Condition, 'ensure' | 'preserve'][] = [
          ...pass.ensures.map((c): [Condition, 'ensure'] => [c, 'ensure']),
          ...[...established]
            .filter((c) => !pass.ensures.includes(c) && keeps(pass, c))
            .map((c): [Condition, 'preserve'] => [c, 'preserve']),
        ];
        for (const [condition, claim] of claims) {
          const problems = condition.check(after, { registry });
          if (problems.length > 0)
            throw new ConditionFailedError(pass.name, condition.name, problems, before, after, claim);
        }
      }
      established = new Set([...established].filter((c) => keeps(pass, c)));
      for (const c of pass.ensures) established.add(c);
    } else if (check) {
      // An unchanged module keeps what it had, but a pass that claims to ensure something must not skip it.
      for (const condition of pass.ensures) {
        if (established.has(condition)) continue;
        const problems = condition.check(after, { registry });
        if (problems.length > 0)
          throw new ConditionFailedError(pass.name, condition.name, problems, before, after, 'ensure');
        established.add(condition);
      }
    } else {
      for (const c of pass.ensures) established.add(c);
    }
    current = after;
    if (changed) lastChange = pass.name;
    const record: PassRecord = { pass: pass.name, ms, changed };
    records.push(record);
    for (const inst of instrumentation) {
      inst.afterPass?.({ pass, index, before, after, changed, ms, statistics: parts.statistics.of(pass.name) });
    }
  });
  if (mode === 'output' && lastChange !== undefined) {
    for (const condition of established) {
      const problems = condition.check(current, { registry });
      if (problems.length > 0) throw new OutputConditionError(lastChange, condition.name, problems, module, current);
    }
  }
  return {
    module: current,
    changed: current !== module,
    statistics: parts.statistics,
    diagnostics: parts.diagnostics,
    records,
  };
}
