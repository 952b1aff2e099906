import {
  defaultRegistry,
  fn,
  ModuleBuilder,
  stronglyConnectedComponents,
  typeToString,
  type FunctionType,
  type Module,
  type OpRegistry,
  type RegionBuilder,
  type Type,
  type Value,
} from '@rvsdg/ir';
import { COPY_OP, FUNCTION_REF_OP, type Block, type Cfg, type VarName } from './cfg.js';
import { liveness, type Liveness } from './liveness.js';
import { restructureCfg } from './restructure.js';
import { parseStructure, type StructuredSeq } from './structure.js';
import { assertValidCfg } from './validate.js';

export interface CfgToModuleOptions {
  /** Ops the CFGs use; `defaultRegistry` unless given. */
  readonly registry?: OpRegistry;
  /** Names of the CFGs to export, in order; all of them unless given. */
  readonly exports?: readonly string[];
}

/** Maps each variable to its current value while a region is built. */
type Env = Map<VarName, Value>;

interface FunctionContext {
  readonly cfg: Cfg;
  readonly live: Liveness;
  readonly functions: ReadonlyMap<string, Value>;
  readonly stateVars: ReadonlySet<VarName>;
  readonly order: ReadonlyMap<VarName, number>;
}

function typeOfVar(cfg: Cfg, name: VarName): Type {
  return cfg.variables.get(name) as Type;
}

function read(ctx: FunctionContext, r: RegionBuilder, env: Env, name: VarName): Value {
  const v = env.get(name);
  if (v) return v;
  // Read before any assignment on this path: never observed, so undef.
  const u = r.undef(typeOfVar(ctx.cfg, name));
  env.set(name, u);
  return u;
}

/** Variables in `cfg.variables` order, without duplicates. */
function ordered(ctx: FunctionContext, names: Iterable<VarName>): VarName[] {
  return [...new Set(names)].sort((a, b) => (ctx.order.get(a) as number) - (ctx.order.get(b) as number));
}

function stateInEnv(ctx: FunctionContext, env: Env): VarName[] {
  return [...env.keys()].filter((v) => ctx.stateVars.has(v));
}

function assign(ctx: FunctionContext, env: Env, name: VarName, value: Value, op: string): void {
  const declared = typeOfVar(ctx.cfg, name);
  if (value.type !== declared) {
    throw new Error(
      `CFG '${ctx.cfg.name}': variable '${name}' is declared ${typeToString(declared)} but '${op}' assigns it a ${typeToString(value.type)}`,
    );
  }
  env.set(name, value);
}

function buildInstructions(ctx: FunctionContext, r: RegionBuilder, env: Env, block: Block): void {
  for (const ins of block.instructions) {
    if (ins.op === FUNCTION_REF_OP) {
      const target = ins.attrs?.['name'] as string;
      const value = ctx.functions.get(target);
      if (!value) throw new Error(`CFG '${ctx.cfg.name}': cfg.ref to '${target}', which is not compiled with it`);
      assign(ctx, env, ins.results[0] as VarName, value, ins.op);
      continue;
    }
    if (ins.op === COPY_OP) {
      const source = ins.args[0] as VarName;
      const value = read(ctx, r, env, source);
      // A state value has one use: copying it moves it to the new name.
      if (ctx.stateVars.has(source)) env.delete(source);
      assign(ctx, env, ins.results[0] as VarName, value, ins.op);
      continue;
    }
    const outs = r.op(
      ins.op,
      ins.args.map((a) => read(ctx, r, env, a)),
      ins.attrs ?? {},
      ins.loc,
    );
    if (outs.length !== ins.results.length) {
      throw new Error(
        `CFG '${ctx.cfg.name}', block '${block.id}': '${ins.op}' has ${outs.length} result(s), the instruction names ${ins.results.length}`,
      );
    }
    // A state value an op consumed without its variable being reassigned is gone (state is used once).
    for (const a of ins.args) if (ctx.stateVars.has(a) && !ins.results.includes(a)) env.delete(a);
    ins.results.forEach((res, i) => assign(ctx, env, res, outs[i] as Value, ins.op));
  }
}

