import fc from 'fast-check';
import { ModuleBuilder, type RegionBuilder, type Value } from '../builder/builder.js';
import type { SourceLoc } from '../nodes/loc.js';
import type { Module } from '../nodes/module.js';
import { originType } from '../nodes/region.js';
import type { Origin } from '../nodes/origin.js';
import type { AttrValue } from '../nodes/simple.js';
import { defaultRegistry } from '../ops/default-registry.js';
import type { OpSample } from '../ops/op.js';
import type { OpRegistry } from '../ops/registry.js';
import {
  array,
  bool,
  f64,
  fn,
  i32,
  i64,
  mem,
  typeToString,
  type ArrayType,
  type ScalarType,
  type Type,
} from '../types/type.js';
import {
  ioToken,
  isTypedArray,
  memToken,
  typedArrayConstructor,
  type AnyTypedArray,
  type Value as IRValue,
} from '../interpreter/value.js';

/**
 * Generators of valid modules for property tests. A module is built by the
 * ModuleBuilder from a fixed-length sequence of random numbers ("choices"):
 * every decision reads the next number, and a number of 0 always means the
 * simplest option (stop, a constant, no nesting). fast-check shrinks the
 * sequence towards zeros, so a failing module shrinks towards a small one.
 *
 * Termination is by construction: every theta counts an i32 from 0 to a
 * constant trip count, recursion goes through a phi whose functions stop at
 * depth <= 0 and recurse with depth - 1 from a depth the caller bounds by a
 * constant. The generator also counts an upper bound of the interpreter's
 * steps (`generatedFuel`), so a test can run with exactly that fuel.
 */

export interface ModuleGenOptions {
  /** Top-level functions: plain lambdas and phis of recursive ones (default 3). */
  readonly maxFunctions?: number;
  /** Actions (nodes or nested structures) per region (default 8). */
  readonly maxNodesPerRegion?: number;
  /** Nesting depth of gammas and thetas (default 3). */
  readonly maxDepth?: number;
  /** Largest theta trip count (default 4). */
  readonly maxTrips?: number;
  /** Largest depth a recursive function is entered with (default 4). */
  readonly maxRecursionDepth?: number;
  /** Functions taking a Float64Array or Int32Array and a memory state (default true). */
  readonly arrays?: boolean;
  /** Recursive functions through phi (default true). */
  readonly recursion?: boolean;
  /** Deliberate program errors: out-of-range indices, checked overflow, raise (default true). */
  readonly errors?: boolean;
  /** Interpreter steps a call of any export may take, roughly (default 20000). */
  readonly maxCost?: number;
  /** Length of the choice sequence (default 600); longer allows larger modules. */
  readonly choices?: number;
  /**
   * Constants to prefer, e.g. `[2, 0, 1, -1]` for a pass that rewrites
   * `x * 2`: about a third of the constants of each type are taken from
   * this list (converted to the type where the value fits it exactly), and
   * operands are often fresh preferred constants. Default none.
   */
  readonly constants?: readonly (number | bigint | boolean)[];
  /**
   * Custom ops to generate besides the built-in ones (their registry goes in
   * `registry`). Default: every op of `registry` outside the default
   * registry's dialects, with each of its `generate` samples.
   */
  readonly ops?: readonly GeneratedOp[];
  /** The registry that defines the custom ops (default: the default registry). */
  readonly registry?: OpRegistry;
}

/** A custom op the generator may emit, so a pass over a third party's dialect is tested on it. */
export interface GeneratedOp extends OpSample {
  readonly name: string;
}

type Resolved = Required<Omit<ModuleGenOptions, 'registry'>> & {
  readonly registry: OpRegistry;
  /** The preferred constants by type, converted. */
  readonly preferred: ReadonlyMap<ScalarType, readonly (number | bigint | boolean)[]>;
};

const defaults: Required<Omit<ModuleGenOptions, 'registry'>> = {
  maxFunctions: 3,
  maxNodesPerRegion: 8,
  maxDepth: 3,
  maxTrips: 4,
  maxRecursionDepth: 4,
  arrays: true,
  recursion: true,
  errors: true,
  maxCost: 20_000,
  choices: 600,
  constants: [],
  ops: [],
};

const scalarTypes: readonly ScalarType[] = [i32, f64, i64, bool];
const numeric: readonly ScalarType[] = [i32, i64, f64];
const intOrBool: readonly ScalarType[] = [i32, i64, bool];
const integers: readonly ScalarType[] = [i32, i64];
const floats: readonly ScalarType[] = [f64];

/** Constants worth testing: the edges of each representation, and small ones passes like to match (2 for x * 2). */
const edgeConstants: ReadonlyMap<ScalarType, readonly (number | bigint | boolean)[]> = new Map<
  ScalarType,
  readonly (number | bigint | boolean)[]
>([
  [i32, [0, 1, -1, 2, 7, -(2 ** 31), 2 ** 31 - 1, 255, -128, 65535]],
  [
    i64,
    [0n, 1n, -1n, 2n, 3n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 32n - 1n, 2n ** 31n],
  ],
  [
    f64,
    [
      0,
      1,
      -1,
      2,
      0.5,
      -1.5,
      -0,
      NaN,
      Infinity,
      -Infinity,
      2 ** 53 + 2,
      2 ** 53 - 1,
      2 ** 32 - 1,
      -(2 ** 31),
      1e308,
      5e-324,
      0.1,
    ],
  ],
  [bool, [false, true]],
]);

