import {
  FuelExhausted,
  defaultRegistry,
  InterpreterError,
  describeValue,
  formatDiagnostic,
  interpret,
  isTypedArray,
  printModule,
  verify,
  type IRValue,
  type Module,
  type OpRegistry,
} from '@rvsdg/ir';
import { arbArgsFor, arbModule, cloneArgs, generatedFuel, type ModuleGenOptions } from '@rvsdg/ir/testing';
import fc from 'fast-check';
import { summarizeProblems } from '../manager/condition.js';
import { runPipeline } from '../manager/pass-manager.js';
import { flattenPipeline, type PipelineItem } from '../manager/pipeline.js';

export interface CheckPassOptions {
  /** Generated modules to test (default 100). Modules not meeting the requirements do not count. */
  readonly numRuns?: number;
  /** Seed for a reproducible run. */
  readonly seed?: number;
  /** Options of the module generator. */
  readonly generator?: ModuleGenOptions;
  /** Modules to test instead of the IR's generator (fuel then defaults to `fuel`). */
  readonly modules?: fc.Arbitrary<Module>;
  /** Argument tuples tried per export (default 2). */
  readonly argsPerExport?: number;
  /** Interpreter fuel for modules the generator did not bound (default 100000). */
  readonly fuel?: number;
  /** Passes run first to establish requirements the generated modules lack (e.g. `dne`). */
  readonly prepare?: PipelineItem;
  /** The ops of the modules (also given to the generator, `prepare` and the interpreter). */
  readonly registry?: OpRegistry;
  /**
   * Accept a run in which the pass changed no module. By default that fails:
   * a pass that never fires was not tested.
   */
  readonly allowNoChange?: boolean;
}

export interface CheckPassReport {
  /** Modules the pass was tested on. */
  readonly modules: number;
  /** Modules on which the pass changed something. */
  readonly changed: number;
  /** Calls compared between input and output. */
  readonly calls: number;
}

/** A pass failed its property; the message holds the shrunk counterexample in text form. */
export class PassCheckError extends Error {
  constructor(
    message: string,
    /** The shrunk module the pass was run on. */
    readonly module: Module | undefined,
  ) {
    super(message);
    this.name = 'PassCheckError';
  }
}

interface Call {
  readonly exportName: string;
  readonly args: readonly IRValue[];
}

interface Case {
  readonly module: Module;
  readonly calls: readonly Call[];
}

type Outcome =
  | { readonly kind: 'returned'; readonly values: readonly IRValue[]; readonly args: readonly IRValue[] }
  | { readonly kind: 'threw'; readonly error: string }
  | { readonly kind: 'out-of-fuel' };

function run(module: Module, call: Call, fuel: number, registry: OpRegistry | undefined): Outcome {
  const args = cloneArgs(call.args);
  try {
    const values = interpret(module, call.exportName, args, registry ? { fuel, registry } : { fuel });
    return { kind: 'returned', values, args };
  } catch (error) {
    if (error instanceof FuelExhausted) return { kind: 'out-of-fuel' };
    // Without the line: a pass may merge equal nodes of different lines, and any of them may report.
    if (error instanceof InterpreterError) return { kind: 'threw', error: `${error.errorName}: ${error.reason}` };
    throw error;
  }
}