/**
 * Builds a structured sequence into region `r`; returns the function's
 * results when the sequence ends with the return. Recursion here follows
 * the nesting of gammas and thetas (the builder builds nested regions
 * through callbacks), not the number of blocks.
 */
function buildSeq(ctx: FunctionContext, r: RegionBuilder, env: Env, seq: StructuredSeq): Value[] | undefined {
  for (const item of seq) {
    switch (item.kind) {
      case 'block':
        buildInstructions(ctx, r, env, item.block);
        break;
      case 'return': {
        const t = item.block.terminator;
        if (t.kind !== 'return') throw new Error('return item without a return terminator');
        return t.values.map((v) => read(ctx, r, env, v));
      }
      case 'branch': {
        if (item.arms.every((arm) => arm.length === 0)) break;
        const t = item.block.terminator;
        if (t.kind !== 'branch' && t.kind !== 'switch')
          throw new Error(`block '${item.block.id}' branches without a branch or switch`);
        const selector = read(ctx, r, env, t.kind === 'branch' ? t.cond : t.value);
        const predicate = r.match(selector, t.targets.length);
        const entry = ordered(ctx, [
          ...ctx.live.liveOut(item.block.id).filter((v) => env.has(v)),
          ...stateInEnv(ctx, env),
        ]);
        const exits = ordered(ctx, [...ctx.live.liveIn(item.join), ...entry.filter((v) => ctx.stateVars.has(v))]);
        const outs = r.gamma(
          predicate,
          item.arms.map((arm) => (inner: RegionBuilder, args: Value[]) => {
            const armEnv: Env = new Map(entry.map((v, i) => [v, args[i] as Value]));
            buildSeq(ctx, inner, armEnv, arm);
            return exits.map((v) => read(ctx, inner, armEnv, v));
          }),
          entry.map((v) => env.get(v) as Value),
        );
        for (const v of entry) if (ctx.stateVars.has(v)) env.delete(v);
        exits.forEach((v, i) => env.set(v, outs[i] as Value));
        break;
      }
      case 'loop': {
        const t = item.tail.terminator;
        if (t.kind !== 'branch') throw new Error(`loop tail '${item.tail.id}' does not end with a branch`);
        const vars = ordered(ctx, [
          ...ctx.live.liveIn(item.header),
          ...ctx.live.liveIn(item.exit),
          ...stateInEnv(ctx, env),
        ]);
        const initial = vars.map((v) => read(ctx, r, env, v));
        const outs = r.theta(initial, (inner, args) => {
          const bodyEnv: Env = new Map(vars.map((v, i) => [v, args[i] as Value]));
          buildSeq(ctx, inner, bodyEnv, item.body);
          const repeat = inner.match(read(ctx, inner, bodyEnv, t.cond), 2);
          return { repeat, next: vars.map((v) => read(ctx, inner, bodyEnv, v)) };
        });
        vars.forEach((v, i) => env.set(v, outs[i] as Value));
        break;
      }
    }
  }
  return undefined;
}

function functionType(cfg: Cfg): FunctionType {
  return fn(
    cfg.params.map((p) => typeOfVar(cfg, p)),
    cfg.results,
  );
}

function buildLambda(
  r: RegionBuilder,
  cfg: Cfg,
  structured: StructuredSeq,
  functions: ReadonlyMap<string, Value>,
): Value {
  const ctx: FunctionContext = {
    cfg,
    live: liveness(cfg),
    functions,
    stateVars: new Set([...cfg.variables].filter(([, t]) => t.kind === 'state').map(([v]) => v)),
    order: new Map([...cfg.variables.keys()].map((v, i) => [v, i])),
  };
  const params = cfg.params.map((p) => typeOfVar(cfg, p));
  try {
    return r.lambda(cfg.name, params, (inner, args) => {
      const env: Env = new Map(cfg.params.map((p, i) => [p, args[i] as Value]));
      const results = buildSeq(ctx, inner, env, structured);
      if (!results) throw new Error(`CFG '${cfg.name}': the structured function does not end in a return`);
      return results;
    });
  } catch (e) {
    if (e instanceof RangeError && /call stack/.test(e.message)) {
      throw new Error(
        `CFG '${cfg.name}': its control flow nests gammas and thetas too deeply for the RVSDG builder, which recurses once per level (for example thousands of early returns in sequence, each nesting the rest of the function)`,
        { cause: e },
      );
    }
    throw e;
  }
}