/** Operands of `x op c` without preferred constants; 2 (x * 2, x / 2) comes up most. */
const smallConstants: ReadonlyMap<ScalarType, readonly (number | bigint | boolean)[]> = new Map<
  ScalarType,
  readonly (number | bigint | boolean)[]
>([
  [i32, [2, 1, 2, -1, 0, 3, 4, 8, 16]],
  [i64, [2n, 1n, 2n, -1n, 0n, 3n, 4n, 8n, 16n]],
  [f64, [2, 1, 2, -1, 0, 0.5, 3, 10, -0]],
  [bool, [true, false]],
]);

/** Add, sub and mul come twice: they are the most common ops in programs, and the most rewritten. */
const binaryOps: readonly (readonly [string, readonly ScalarType[]])[] = [
  ['arith.add', numeric],
  ['arith.sub', numeric],
  ['arith.mul', numeric],
  ['arith.add', numeric],
  ['arith.sub', numeric],
  ['arith.mul', numeric],
  ['arith.div', numeric],
  ['arith.rem', numeric],
  ['math.min', numeric],
  ['math.max', numeric],
  ['arith.and', intOrBool],
  ['arith.or', intOrBool],
  ['arith.xor', intOrBool],
  ['arith.shl', integers],
  ['arith.shr', integers],
  ['math.pow', floats],
  ['math.atan2', floats],
  ['math.hypot', floats],
];
const unaryOps: readonly (readonly [string, readonly ScalarType[]])[] = [
  ['arith.neg', numeric],
  ['math.abs', numeric],
  ['arith.not', intOrBool],
  ...[
    'sqrt',
    'exp',
    'log',
    'sin',
    'cos',
    'floor',
    'ceil',
    'trunc',
    'round',
    'roundeven',
    'sign',
    'atan',
    'tanh',
    'cbrt',
    'expm1',
    'log1p',
  ].map((name) => [`math.${name}`, floats] as const),
];
const comparisons = ['arith.eq', 'arith.ne', 'arith.lt', 'arith.le', 'arith.gt', 'arith.ge'];
const checkedOps = ['arith.checked_add', 'arith.checked_sub', 'arith.checked_mul', 'arith.checked_div'];
const errorClasses = ['Error', 'RangeError', 'TypeError'] as const;

/** Reads decisions from the choice sequence; past its end every decision is 0 (the simplest). */
class Choices {
  #pos = 0;
  constructor(private readonly values: readonly number[]) {}

