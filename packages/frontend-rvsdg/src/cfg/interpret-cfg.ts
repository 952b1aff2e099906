import {
  defaultRegistry,
  fn,
  OpError,
  zeroValue,
  type EvalContext,
  type FunctionType,
  type FunctionValue,
  type IRValue,
  type OpDef,
  type OpInstance,
  type OpRegistry,
  type Type,
} from '@rvsdg/ir';
import { COPY_OP, FUNCTION_REF_OP, isSynthetic, type Block, type Cfg, type Instruction } from './cfg.js';
import { assertValidCfg } from './validate.js';

/** One observable step of a run: a variable assignment or the successor a block's branch or switch chose. */
export type TraceEvent =
  | { readonly kind: 'assign'; readonly fn: string; readonly variable: string; readonly value: IRValue }
  | { readonly kind: 'branch'; readonly fn: string; readonly block: string; readonly successor: number };

export interface CfgRun {
  /** The returned values; undefined when the run ran out of fuel or threw. */
  readonly results: readonly IRValue[] | undefined;
  readonly trace: readonly TraceEvent[];
  /** True when the run stopped because the fuel was used up. */
  readonly outOfFuel: boolean;
  /** The program error (an op's OpError) that ended the run, if any. */
  readonly error?: OpError;
}

export interface InterpretCfgOptions {
  /** Ops' meanings; `defaultRegistry` unless given. */
  readonly registry?: OpRegistry;
  /**
   * How many blocks not introduced by restructuring may run (calls included)
   * before the run stops; the same fuel gives the same trace prefix before
   * and after restructuring. Default 1,000,000.
   */
  readonly fuel?: number;
  /** Also record assignments to and branches in synthetic variables and blocks. */
  readonly traceSynthetic?: boolean;
}

class OutOfFuel extends Error {}

interface CompiledInstruction {
  readonly ins: Instruction;
  readonly def: OpDef | undefined;
  readonly instance: OpInstance;
  readonly traced: readonly boolean[];
}

interface CompiledBlock {
  readonly block: Block;
  readonly synthetic: boolean;
  readonly instructions: readonly CompiledInstruction[];
}

interface CompiledCfg {
  readonly cfg: Cfg;
  readonly type: FunctionType;
  readonly blocks: ReadonlyMap<string, CompiledBlock>;
}

interface Run {
  readonly registry: OpRegistry;
  readonly cfgs: ReadonlyMap<string, CompiledCfg>;
  readonly trace: TraceEvent[];
  readonly traceSynthetic: boolean;
  fuel: number;
  syntheticSteps: number;
  readonly syntheticLimit: number;
  readonly functions: Map<string, FunctionValue>;
}

function varType(cfg: Cfg, name: string): Type {
  const t = cfg.variables.get(name);
  if (!t) throw new Error(`CFG '${cfg.name}': variable '${name}' is not declared`);
  return t;
}

function compile(cfg: Cfg, registry: OpRegistry, traceSynthetic: boolean): CompiledCfg {
  const blocks = new Map<string, CompiledBlock>();
  for (const [id, block] of cfg.blocks) {
    const instructions = block.instructions.map((ins): CompiledInstruction => {
      const operandTypes = ins.args.map((a) => varType(cfg, a));
      const declared = ins.results.map((r) => varType(cfg, r));
      let def: OpDef | undefined;
      let resultTypes: readonly Type[] = declared;
      if (ins.op !== FUNCTION_REF_OP && ins.op !== COPY_OP) {
        def = registry.get(ins.op);
        if (!def) throw new Error(`CFG '${cfg.name}', block '${id}': op '${ins.op}' is not registered`);
        const typed = def.typeOf(operandTypes, ins.attrs ?? {});
        // Declared variable types win, except where they are still unknown.
        if (typeof typed !== 'string')
          resultTypes = declared.map((t, i) => (t.kind === 'unknown' ? (typed[i] ?? t) : t));
      }
      return {
        ins,
        def,
        instance: { attrs: ins.attrs ?? {}, operandTypes, resultTypes },
        traced: ins.results.map((r) => traceSynthetic || !isSynthetic(r)),
      };
    });
    blocks.set(id, { block, synthetic: isSynthetic(id), instructions });
  }
  const type = fn(
    cfg.params.map((p) => varType(cfg, p)),
    cfg.results,
  );
  return { cfg, type, blocks };
}

function functionValue(run: Run, name: string): FunctionValue {
  const known = run.functions.get(name);
  if (known) return known;
  const target = run.cfgs.get(name);
  if (!target) throw new Error(`cfg.ref: no CFG named '${name}'`);
  const value: FunctionValue = {
    kind: 'function',
    name,
    type: target.type,
    invoke: (args) => execute(run, target, args),
  };
  run.functions.set(name, value);
  return value;
}