/** Names of the CFGs that `cfg` refers to with `cfg.ref`. */
function references(cfg: Cfg): Set<string> {
  const out = new Set<string>();
  for (const block of cfg.blocks.values()) {
    for (const ins of block.instructions) if (ins.op === FUNCTION_REF_OP) out.add(ins.attrs?.['name'] as string);
  }
  return out;
}

/**
 * Compiles CFGs to one RVSDG module: each CFG is restructured
 * (restructureCfg) and becomes a lambda whose gammas and thetas follow the
 * structure; variables become values, routed by demand (liveness): a
 * gamma's entry variables are those live after the branch, its exit
 * variables those live at the join; a theta's loop variables are those live
 * at the loop header or at its exit, starting as `undef` when not assigned
 * before the loop. State variables in scope are always threaded through
 * gammas and thetas, so each state value is used exactly once. CFGs that
 * refer to each other through `cfg.ref` (recursion, mutual recursion) are
 * defined together in a phi node; the others are plain lambdas, callees first.
 */
export function cfgToModule(cfgs: readonly Cfg[], options: CfgToModuleOptions = {}): Module {
  const registry = options.registry ?? defaultRegistry;
  const byName = new Map<string, Cfg>();
  for (const cfg of cfgs) {
    if (byName.has(cfg.name)) throw new Error(`two CFGs are named '${cfg.name}'`);
    byName.set(cfg.name, cfg);
  }
  const names = [...byName.keys()];
  for (const cfg of cfgs) assertValidCfg(cfg, { registry, functions: new Set(names) });
  const structured = new Map<string, { cfg: Cfg; body: StructuredSeq }>();
  for (const cfg of cfgs) {
    const restructured = restructureCfg(cfg);
    const parsed = parseStructure(restructured);
    if (!parsed.ok)
      throw new Error(`restructuring '${cfg.name}' did not give structured control flow: ${parsed.reason}`);
    structured.set(cfg.name, { cfg: restructured, body: parsed.body });
  }

  const refs = names.map((n) => [...references(byName.get(n) as Cfg)].map((m) => names.indexOf(m)));
  const components = stronglyConnectedComponents(names.length, {
    count: (n) => (refs[n] as number[]).length,
    target: (n, i) => (refs[n] as number[])[i] as number,
  });
  const builder = new ModuleBuilder({ registry });
  const functions = new Map<string, Value>();
  for (const component of components) {
    const members = component.map((i) => structured.get(names[i] as string) as { cfg: Cfg; body: StructuredSeq });
    const only = component[0] as number;
    const recursive = component.length > 1 || (refs[only] as number[]).includes(only);
    if (!recursive) {
      const { cfg, body } = members[0] as { cfg: Cfg; body: StructuredSeq };
      functions.set(cfg.name, buildLambda(builder.root, cfg, body, functions));
      continue;
    }
    const outs = builder.phi(
      members.map(({ cfg }) => functionType(cfg)),
      (region, recursion) => {
        const scope = new Map(functions);
        members.forEach(({ cfg }, i) => scope.set(cfg.name, recursion[i] as Value));
        return members.map(({ cfg, body }) => buildLambda(region, cfg, body, scope));
      },
    );
    members.forEach(({ cfg }, i) => functions.set(cfg.name, outs[i] as Value));
  }
  for (const name of options.exports ?? names) {
    const value = functions.get(name);
    if (!value) throw new Error(`cannot export '${name}': no CFG has that name`);
    builder.export(name, value);
  }
  return builder.build();
}