  int(n: number): number {
    if (n <= 1) return 0;
    const v = this.values[this.#pos++] ?? 0;
    return v % n;
  }
  /** True with about `percent`% probability; false on a 0 choice. */
  chance(percent: number): boolean {
    return this.int(100) >= 100 - percent;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

interface Callee {
  readonly value: Value;
  readonly params: readonly ScalarType[];
  readonly results: readonly ScalarType[];
  readonly stateful: boolean;
  /** Steps of one call, callee included. */
  readonly cost: number;
  /** For recursive functions: the first parameter is the depth, bounded by this. */
  readonly maxDepth?: number;
}

interface Recursion {
  readonly vars: readonly Callee[];
  readonly depth: Value;
  left: number;
  minusOne?: Value;
}

interface Scope {
  readonly r: RegionBuilder;
  readonly pool: Map<ScalarType, Value[]>;
  mem: Value | undefined;
  /** Arrays in scope: the function's parameter and arrays allocated here or further out. */
  readonly arrays: Value[];
  readonly depth: number;
  /** Steps this region may take; `cost` counts what it takes so far. */
  readonly budget: number;
  cost: number;
  /** Steps to keep for the constants the region's results may need. */
  readonly reserve: number;
  readonly inBranch: boolean;
  readonly recursion?: Recursion;
  readonly lengths: Map<Value, Value>;
}

const costBounds = new WeakMap<Module, number>();

/**
 * An upper bound of the interpreter steps (fuel) one call of any export of
 * a generated module takes, root region included; undefined for modules
 * this file did not generate.
 */
export function generatedFuel(module: Module): number | undefined {
  return costBounds.get(module);
}

class Generator {
  readonly #callees: Callee[] = [];
  readonly #rootPool = new Map<ScalarType, Value[]>();
  readonly #b: ModuleBuilder;
  /** Values some op takes as an operand. */
  readonly #used = new Set<Value>();
  /** The order values were made in. */
  readonly #order = new Map<Value, number>();
  readonly #arrayType: ArrayType | undefined;
  #rootCost = 0;
  #maxExportCost = 0;

  constructor(
    private readonly c: Choices,
    private readonly o: Resolved,
  ) {
    this.#b = new ModuleBuilder({ registry: o.registry });
    this.#arrayType = o.arrays && c.chance(60) ? c.pick([array(f64), array(i32)]) : undefined;
  }

  build(): Module {
    const deltas = this.c.int(3);
    for (let k = 0; k < deltas; k++) this.#delta(k);
    const count = 1 + this.c.int(this.o.maxFunctions);
    for (let k = 0; k < count; k++) {
      if (this.o.recursion && k < count - 1 && this.c.chance(35)) this.#phi(k);
      else this.#lambda(k);
    }
    const module = this.#b.build();
    costBounds.set(module, this.#rootCost + this.#maxExportCost);
    return module;
  }

  #delta(k: number): void {
    const type = this.c.pick(numeric);
    let cost = 0;
    const value = this.#b.delta(`g${k}`, (r) => {
      const scope = this.#scope(r, new Map(), undefined, undefined, 0, 4, 0, false);
      const v = this.#valueOf(scope, type, true);
      const result = this.c.chance(50) ? this.#op(scope, 'arith.neg', [v])[0]! : v;
      cost = scope.cost;
      return result;
    });
    this.#rootCost += 1 + cost;
    this.#add(this.#rootPool, value);
  }

  #signature(): { params: ScalarType[]; results: ScalarType[]; stateful: boolean } {
    const params = Array.from({ length: 1 + this.c.int(4) }, () => this.c.pick(scalarTypes));
    const results = Array.from({ length: 1 + this.c.int(2) }, () => this.c.pick(scalarTypes));
    return { params, results, stateful: this.#arrayType !== undefined && this.c.chance(60) };
  }

  #fullParams(params: readonly Type[], stateful: boolean): Type[] {
    return stateful ? [...params, this.#arrayType as ArrayType, mem] : [...params];
  }

  #lambda(k: number): void {
    const { params, results: declared, stateful } = this.#signature();
    let results = declared;
    const name = `f${k}`;
    let cost = 0;
    const value = this.#b.lambda(name, this.#fullParams(params, stateful), (r, ps) => {
      const pool = clonePool(this.#rootPool);
      params.forEach((_, i) => this.#add(pool, ps[i] as Value));
      const scope = this.#scope(
        r,
        pool,
        stateful ? ps[params.length + 1] : undefined,
        stateful ? ps[params.length] : undefined,
        0,
        this.o.maxCost,
        results.length + 1,
        false,
      );
      const start = this.#order.size;
      this.#actions(scope);
      // Mostly the function returns the last values it computed that nothing uses, whatever their types.
      const computed = [...scope.pool.values()]
        .flat()
        .filter((v) => !this.#used.has(v) && (this.#order.get(v) ?? -1) >= start)
        .sort((a, b) => (this.#order.get(a) as number) - (this.#order.get(b) as number));
      const out =
        computed.length > 0 && !this.c.chance(15) ? computed.slice(-3) : results.map((t) => this.#resultOf(scope, t));
      out.forEach((v) => this.#used.add(v));
      results = out.map((v) => v.type as ScalarType);
      if (stateful) out.push(scope.mem as Value);
      cost = scope.cost;
      return out;
    });
    this.#rootCost += 1;
    this.#maxExportCost = Math.max(this.#maxExportCost, cost);
    this.#callees.push({ value, params, results, stateful, cost });
    this.#b.export(name, value);
  }

  /**
   * One or two (mutually) recursive functions. Each returns its base case at
   * depth <= 0 and otherwise makes at most two recursive calls with depth - 1,
   * so a call entered at depth D runs at most 2^(D+1) - 1 frames.
   */
  #phi(k: number): void {
    const count = this.c.chance(30) ? 2 : 1;
    const maxDepth = this.c.int(this.o.maxRecursionDepth + 1);
    const frames = 2 ** (maxDepth + 1) - 1;
    const frameBudget = Math.max(12, Math.floor(this.o.maxCost / 4 / frames));
    const sigs = Array.from({ length: count }, () => this.#signature());
    const types = sigs.map((s) =>
      fn(this.#fullParams([i32, ...s.params], s.stateful), s.stateful ? [...s.results, mem] : s.results),
    );
    let frameCost = 0;
    const outputs = this.#b.phi(types, (p, recVars) => {
      const vars: Callee[] = sigs.map((s, j) => ({ value: recVars[j] as Value, ...s, cost: 0 }));
      return sigs.map((s, j) =>
        p.lambda(`r${k}_${j}`, types[j]!.params, (r, ps) => {
          const pool = clonePool(this.#rootPool);
          s.params.forEach((_, i) => this.#add(pool, ps[i + 1] as Value));
          const memIn = s.stateful ? ps[s.params.length + 2] : undefined;
          const arr = s.stateful ? ps[s.params.length + 1] : undefined;
          const scope = this.#scope(r, pool, memIn, arr, 0, frameBudget, 4, false);
          const depth = ps[0] as Value;
          const isBase = this.#op(scope, 'arith.le', [depth, this.#const(scope, 0, i32)])[0]!;
          const predicate = this.#op(scope, 'match', [isBase], { alternatives: 2 })[0]!;
          const branchCosts: number[] = [];
          const outs = r.gamma(
            predicate,
            [0, 1].map((which) => (g: RegionBuilder, entry: Value[]) => {
              const inner = this.#child(
                scope,
                g,
                s.stateful ? entry[0] : undefined,
                scope.budget - scope.cost - 2,
                s.results.length + 1,
                true,
              );
              if (which === 0) Object.assign(inner, { recursion: { vars, depth, left: 2 } });
              this.#actions(inner);
              const res = s.results.map((t) => this.#resultOf(inner, t));
              if (s.stateful) res.push(inner.mem as Value);
              branchCosts.push(inner.cost);
              return res;
            }),
            // State enters a gamma as an explicit entry variable (the builder does not route state).
            s.stateful ? [scope.mem as Value] : [],
          );
          scope.cost += 1 + Math.max(...branchCosts);
          frameCost = Math.max(frameCost, scope.cost);
          return outs;
        }),
      );
    });
    this.#rootCost += 1 + count;
    sigs.forEach((s, j) => {
      this.#callees.push({
        value: outputs[j] as Value,
        ...s,
        cost: frames * frameCost,
        maxDepth,
      });
    });
  }

  #scope(
    r: RegionBuilder,
    pool: Map<ScalarType, Value[]>,
    memValue: Value | undefined,
    arrayValue: Value | undefined,
    depth: number,
    budget: number,
    reserve: number,
    inBranch: boolean,
  ): Scope {
    const arrays = arrayValue ? [arrayValue] : [];
    return { r, pool, mem: memValue, arrays, lengths: new Map(), depth, budget, cost: 0, reserve, inBranch };
  }

  #child(
    parent: Scope,
    r: RegionBuilder,
    memValue: Value | undefined,
    budget: number,
    reserve: number,
    inBranch: boolean,
  ): Scope {
    const scope = this.#scope(
      r,
      clonePool(parent.pool),
      memValue,
      undefined,
      parent.depth + 1,
      budget,
      reserve,
      inBranch,
    );
    scope.arrays.push(...parent.arrays);
    return scope;
  }