function execute(run: Run, compiled: CompiledCfg, args: readonly IRValue[]): readonly IRValue[] {
  const { cfg } = compiled;
  if (args.length !== cfg.params.length) {
    throw new Error(`'${cfg.name}' takes ${cfg.params.length} argument(s), got ${args.length}`);
  }
  const env = new Map<string, IRValue>();
  const read = (name: string): IRValue => (env.has(name) ? env.get(name) : zeroValue(varType(cfg, name)));
  const context: EvalContext = { call: (callee, callArgs) => callee.invoke(callArgs) };
  cfg.params.forEach((p, i) => {
    env.set(p, args[i]);
    if (run.traceSynthetic || !isSynthetic(p))
      run.trace.push({ kind: 'assign', fn: cfg.name, variable: p, value: args[i] });
  });
  let current = cfg.entry;
  for (;;) {
    const block = compiled.blocks.get(current);
    if (!block) throw new Error(`CFG '${cfg.name}': block '${current}' does not exist`);
    if (block.synthetic) {
      if (++run.syntheticSteps > run.syntheticLimit) {
        throw new Error(
          `CFG '${cfg.name}': synthetic blocks ran ${run.syntheticSteps} times, a cycle of synthetic blocks only`,
        );
      }
    } else if (run.fuel-- <= 0) {
      throw new OutOfFuel();
    }
    for (const ci of block.instructions) {
      const { ins } = ci;
      let values: readonly IRValue[];
      if (ins.op === FUNCTION_REF_OP) values = [functionValue(run, ins.attrs?.['name'] as string)];
      else if (ins.op === COPY_OP) values = [read(ins.args[0] as string)];
      else {
        const operands = ins.args.map(read);
        values = (ci.def as OpDef).evaluate(operands, ci.instance, ins.loc ? { ...context, loc: ins.loc } : context);
      }
      if (values.length !== ins.results.length) {
        throw new Error(
          `CFG '${cfg.name}', block '${current}': op '${ins.op}' gave ${values.length} value(s) for ${ins.results.length} result(s)`,
        );
      }
      ins.results.forEach((r, i) => {
        env.set(r, values[i]);
        if (ci.traced[i]) run.trace.push({ kind: 'assign', fn: cfg.name, variable: r, value: values[i] });
      });
    }
    const t = block.block.terminator;
    let successor: number;
    switch (t.kind) {
      case 'return':
        return t.values.map(read);
      case 'jump':
        current = t.target;
        continue;
      case 'branch':
        successor = read(t.cond) ? 1 : 0;
        current = t.targets[successor] as string;
        break;
      case 'switch': {
        const v = read(t.value);
        const n = t.targets.length;
        const k = typeof v === 'bigint' ? (v >= 0n && v < BigInt(n) ? Number(v) : n - 1) : Number(v);
        successor = Number.isInteger(k) && k >= 0 && k < n ? k : n - 1;
        current = t.targets[successor] as string;
        break;
      }
    }
    if (run.traceSynthetic || !block.synthetic)
      run.trace.push({ kind: 'branch', fn: cfg.name, block: block.block.id, successor });
  }
}

/**
 * Runs the CFG named `name` (one of `cfgs`) on `args`, giving its results and
 * the trace of every assignment and branch decision. Ops mean what the
 * registry's `evaluate` says; `cfg.ref` yields a callable function value of
 * another CFG; a variable read before any assignment holds the zero value of
 * its type (what `undef` is when interpreted).
 */
export function interpretCfg(
  cfgs: Cfg | readonly Cfg[],
  name: string,
  args: readonly IRValue[],
  options: InterpretCfgOptions = {},
): CfgRun {
  const list: readonly Cfg[] = Array.isArray(cfgs) ? cfgs : [cfgs as Cfg];
  const registry = options.registry ?? defaultRegistry;
  const traceSynthetic = options.traceSynthetic ?? false;
  const functions = new Set(list.map((c) => c.name));
  const compiled = new Map<string, CompiledCfg>();
  for (const cfg of list) {
    assertValidCfg(cfg, { registry, functions });
    compiled.set(cfg.name, compile(cfg, registry, traceSynthetic));
  }
  const target = compiled.get(name);
  if (!target) throw new Error(`no CFG named '${name}' (have: ${[...functions].join(', ')})`);
  const fuel = options.fuel ?? 1_000_000;
  const run: Run = {
    registry,
    cfgs: compiled,
    trace: [],
    traceSynthetic,
    fuel,
    syntheticSteps: 0,
    syntheticLimit: 64 * fuel + 10_000,
    functions: new Map(),
  };
  try {
    return { results: execute(run, target, args), trace: run.trace, outOfFuel: false };
  } catch (e) {
    if (e instanceof OutOfFuel) return { results: undefined, trace: run.trace, outOfFuel: true };
    if (e instanceof OpError) return { results: undefined, trace: run.trace, outOfFuel: false, error: e };
    throw e;
  }
}