function sameValue(a: IRValue, b: IRValue): boolean {
  if (isTypedArray(a) || isTypedArray(b)) {
    if (!isTypedArray(a) || !isTypedArray(b) || a.constructor !== b.constructor || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = a as readonly IRValue[];
    const y = b as readonly IRValue[];
    return Array.isArray(a) && Array.isArray(b) && x.length === y.length && x.every((v, i) => sameValue(v, y[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    // State tokens and function values: same kind is all that can be observed.
    return (a as { kind: string }).kind === (b as { kind: string }).kind;
  }
  return Object.is(a, b);
}

function showValues(values: readonly IRValue[]): string {
  return `(${values.map((v) => (isTypedArray(v) ? `[${Array.from(v as ArrayLike<unknown>, String).join(', ')}]` : describeValue(v))).join(', ')})`;
}

function showOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'returned':
      return `returned ${showValues(outcome.values)}, arguments afterwards ${showValues(outcome.args)}`;
    case 'threw':
      return `threw ${outcome.error}`;
    case 'out-of-fuel':
      return 'ran out of fuel';
  }
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.kind === 'returned' && b.kind === 'returned') {
    return (
      a.values.length === b.values.length &&
      a.values.every((v, i) => sameValue(v, b.values[i])) &&
      a.args.every((v, i) => sameValue(v, b.args[i]))
    );
  }
  if (a.kind === 'threw' && b.kind === 'threw') return a.error === b.error;
  return false;
}

function arbCase(options: CheckPassOptions): fc.Arbitrary<Case> {
  const generator = options.registry ? { registry: options.registry, ...options.generator } : options.generator;
  const modules = options.modules ?? arbModule(generator);
  const perExport = options.argsPerExport ?? 2;
  return modules.chain((module) => {
    const callable = module.exports.filter((name) => {
      try {
        arbArgsFor(module, name);
        return true;
      } catch {
        return false;
      }
    });
    const calls = callable.map((name) =>
      fc
        .array(arbArgsFor(module, name), { minLength: 1, maxLength: perExport })
        .map((list) => list.map((args) => ({ exportName: name, args }))),
    );
    return fc.tuple(...calls).map((lists) => ({ module, calls: lists.flat() }));
  });
}

/** Thrown inside the property for a module that does not meet the requirements (it is skipped). */
class NotApplicable extends Error {}

/**
 * The property every pass must have: for generated modules satisfying the
 * pass's requirements, the output verifies, satisfies every condition the
 * pass ensures (and those it preserves), and the interpreter gives the same
 * results (return values, contents of array arguments afterwards, or the
 * same thrown error) on generated arguments. Throws a PassCheckError whose
 * message holds the shrunk counterexample printed in the IR text format.
 */
export function checkPass(item: PipelineItem, options: CheckPassOptions = {}): CheckPassReport {
  const registry = options.registry;
  const passes = flattenPipeline(item);
  const first = passes[0];
  const requires = first ? first.requires : [];
  const defaultFuel = options.fuel ?? 100_000;
  let modules = 0;
  let changed = 0;
  let calls = 0;
  let skipped = 0;
  let lastFailure = '';

  const prepare = (module: Module): Module =>
    options.prepare
      ? runPipeline(options.prepare, module, registry ? { check: true, registry } : { check: true }).module
      : module;

  const property = (c: Case): boolean => {
    const input = prepare(c.module);
    const fuel = generatedFuel(c.module) ?? defaultFuel;
    const context = { registry: registry ?? defaultRegistry };
    for (const condition of requires) {
      if (condition.check(input, context).length > 0) throw new NotApplicable(condition.name);
    }
    const fail = (message: string): false => {
      lastFailure = message;
      return false;
    };
    let output: Module;
    try {
      output = runPipeline(item, input, { check: true, given: requires, ...(registry ? { registry } : {}) }).module;
    } catch (error) {
      return fail((error as Error).message);
    }
    const diagnostics = verify(output, registry ? { registry } : {});
    if (diagnostics.length > 0)
      return fail(`the output does not verify:\n${summarizeProblems(diagnostics.map(formatDiagnostic))}`);
    modules++;
    if (output !== input) changed++;
    for (const call of c.calls) {
      const before = run(input, call, fuel, registry);
      if (before.kind === 'out-of-fuel') continue;
      const after = run(output, call, fuel * 4 + 10_000, registry);
      calls++;
      if (!sameOutcome(before, after)) {
        let printedOutput: string;
        try {
          printedOutput = printModule(output);
        } catch (error) {
          printedOutput = `(cannot print: ${(error as Error).message})`;
        }
        return fail(
          `${call.exportName}${showValues(call.args)} ${showOutcome(before)} before the pass but ${showOutcome(after)} after it\n` +
            `output of the pass:\n${printedOutput}`,
        );
      }
    }
    return true;
  };

  const details = fc.check(
    fc.property(arbCase(options), (c) => {
      try {
        return property(c);
      } catch (error) {
        if (error instanceof NotApplicable) {
          skipped++;
          fc.pre(false);
        }
        throw error;
      }
    }),
    {
      numRuns: options.numRuns ?? 100,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      maxSkipsPerRun: 10,
    },
  );
  if (details.failed) {
    const counterexample = details.counterexample?.[0];
    const name = passes.map((p) => p.name).join(',');
    if (!counterexample) {
      throw new PassCheckError(
        `checkPass(${name}) failed: ${String(details.errorInstance ?? 'too many modules skipped')}`,
        undefined,
      );
    }
    // Re-run the shrunk case so the message describes it, not the last case tried while shrinking.
    let reason: string;
    try {
      reason = property(counterexample) ? '(the failure did not reproduce)' : lastFailure;
    } catch (error) {
      reason = `the check threw: ${(error as Error).stack ?? String(error)}`;
    }
    throw new PassCheckError(
      `checkPass(${name}) failed after ${details.numRuns} run(s) (seed ${details.seed}), ` +
        `shrunk ${details.numShrinks} time(s).\n${reason}\n` +
        `module before the pass:\n${printModule(prepare(counterexample.module))}`,
      counterexample.module,
    );
  }
  if (details.numSkips > 0 && modules === 0) {
    throw new PassCheckError(`checkPass: no generated module met the requirements (${skipped} skipped)`, undefined);
  }
  if (changed === 0 && modules > 0 && !options.allowNoChange) {
    const name = passes.map((p) => p.name).join(',');
    throw new PassCheckError(
      `checkPass(${name}) tested nothing: the pass changed none of the ${modules} module(s) it ran on. ` +
        'Make the generator produce what the pass rewrites (generator: { constants: [2, 0, 1, -1] } ' +
        'prefers those constants, generator: { ops: [...] } adds custom ops), give modules: of your own, ' +
        'or pass allowNoChange: true if not firing is what this check is about.',
      undefined,
    );
  }
  return { modules, changed, calls };
}