  #remaining(scope: Scope): number {
    return scope.budget - scope.cost - scope.reserve;
  }

  #add(pool: Map<ScalarType, Value[]>, value: Value): void {
    if (!this.#order.has(value)) this.#order.set(value, this.#order.size);
    const type = value.type as ScalarType;
    const list = pool.get(type);
    if (list) list.push(value);
    else pool.set(type, [value]);
  }

  #op(
    scope: Scope,
    name: string,
    operands: readonly Value[],
    attrs: Readonly<Record<string, AttrValue>> = {},
    loc?: SourceLoc,
  ): Value[] {
    scope.cost += 1;
    for (const v of operands) this.#used.add(v);
    return scope.r.op(name, operands, attrs, loc);
  }

  #const(scope: Scope, value: number | bigint | boolean, type: ScalarType): Value {
    scope.cost += 1;
    return scope.r.const(value, type);
  }

  #randomConst(scope: Scope, type: ScalarType): Value {
    const preferred = this.o.preferred.get(type);
    // Only a preferred list reads a choice here, so modules generated without one stay as they were.
    if (preferred && this.c.chance(35)) return this.#const(scope, this.c.pick(preferred), type);
    const edges = edgeConstants.get(type) as readonly (number | bigint | boolean)[];
    const k = this.c.int(edges.length + 2);
    if (k < edges.length) return this.#const(scope, edges[k] as number | bigint | boolean, type);
    const n = this.c.int(2001) - 1000;
    const value = type === i64 ? BigInt(n) * 7919n : type === f64 ? n / 8 : type === bool ? n > 0 : n * 31;
    return this.#const(scope, value, type);
  }

  /** A value of the type: one in scope, or a new constant. */
  #valueOf(scope: Scope, type: ScalarType, fresh = false): Value {
    const preferred = this.o.preferred.get(type);
    if (!fresh && preferred && this.c.chance(20)) {
      const v = this.#const(scope, this.c.pick(preferred), type);
      this.#add(scope.pool, v);
      return v;
    }
    const list = scope.pool.get(type);
    if (!fresh && list && list.length > 0 && !this.c.chance(15)) {
      // Mostly one of the latest values, so computations chain and reach the results instead of dying.
      const back = this.c.chance(40) ? this.c.int(list.length) : this.c.int(Math.min(3, list.length));
      return list[list.length - 1 - back] as Value;
    }
    const v = this.#randomConst(scope, type);
    this.#add(scope.pool, v);
    return v;
  }

  /**
   * A result of the region: mostly values nothing uses yet, combining two
   * of them, so that what the region computed is observed by the caller
   * (a pass that breaks dead code alone is not caught).
   */
  #resultOf(scope: Scope, type: ScalarType): Value {
    const unused = (scope.pool.get(type) ?? []).filter((v) => !this.#used.has(v));
    if (unused.length === 0 || this.c.chance(15)) return this.#valueOf(scope, type);
    let value = unused[unused.length - 1] as Value;
    const other = unused[unused.length - 2];
    if (other && this.c.chance(70)) {
      value = this.#op(scope, type === bool || type === i32 ? 'arith.xor' : 'arith.add', [value, other])[0]!;
    }
    this.#used.add(value);
    return value;
  }

  #actions(scope: Scope): void {
    const count = this.c.int(this.o.maxNodesPerRegion + 1);
    for (let i = 0; i < count && this.#remaining(scope) > 0; i++) this.#action(scope);
  }

  #action(scope: Scope): void {
    const nested = scope.depth < this.o.maxDepth && this.#remaining(scope) > 24;
    const stateful = scope.mem !== undefined;
    const table: [() => void, number][] = [
      [() => this.#randomConstAction(scope), 2],
      [() => this.#binary(scope), 6],
      [() => this.#unary(scope), 3],
      [() => this.#compare(scope), 3],
      [() => this.#convert(scope), 2],
      [() => this.#select(scope), 1],
      [() => this.#gamma(scope), nested ? 3 : 0],
      [() => this.#theta(scope), nested ? 3 : 0],
      [() => this.#call(scope), this.#callees.length > 0 ? 3 : 0],
      [() => this.#recursiveCall(scope), scope.recursion && scope.recursion.left > 0 ? 4 : 0],
      [() => this.#load(scope), stateful && scope.arrays.length > 0 ? 3 : 0],
      [() => this.#store(scope), stateful && scope.arrays.length > 0 ? 2 : 0],
      [() => this.#alloc(scope), stateful && this.#arrayType ? 1 : 0],
      [() => this.#checked(scope), stateful && this.o.errors ? 1 : 0],
      [() => this.#raise(scope), stateful && this.o.errors && scope.inBranch ? 1 : 0],
      ...this.o.ops.map((op): [() => void, number] => [
        () => this.#custom(scope, op),
        !op.mem || stateful ? (op.weight ?? 3) : 0,
      ]),
    ];
    const total = table.reduce((sum, [, w]) => sum + w, 0);
    let r = this.c.int(total);
    for (const [act, weight] of table) {
      if (r < weight) return act();
      r -= weight;
    }
  }

  #randomConstAction(scope: Scope): void {
    this.#valueOf(scope, this.c.pick(scalarTypes), true);
  }

  #binary(scope: Scope): void {
    const [name, types] = this.c.pick(binaryOps);
    const t = this.c.pick(types);
    const a = this.#valueOf(scope, t);
    // `x op small constant` (x * 2, x + 1, x / 8) is what many rewrites match, so it comes up often.
    const b = this.c.chance(35) ? this.#smallConst(scope, t) : this.#valueOf(scope, t);
    this.#add(scope.pool, this.#op(scope, name, [a, b])[0]!);
  }

  #smallConst(scope: Scope, type: ScalarType): Value {
    const list = this.o.preferred.get(type) ?? smallConstants.get(type) ?? [];
    return list.length > 0 ? this.#const(scope, this.c.pick(list), type) : this.#valueOf(scope, type);
  }

  #unary(scope: Scope): void {
    if (this.c.chance(10)) {
      const out = this.#op(scope, 'math.fma', [
        this.#valueOf(scope, f64),
        this.#valueOf(scope, f64),
        this.#valueOf(scope, f64),
      ]);
      this.#add(scope.pool, out[0]!);
      return;
    }
    const [name, types] = this.c.pick(unaryOps);
    this.#add(scope.pool, this.#op(scope, name, [this.#valueOf(scope, this.c.pick(types))])[0]!);
  }

  #compare(scope: Scope): void {
    const t = this.c.pick(scalarTypes);
    const name = this.c.pick(comparisons);
    this.#add(scope.pool, this.#op(scope, name, [this.#valueOf(scope, t), this.#valueOf(scope, t)])[0]!);
  }

  #convert(scope: Scope): void {
    if (this.c.chance(25)) {
      const out = this.#op(scope, 'arith.wrap', [this.#valueOf(scope, f64)], { type: this.c.pick(integers) });
      this.#add(scope.pool, out[0]!);
      return;
    }
    const from = this.c.pick(scalarTypes);
    const to = this.c.pick(scalarTypes);
    this.#add(scope.pool, this.#op(scope, 'arith.convert', [this.#valueOf(scope, from)], { type: to })[0]!);
  }

  #select(scope: Scope): void {
    const t = this.c.pick(scalarTypes);
    const out = this.#op(scope, 'arith.select', [
      this.#valueOf(scope, bool),
      this.#valueOf(scope, t),
      this.#valueOf(scope, t),
    ]);
    this.#add(scope.pool, out[0]!);
  }

  #gamma(scope: Scope): void {
    let predicate: Value;
    let alternatives = 2;
    if (this.c.chance(35)) {
      alternatives = 2 + this.c.int(3);
      predicate = this.#op(scope, 'match', [this.#valueOf(scope, this.c.pick(integers))], { alternatives })[0]!;
    } else {
      predicate = this.#op(scope, 'match', [this.#valueOf(scope, bool)], { alternatives: 2 })[0]!;
    }
    const stateful = scope.mem !== undefined && this.c.chance(60);
    const outTypes = Array.from({ length: 1 + this.c.int(3) }, () => this.c.pick(scalarTypes));
    const budget = this.#remaining(scope) - 1;
    const costs: number[] = [];
    const branches = Array.from({ length: alternatives }, () => (g: RegionBuilder, entry: Value[]) => {
      // Later branches also see the values earlier ones routed in, after the entry variables.
      const inner = this.#child(scope, g, stateful ? entry[0] : undefined, budget, outTypes.length + 1, true);
      this.#actions(inner);
      const results = outTypes.map((t) => this.#resultOf(inner, t));
      if (stateful) results.push(inner.mem as Value);
      costs.push(inner.cost);
      return results;
    });
    const outs = scope.r.gamma(predicate, branches, stateful ? [scope.mem as Value] : []);
    scope.cost += 1 + Math.max(...costs);
    outs.slice(0, outTypes.length).forEach((v) => this.#add(scope.pool, v));
    if (stateful) scope.mem = outs[outTypes.length];
  }

  #theta(scope: Scope): void {
    const trips = 1 + this.c.int(this.o.maxTrips);
    const budget = Math.floor((this.#remaining(scope) - 6) / trips) - 1;
    if (budget < 8) return;
    const carried = Array.from({ length: this.c.int(4) }, () => this.#valueOf(scope, this.c.pick(scalarTypes)));
    const stateful = scope.mem !== undefined && this.c.chance(60);
    const start = this.#const(scope, 0, i32);
    const initial = [start, ...carried];
    if (stateful) initial.push(scope.mem as Value);
    let bodyCost = 0;
    const outs = scope.r.theta(initial, (l, vars) => {
      const inner = this.#child(scope, l, undefined, budget, carried.length + 5, false);
      if (stateful) inner.mem = vars[vars.length - 1];
      vars.slice(0, 1 + carried.length).forEach((v) => this.#add(inner.pool, v));
      this.#actions(inner);
      const counter = vars[0] as Value;
      const nextCounter = this.#op(inner, 'arith.add', [counter, this.#const(inner, 1, i32)])[0]!;
      let repeat = this.#op(inner, 'arith.lt', [nextCounter, this.#const(inner, trips, i32)])[0]!;
      // An extra condition can only end the loop earlier.
      if (this.c.chance(25)) repeat = this.#op(inner, 'arith.and', [repeat, this.#valueOf(inner, bool)])[0]!;
      const predicate = this.#op(inner, 'match', [repeat], { alternatives: 2 })[0]!;
      const next = [nextCounter, ...carried.map((v) => this.#valueOf(inner, v.type as ScalarType))];
      if (stateful) next.push(inner.mem as Value);
      bodyCost = inner.cost;
      return { repeat: predicate, next };
    });
    scope.cost += 1 + trips * (1 + bodyCost);
    outs.slice(0, 1 + carried.length).forEach((v) => this.#add(scope.pool, v));
    if (stateful) scope.mem = outs[outs.length - 1];
  }

  #args(scope: Scope, callee: Callee): Value[] {
    const args = callee.params.map((t) => this.#valueOf(scope, t));
    if (callee.stateful) args.push(this.#array(scope), scope.mem as Value);
    return args;
  }

  #callResults(scope: Scope, callee: Callee, outs: readonly Value[]): void {
    callee.results.forEach((_, i) => this.#add(scope.pool, outs[i] as Value));
    if (callee.stateful) scope.mem = outs[callee.results.length];
  }

  #call(scope: Scope): void {
    const remaining = this.#remaining(scope) - 8;
    const candidates = this.#callees.filter((f) => (!f.stateful || scope.mem !== undefined) && f.cost < remaining);
    if (candidates.length === 0) return;
    const callee = this.c.pick(candidates);
    const args = this.#args(scope, callee);
    if (callee.maxDepth !== undefined) {
      // and(x, D) is in 0..D for any x when D >= 0.
      const depth = this.c.chance(50)
        ? this.#op(scope, 'arith.and', [this.#valueOf(scope, i32), this.#const(scope, callee.maxDepth, i32)])[0]!
        : this.#const(scope, this.c.int(callee.maxDepth + 1), i32);
      args.unshift(depth);
    }
    const outs = this.#op(scope, 'call', [callee.value, ...args]);
    scope.cost += callee.cost;
    this.#callResults(scope, callee, outs);
  }

  #recursiveCall(scope: Scope): void {
    const recursion = scope.recursion as Recursion;
    const candidates = recursion.vars.filter((f) => !f.stateful || scope.mem !== undefined);
    if (candidates.length === 0) return;
    const callee = this.c.pick(candidates);
    recursion.minusOne ??= this.#op(scope, 'arith.sub', [recursion.depth, this.#const(scope, 1, i32)])[0]!;
    recursion.left -= 1;
    const outs = this.#op(scope, 'call', [callee.value, recursion.minusOne, ...this.#args(scope, callee)]);
    this.#callResults(scope, callee, outs);
  }

  /** One of the arrays in scope, most often the parameter. */
  #array(scope: Scope): Value {
    return scope.arrays[this.c.chance(30) ? this.c.int(scope.arrays.length) : 0] as Value;
  }

  #alloc(scope: Scope): void {
    const length = this.c.chance(50)
      ? this.#const(scope, BigInt(this.c.int(6)), i64)
      : this.#op(scope, 'arith.and', [this.#valueOf(scope, i64), this.#const(scope, 7n, i64)])[0]!;
    const [arr, state] = this.#op(scope, 'array.alloc', [length, scope.mem as Value], {
      type: this.#arrayType as ArrayType,
    });
    scope.mem = state;
    scope.arrays.push(arr!);
  }

  #index(scope: Scope, arr: Value): Value {
    let length = scope.lengths.get(arr);
    if (!length) {
      length = this.#op(scope, 'array.length', [arr])[0]!;
      scope.lengths.set(arr, length);
    }
    if (this.o.errors && this.c.chance(4)) {
      // Deliberately out of range (or in range only by luck): exercises RangeError paths.
      const k = this.c.int(3);
      if (k === 0) return length;
      if (k === 1) return this.#const(scope, -1n, i64);
      return this.#op(scope, 'arith.add', [length, this.#valueOf(scope, i64)])[0]!;
    }
    const nonNegative = this.#op(scope, 'arith.and', [
      this.#valueOf(scope, i64),
      this.#const(scope, 2n ** 62n - 1n, i64),
    ])[0]!;
    return this.#op(scope, 'arith.rem', [nonNegative, length])[0]!;
  }

  #loc(): SourceLoc | undefined {
    return this.c.chance(20) ? { line: 1 + this.c.int(200), column: 1 + this.c.int(80) } : undefined;
  }

  #load(scope: Scope): void {
    const arr = this.#array(scope);
    const index = this.#index(scope, arr);
    const [value, state] = this.#op(scope, 'array.load', [arr, index, scope.mem as Value], {}, this.#loc());
    this.#add(scope.pool, value!);
    scope.mem = state;
  }

  #store(scope: Scope): void {
    const arr = this.#array(scope);
    const index = this.#index(scope, arr);
    const element = (arr.type as ArrayType).element;
    const value = this.#valueOf(scope, element);
    const [state] = this.#op(scope, 'array.store', [arr, index, value, scope.mem as Value], {}, this.#loc());
    scope.mem = state;
  }

  #checked(scope: Scope): void {
    const t = this.c.pick(integers);
    const name = this.c.pick(checkedOps);
    const [value, state] = this.#op(
      scope,
      name,
      [this.#valueOf(scope, t), this.#valueOf(scope, t), scope.mem as Value],
      {},
      this.#loc(),
    );
    this.#add(scope.pool, value!);
    scope.mem = state;
  }

  #custom(scope: Scope, op: GeneratedOp): void {
    const operands = op.operands.map((t) => this.#valueOf(scope, t));
    if (op.mem) operands.push(scope.mem as Value);
    const outs = this.#op(scope, op.name, operands, { ...op.attrs }, this.#loc());
    outs.slice(0, op.results.length).forEach((v) => this.#add(scope.pool, v));
    if (op.mem) scope.mem = outs[op.results.length];
  }

  #raise(scope: Scope): void {
    const error = this.c.pick(errorClasses);
    const message = this.c.pick(['generated failure', 'unreachable "branch" taken', 'x\ny']);
    scope.mem = this.#op(scope, 'raise', [scope.mem as Value], { error, message }, this.#loc())[0];
  }
}

function clonePool(pool: Map<ScalarType, Value[]>): Map<ScalarType, Value[]> {
  const copy = new Map<ScalarType, Value[]>();
  for (const [type, values] of pool) copy.set(type, [...values]);
  return copy;
}

/** `value` as a constant of `type`, when it is exactly representable there. */
function constantOfType(value: number | bigint | boolean, type: ScalarType): number | bigint | boolean | undefined {
  if (type === bool) return typeof value === 'boolean' ? value : undefined;
  if (typeof value === 'boolean') return undefined;
  if (type === f64) return typeof value === 'number' || BigInt(Number(value)) === value ? Number(value) : undefined;
  if (typeof value === 'number' && !Number.isInteger(value)) return undefined;
  const n = BigInt(value);
  if (type === i64) return BigInt.asIntN(64, n) === n ? n : undefined;
  return BigInt.asIntN(32, n) === n ? Number(n) + 0 : undefined;
}

const generatedTypes = new Map<Type, string>(scalarTypes.map((t) => [t, typeToString(t)]));

/** Checks each custom op once against its registry, so a wrong description fails with a clear message. */
function checkCustomOp(op: GeneratedOp, registry: OpRegistry): void {
  const def = registry.get(op.name);
  if (!def) {
    throw new Error(
      `generator: op '${op.name}' is not in the registry; pass the registry that defines it (generator: { registry })`,
    );
  }
  for (const t of [...op.operands, ...op.results]) {
    if (!generatedTypes.has(t)) {
      throw new Error(
        `generator: op '${op.name}' uses ${typeToString(t)}; generated values are ${[...generatedTypes.values()].join(', ')}`,
      );
    }
  }
  const operands = op.mem ? [...op.operands, mem] : op.operands;
  const expected = op.mem ? [...op.results, mem] : op.results;
  const typed = def.typeOf(operands, op.attrs ?? {});
  const show = (types: readonly Type[]): string => `(${types.map(typeToString).join(', ')})`;
  if (typeof typed === 'string') throw new Error(`generator: op '${op.name}' ${show(operands)}: ${typed}`);
  if (typed.length !== expected.length || typed.some((t, i) => t !== expected[i])) {
    throw new Error(
      `generator: op '${op.name}' ${show(operands)} gives ${show(typed)}, not the results ${show(expected)} it was described with`,
    );
  }
}

/** The `generate` samples of the ops a registry adds to the default one. */
function declaredSamples(registry: OpRegistry): GeneratedOp[] {
  const builtIn = new Set(defaultRegistry.dialects().map((d) => d.name));
  return registry
    .dialects()
    .filter((d) => !builtIn.has(d.name))
    .flatMap((d) => d.ops.flatMap((op) => (op.generate ?? []).map((sample) => ({ ...sample, name: op.name }))));
}

function resolve(options: ModuleGenOptions): Resolved {
  const registry = options.registry ?? defaultRegistry;
  const o = { ...defaults, ops: options.ops ?? declaredSamples(registry), ...options, registry };
  for (const op of o.ops) checkCustomOp(op, registry);
  const preferred = new Map<ScalarType, (number | bigint | boolean)[]>();
  for (const type of scalarTypes) {
    const values = o.constants
      .map((v) => constantOfType(v, type))
      .filter((v): v is number | bigint | boolean => v !== undefined);
    if (values.length > 0) preferred.set(type, values);
  }
  return { ...o, preferred };
}

/** The module a choice sequence describes (deterministic; what `arbModule` maps its sequences through). */
export function moduleFromChoices(choices: readonly number[], options: ModuleGenOptions = {}): Module {
  return new Generator(new Choices(choices), resolve(options)).build();
}

/**
 * Valid, frozen modules: exported lambdas `f0`, `f1`, ... over i32, i64,
 * f64 and bool parameters (some also take a Float64Array or Int32Array and
 * a memory state), mixing arithmetic and math ops, edge constants, nested
 * gammas and thetas, calls, recursion through phi, and array loads and
 * stores. Every call of an export terminates within `generatedFuel(module)`
 * steps; some raise program errors (out-of-bounds index, checked overflow,
 * `raise`).
 */
export function arbModule(options: ModuleGenOptions = {}): fc.Arbitrary<Module> {
  const o = resolve(options);
  return fc
    .array(fc.nat(), { minLength: o.choices, maxLength: o.choices })
    .map((choices) => new Generator(new Choices(choices), o).build());
}

/** The function type of an export, or undefined when the export is not a function. */
export function exportType(module: Module, exportName: string): Type | undefined {
  const index = module.exports.indexOf(exportName);
  if (index < 0) throw new Error(`module has no export '${exportName}'`);
  return originType(module.region, module.region.results[index] as Origin);
}

const int32Edges = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31)];
const int64Edges = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n];

/** Values of one IR type, as the interpreter represents them. */
export function arbValueOf(type: Type, options: { maxArrayLength?: number } = {}): fc.Arbitrary<IRValue> {
  switch (type.kind) {
    case 'bool':
      return fc.boolean();
    case 'int': {
      if (type.bits === 64) {
        const min = type.signed ? -(2n ** 63n) : 0n;
        const max = type.signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
        return fc.oneof(fc.constantFrom(...int64Edges.filter((v) => v >= min && v <= max)), fc.bigInt({ min, max }));
      }
      const min = type.signed ? -(2 ** (type.bits - 1)) : 0;
      const max = type.signed ? 2 ** (type.bits - 1) - 1 : 2 ** type.bits - 1;
      return fc.oneof(fc.constantFrom(...int32Edges.filter((v) => v >= min && v <= max)), fc.integer({ min, max }));
    }
    case 'float':
      return type.bits === 64 ? fc.double() : fc.float();
    case 'array': {
      if (type.rank !== 1) throw new Error(`no generator for arrays of rank ${type.rank}`);
      const Ctor = typedArrayConstructor(type);
      const element = type.clamped ? fc.integer({ min: 0, max: 255 }) : arbValueOf(type.element);
      return fc.array(element, { maxLength: options.maxArrayLength ?? 8 }).map((xs) => {
        const out = new Ctor(xs.length);
        xs.forEach((x, i) => {
          (out as unknown as IRValue[])[i] = typeof x === 'boolean' ? Number(x) : x;
        });
        return out;
      });
    }
    case 'state':
      return fc.constant(type.state === 'mem' ? memToken : ioToken);
    default:
      throw new Error(`no generator for values of type ${typeToString(type)}`);
  }
}

/** A copy of an argument tuple with fresh TypedArrays (programs write into their arrays). */
export function cloneArgs(args: readonly IRValue[]): IRValue[] {
  return args.map((v) => (isTypedArray(v) ? (v.slice() as AnyTypedArray) : v));
}

function withFreshArrays(args: IRValue[]): IRValue[] {
  // fast-check clones a value through this method whenever it hands the same value out again.
  Object.defineProperty(args, fc.cloneMethod, { value: () => withFreshArrays(cloneArgs(args)), enumerable: false });
  return args;
}

/** Argument tuples matching the parameter types of the exported function. */
export function arbArgsFor(
  module: Module,
  exportName: string,
  options: { maxArrayLength?: number } = {},
): fc.Arbitrary<IRValue[]> {
  const type = exportType(module, exportName);
  if (type?.kind !== 'fn') throw new Error(`export '${exportName}' is not a function`);
  return fc.tuple(...type.params.map((t) => arbValueOf(t, options))).map((args) => withFreshArrays([...args]));
}

export interface GeneratedCase {
  readonly module: Module;
  readonly exportName: string;
  readonly args: readonly IRValue[];
  /** Interpreter steps that suffice for this call (see `generatedFuel`). */
  readonly fuel: number;
}

/** A generated module, one of its exports and arguments for it. */
export function arbGeneratedCase(options: ModuleGenOptions = {}): fc.Arbitrary<GeneratedCase> {
  return arbModule(options).chain((module) =>
    fc.constantFrom(...module.exports).chain((exportName) =>
      arbArgsFor(module, exportName).map((args) => ({
        module,
        exportName,
        args,
        fuel: generatedFuel(module) as number,
      })),
    ),
  );
}
