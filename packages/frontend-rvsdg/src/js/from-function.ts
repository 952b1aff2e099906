import type { Module } from '@rvsdg/ir';
import type { Cfg } from '../cfg/cfg.js';
import { cfgToModule } from '../cfg/cfg-to-rvsdg.js';
import { CompileError } from './compile-error.js';
import { jsRegistry, mathFunctions, numberFunctions, typedArrayKinds } from './js-dialect.js';
import { lowerFunction, type FreeBinding } from './js-to-cfg.js';
import { isNumberArray, mixesEmptyReturns, returnsArrayLiterals, uniqueGuards } from './function-facts.js';
import { parseFunction, parseFunctions, type ParsedFunction } from './parse-function.js';

export interface FromFunctionOptions {
  /**
   * What the function's free identifiers denote (a function's source text
   * carries no closure): numbers, booleans and BigInts become compile-time
   * constants; functions are compiled together with it (their own free
   * identifiers resolve in the same scope) and can call each other,
   * recursively too.
   */
  readonly scope?: Readonly<Record<string, unknown>>;
  /**
   * The function the user calls to compile (`jit`, say): messages name it,
   * as in "pass it as jit(fn, { scope: { x } })". Defaults to the function
   * called (`fromFunction` or `fromSource`).
   */
  readonly caller?: string;
  /**
   * Gives every function its own scope (Numba-style globals): when present,
   * each compiled function's free identifiers are resolved in the scope
   * `scopeOf` returns for it, and never in another function's; `scope`
   * still takes precedence for the entry. Without it, every function
   * resolves its free identifiers in `scope`.
   */
  readonly scopeOf?: (fn: AnyFunction) => ScopedFunction;
  /**
   * Positions of the entry's parameters that are `undefined` in this
   * specialization (omitted or passed as undefined): they become constants
   * and are not parameters of the compiled entry.
   */
  readonly undefinedParams?: readonly number[];
  /**
   * The entry's parameters that are functions in this specialization, by
   * position: each call through one is a call of that function, compiled
   * with the others (specialised on its identity), and the parameter is
   * not a parameter of the compiled entry.
   */
  readonly functionParams?: ReadonlyMap<number, AnyFunction>;
  /**
   * Which of the entry's TypedArray parameters are the same object in this
   * specialization (index to class): comparisons between them are constants.
   */
  readonly arrayIdentity?: ReadonlyMap<number, number>;
  /**
   * Lets the entry return a value on some paths and undefined or null on
   * others: those returns raise an Error with one of `emptyReturnMessages`
   * (the result says whether it does, `emptyReturnsRaise`), which the
   * caller must turn into the return of undefined or null.
   */
  readonly emptyReturnsRaise?: boolean;
}

/** A function value as the frontend compiles it: the function whose source is read, and its own scope. */
export interface ScopedFunction {
  readonly fn: AnyFunction;
  /** Bindings given explicitly for this function (a jitted function's `scope` option); they override `lookup`. */
  readonly scope?: Readonly<Record<string, unknown>>;
  /** What a free identifier of `fn` denotes; undefined when it is not bound. */
  readonly lookup: (identifier: string) => ScopeLookup | undefined;
}

/** A free identifier's value, or why it cannot be compiled (a binding that could change after compilation, say). */
export type ScopeLookup = { readonly value: unknown } | { readonly refused: string };

export interface FromSourceOptions extends FromFunctionOptions {
  /** The function to compile when the source declares several; the first one otherwise. */
  readonly name?: string;
}

/** The result of compiling JavaScript: one CFG and one exported lambda per function, `entry` naming the one asked for. */
export interface CompiledJs {
  /** RVSDG module in the `js` dialect (interpret it with `jsRegistry`); exports every function by its CFG name. */
  readonly module: Module;
  readonly cfgs: readonly Cfg[];
  readonly entry: string;
  /** The source text of each function by CFG name: source locations in the module refer to these texts. */
  readonly sources: ReadonlyMap<string, string>;
  /**
   * TypedArrays the functions read from their scopes. Every function takes
   * them, in this order, as hidden parameters after its own: whoever calls
   * the entry passes these objects, so their contents are read at run time.
   */
  readonly globals: readonly unknown[];
  /** True when the code depends on `arrayIdentity` (it compared two TypedArray parameters). */
  readonly usesArrayIdentity: boolean;
  /**
   * Properties of scope objects the code read as compile-time values
   * (`glMatrix.EPSILON`, `toWords.assign`) that could be assigned later:
   * the code is valid only while each `object[key]` is still `value`
   * (`Object.is`), which whoever calls it must check.
   */
  readonly guards: readonly PropertyGuard[];
  /** True when the entry's returns of undefined or null raise an Error of `emptyReturnMessages` (FromFunctionOptions). */
  readonly emptyReturnsRaise: boolean;
}

/** A property read at compile time whose value the caller checks before running the code. */
export interface PropertyGuard {
  readonly object: object;
  readonly key: string;
  readonly value: unknown;
  /** How the code names it (`glMatrix.EPSILON`). */
  readonly name: string;
}

// A JavaScript function of any signature: the frontend reads only its source text.
type AnyFunction = (...args: never[]) => unknown;

type FunctionBinding = Extract<FreeBinding, { kind: 'function' }>;

interface Unit {
  readonly name: string;
  readonly parsed: ParsedFunction;
  /** The function's own scope; absent in the shared-scope mode. */
  readonly lookup?: (identifier: string) => ScopeLookup | undefined;
  /** Bindings given explicitly for this function, taking precedence over `lookup`. */
  readonly own?: Readonly<Record<string, unknown>>;
  /** For a copy specialised on functions passed to some parameters: the unit it copies, and those parameters. */
  readonly base?: Unit;
  readonly paramBindings?: ReadonlyMap<string, FreeBinding>;
  readonly boundIndexes?: readonly number[];
  /** For a copy made for `f(...)[k]`: k (see LowerOptions.project). */
  readonly returnElement?: number;
}

/** JavaScript's own functions the frontend compiles, by identity: found under any name (`const { sqrt } = Math`). */
const builtinFunctions: ReadonlyMap<unknown, { readonly object: string; readonly method: string }> = (() => {
  const map = new Map<unknown, { object: string; method: string }>();
  for (const method of mathFunctions)
    map.set((Math as unknown as Record<string, unknown>)[method], { object: 'Math', method });
  for (const method of numberFunctions) {
    map.set((Number as unknown as Record<string, unknown>)[method], { object: 'Number', method });
  }
  return map;
})();

function isTypedArray(value: unknown): boolean {
  return ArrayBuffer.isView(value) && typedArrayKinds.has((value as object).constructor.name);
}

const identifierName = /^[A-Za-z_$][\w$]*$/;

class CompilationUnit {
  readonly #units: Unit[] = [];
  readonly #byFunction = new Map<unknown, Unit>();
  readonly #sourceFunctions = new Map<string, Unit>();
  readonly #names = new Set<string>();
  readonly #globals: unknown[] = [];
  readonly guards: PropertyGuard[] = [];

  constructor(
    readonly scope: Readonly<Record<string, unknown>>,
    readonly hint: (identifier: string) => string,
    readonly caller: string,
    readonly scopeOf?: (fn: AnyFunction) => ScopedFunction,
    readonly entryUndefinedParams: readonly number[] = [],
    readonly entryFunctionParams: ReadonlyMap<number, AnyFunction> = new Map(),
    readonly entryArrayIdentity?: ReadonlyMap<number, number>,
  ) {}

  usesArrayIdentity = false;

  get globals(): readonly unknown[] {
    return this.#globals;
  }

  #uniqueName(wanted: string | undefined): string {
    const base = wanted && identifierName.test(wanted) ? wanted : 'anonymous';
    let name = base;
    for (let n = 2; this.#names.has(name); n++) name = `${base}_${n}`;
    this.#names.add(name);
    return name;
  }

  addSource(parsed: ParsedFunction, name?: string): Unit {
    const unit = { name: this.#uniqueName(name ?? parsed.declaredName), parsed };
    this.#units.push(unit);
    if (parsed.declaredName) this.#sourceFunctions.set(parsed.declaredName, unit);
    return unit;
  }

  /**
   * The unit of a function value, one per function identity. With
   * `scopeOf`, it resolves its free identifiers in its own scope (the
   * entry's `own` scope first).
   */
  addFunction(fn: unknown, name: string | undefined, entryScope?: Readonly<Record<string, unknown>>): Unit {
    const known = this.#byFunction.get(fn);
    if (known) return known;
    const scoped = this.scopeOf?.(fn as AnyFunction);
    const parsed = parseFunction(functionSource(scoped?.fn ?? (fn as AnyFunction), name));
    if (entryScope && this.entryFunctionParams.size > 0) {
      // Function arguments bind the parameter names, ahead of every scope.
      const bound: Record<string, unknown> = { ...entryScope };
      for (const [index, value] of this.entryFunctionParams) {
        const param = parsed.node.params[index];
        const id = param?.type === 'AssignmentPattern' ? param.left : param;
        if (id?.type === 'Identifier') bound[id.name] = value;
      }
      entryScope = bound;
    }
    const unit: Unit = {
      name: this.#uniqueName(name ?? parsed.declaredName),
      parsed,
      ...(scoped ? { lookup: scoped.lookup, own: entryScope ?? scoped.scope ?? {} } : {}),
    };
    this.#units.push(unit);
    this.#byFunction.set(fn, unit);
    return unit;
  }

  readonly #specialized = new Map<string, Unit>();
  #generic: Unit | undefined;

  /**
   * What a function's own name calls: the function itself, never a copy
   * specialised on function arguments, and for an entry compiled with
   * undefined or function arguments a copy that takes every parameter
   * (a recursive call passes its own arguments).
   */
  #selfOf(unit: Unit): Unit {
    const base = unit.base ?? unit;
    const specialisedEntry =
      base === this.#units[0] &&
      (this.entryUndefinedParams.length > 0 || this.entryFunctionParams.size > 0 || this.emptyReturnsRaise);
    if (!specialisedEntry) return base;
    // Compiled only if a call uses it (see used): a recursive call that passes functions calls a specialised copy instead.
    this.#generic ??= { ...base, name: this.#uniqueName(`${base.name}_generic`), base };
    return this.#generic;
  }

  readonly #projected = new Map<string, Unit>();

  /** The unit named `name` as a copy returning element `k` of the array literals it returns (`tickSpec(...)[2]`). */
  project(name: string, k: number): FunctionBinding | undefined {
    const named =
      this.#units.find((u) => u.name === name) ?? (this.#generic?.name === name ? this.#generic : undefined);
    if (!named || named.returnElement !== undefined || !returnsArrayLiterals(named.parsed.node)) return undefined;
    const key = `${named.name}[${k}]`;
    let unit = this.#projected.get(key);
    if (!unit) {
      unit = { ...named, name: this.#uniqueName(`${named.name}_at_${k}`), base: named.base ?? named, returnElement: k };
      this.#units.push(unit);
      this.#projected.set(key, unit);
    }
    return {
      kind: 'function',
      name: unit.name,
      arity: named.parsed.node.params.length - (named.boundIndexes?.length ?? 0),
    };
  }

  /** Whether the entry returns a value on some paths and nothing or null on others (see LowerOptions.emptyReturnsRaise). */
  get emptyReturnsRaise(): boolean {
    const entry = this.#units[0];
    if (!entry) return false;
    this.#emptyReturns ??= this.allowEmptyReturns && mixesEmptyReturns(entry.parsed.node);
    return this.#emptyReturns;
  }
  #emptyReturns: boolean | undefined;
  allowEmptyReturns = false;

  readonly #lazy = new Set<Unit>();
  readonly #called = new Set<Unit>();

  /** A call of the function named `name` was emitted: a unit made on demand is compiled from now on. */
  used(name: string): void {
    if (this.#generic?.name === name && !this.#units.includes(this.#generic)) {
      this.#units.push(this.#generic);
      this.#lazy.add(this.#generic);
    }
    const unit = this.#units.find((u) => u.name === name);
    if (unit) this.#called.add(unit);
  }

  /**
   * The unit named `name` specialised on functions for some parameters (a
   * callee that is passed `compare`): a copy whose bound parameters resolve
   * to those functions, one per unit and bindings.
   */
  specialize(name: string, bound: ReadonlyMap<number, FreeBinding>): FunctionBinding | undefined {
    const named =
      this.#units.find((u) => u.name === name) ?? (this.#generic?.name === name ? this.#generic : undefined);
    if (!named) return undefined;
    const base = named.base ?? named;
    const params = base.parsed.node.params;
    const bindings = new Map(named.paramBindings ?? []);
    const names: string[] = [];
    for (const [index, binding] of bound) {
      const param = params[index];
      const id = param?.type === 'AssignmentPattern' ? param.left : param;
      if (id?.type !== 'Identifier' || (binding.kind !== 'function' && binding.kind !== 'builtin')) return undefined;
      bindings.set(id.name, binding);
    }
    const indexes = params.flatMap((param, i) => {
      const id = param.type === 'AssignmentPattern' ? param.left : param;
      return id.type === 'Identifier' && bindings.has(id.name) ? [i] : [];
    });
    for (const i of indexes) {
      const param = params[i] as { left?: { name: string }; name?: string };
      const binding = bindings.get((param.left ?? param).name as string) as FreeBinding;
      names.push(
        binding.kind === 'builtin' ? `${i}=${binding.object}.${binding.method}` : `${i}=${JSON.stringify(binding)}`,
      );
    }
    const key = `${base.name}(${names.join(',')})`;
    let unit = this.#specialized.get(key);
    if (!unit) {
      unit = {
        ...base,
        name: this.#uniqueName(`${base.name}_with_${indexes.join('_')}`),
        base,
        paramBindings: bindings,
        boundIndexes: indexes,
      };
      this.#units.push(unit);
      this.#specialized.set(key, unit);
    }
    return { kind: 'function', name: unit.name, arity: params.length - indexes.length };
  }

  #resolve(unit: Unit, identifier: string): FreeBinding | undefined {
    const bound = unit.paramBindings?.get(identifier);
    if (bound) return bound;
    const source = this.#sourceFunctions.get(identifier);
    if (source) return functionBinding(this.#selfOf(source));
    if (unit.lookup) {
      if (unit.own && Object.prototype.hasOwnProperty.call(unit.own, identifier)) {
        return this.#valueBinding(unit.own[identifier], identifier, 'the scope');
      }
      // A function's own name is the function itself (for a declaration, the binding it creates), not a specialised copy.
      if (identifier === unit.parsed.declaredName) return functionBinding(this.#selfOf(unit));
      const found = unit.lookup(identifier);
      if (!found) return undefined;
      if ('refused' in found) return { kind: 'invalid', reason: found.refused };
      return this.#valueBinding(found.value, identifier, 'its scope');
    }
    if (Object.prototype.hasOwnProperty.call(this.scope, identifier)) {
      return this.#valueBinding(this.scope[identifier], identifier, 'the scope');
    }
    if (identifier === unit.parsed.declaredName) return functionBinding(this.#selfOf(unit));
    return undefined;
  }

  /** A free identifier's value where `unit` is defined, as #resolve finds it (without source functions). */
  #lookupValue(unit: Unit, identifier: string): ScopeLookup | undefined {
    if (unit.lookup) {
      if (unit.own && Object.prototype.hasOwnProperty.call(unit.own, identifier))
        return { value: unit.own[identifier] };
      return unit.lookup(identifier);
    }
    if (Object.prototype.hasOwnProperty.call(this.scope, identifier)) return { value: this.scope[identifier] };
    return undefined;
  }

  /**
   * `object.property` where `object` is a free name bound to an object or a
   * function (a module's exports, @stdlib's `toWords.assign`): the
   * property's value, as a scope value. Only own data properties; one that
   * can be assigned later (writable or configurable, on an object that is
   * not frozen) is guarded: the caller checks it still holds that value.
   */
  #resolveMember(unit: Unit, object: string, property: string): FreeBinding | undefined {
    if (this.#sourceFunctions.has(object)) return undefined;
    const found = this.#lookupValue(unit, object);
    if (!found) return undefined;
    if ('refused' in found) return { kind: 'invalid', reason: found.refused };
    const base = found.value;
    if ((typeof base !== 'object' && typeof base !== 'function') || base === null) return undefined;
    if (isTypedArray(base) || Array.isArray(base)) return undefined;
    const name = `${object}.${property}`;
    const descriptor = Object.getOwnPropertyDescriptor(base, property);
    if (!descriptor || !('value' in descriptor)) {
      return {
        kind: 'invalid',
        reason: `'${name}' is not an own data property of '${object}' (getters and inherited properties are not read at compile time)`,
      };
    }
    const fixed = Object.isFrozen(base) || (descriptor.writable === false && descriptor.configurable === false);
    if (!fixed) this.guards.push({ object: base, key: property, value: descriptor.value, name });
    return this.#valueBinding(descriptor.value, name, `its scope`);
  }

  #valueBinding(value: unknown, identifier: string, where: string): FreeBinding {
    switch (typeof value) {
      case 'number':
      case 'bigint':
      case 'boolean':
        return { kind: 'constant', value };
      case 'function': {
        const builtin = builtinFunctions.get(value);
        if (builtin) return { kind: 'builtin', ...builtin };
        const known = this.#units.length;
        const unit = this.addFunction(value, identifier);
        if (this.#units.length > known) this.#lazy.add(unit);
        // The entry, reached from another function (mutual recursion), is called as any function, not as the entry.
        return functionBinding(unit === this.#units[0] ? this.#selfOf(unit) : unit);
      }
    }
    // A plain Array of numbers (a module-level table) is read like a TypedArray: the runtime passes a copy at each call.
    if (isTypedArray(value) || isNumberArray(value)) {
      let index = this.#globals.indexOf(value);
      if (index < 0) index = this.#globals.push(value) - 1;
      return { kind: 'global', index };
    }
    return {
      kind: 'invalid',
      reason: `'${identifier}' in ${where} is ${describe(value)}; only numbers, booleans, BigInts, TypedArrays, Arrays of numbers and functions can be used`,
    };
  }

  sources(): Map<string, string> {
    return new Map(this.#units.map((u) => [u.name, u.parsed.source]));
  }

  /**
   * Lowers every unit, including the scope functions discovered on the way.
   * Every function takes all the TypedArrays of the scopes as hidden
   * parameters, so lowering runs again until no new one is found.
   */
  lowerAll(): Cfg[] {
    for (;;) {
      const known = this.#globals.length;
      const lowered = new Map<Unit, Cfg>();
      // Units found in scopes are lowered once a call of them is emitted (a function only passed on, as a
      // callee specialised on it, is never called itself); lowering one may make others called.
      for (let changed = true; changed;) {
        changed = false;
        for (let i = 0; i < this.#units.length; i++) {
          const unit = this.#units[i] as Unit;
          if (lowered.has(unit) || (this.#lazy.has(unit) && !this.#called.has(unit))) continue;
          lowered.set(unit, this.#lower(unit, i === 0, known));
          changed = true;
        }
      }
      if (this.#globals.length === known) return this.#units.flatMap((u) => lowered.get(u) ?? []);
    }
  }

  #lower(unit: Unit, entry: boolean, hiddenParams: number): Cfg {
    return lowerFunction(unit.parsed, {
      name: unit.name,
      resolve: (identifier) => this.#resolve(unit, identifier),
      resolveMember: (object, property) => this.#resolveMember(unit, object, property),
      specialize: (name, bound) => this.specialize(name, bound),
      onCall: (name) => this.used(name),
      project: (name, k) => this.project(name, k),
      ...(unit.returnElement !== undefined ? { returnElement: unit.returnElement } : {}),
      ...(unit.boundIndexes ? { boundParams: unit.boundIndexes } : {}),
      scopeHint: this.hint,
      caller: this.caller,
      hiddenParams,
      ...(entry
        ? {
            undefinedParams: this.entryUndefinedParams,
            ...(this.emptyReturnsRaise ? { emptyReturnsRaise: true } : {}),
            boundParams: [...this.entryFunctionParams.keys()],
            ...(this.entryArrayIdentity ? { arrayIdentity: this.entryArrayIdentity } : {}),
            onIdentityFact: () => {
              this.usesArrayIdentity = true;
            },
          }
        : {}),
    });
  }
}

function functionBinding(unit: Unit): FreeBinding {
  return { kind: 'function', name: unit.name, arity: unit.parsed.node.params.length };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'undefined') return 'undefined';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` : 'an object';
}

function functionSource(fn: AnyFunction, name: string | undefined): string {
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new CompileError(
      `${name ? `'${name}'` : 'the function'} is a native or bound function; only functions with JavaScript source can be compiled`,
      'native function',
      source,
      1,
      1,
    );
  }
  return source;
}

function compile(unit: CompilationUnit, entry: Unit): CompiledJs {
  const cfgs = unit.lowerAll();
  const module = cfgToModule(cfgs, { registry: jsRegistry });
  return {
    module,
    cfgs,
    entry: entry.name,
    sources: unit.sources(),
    globals: [...unit.globals],
    usesArrayIdentity: unit.usesArrayIdentity,
    guards: uniqueGuards(unit.guards),
    emptyReturnsRaise: unit.emptyReturnsRaise,
  };
}

/**
 * Compiles a JavaScript function (declaration, expression or arrow) from its
 * source text (`fn.toString()`), with the functions it calls from `scope`.
 * The entry's CFG is named after the function (`anonymous` if it has no
 * name). Throws a CompileError for anything outside the supported subset.
 */
export function fromFunction(fn: AnyFunction, options: FromFunctionOptions = {}): CompiledJs {
  const scope = options.scope ?? {};
  const caller = options.caller ?? 'fromFunction';
  const unit = new CompilationUnit(
    scope,
    (identifier) => `pass it as ${caller}(fn, { scope: { ${identifier} } })`,
    caller,
    options.scopeOf,
    options.undefinedParams,
    options.functionParams,
    options.arrayIdentity,
  );
  unit.allowEmptyReturns = options.emptyReturnsRaise === true;
  return compile(unit, unit.addFunction(fn, fn.name || undefined, scope));
}

/**
 * Compiles JavaScript source text: one function (declaration, expression or
 * arrow) or several function declarations that may call each other;
 * `options.name` picks the entry (the first function otherwise).
 */
export function fromSource(source: string, options: FromSourceOptions = {}): CompiledJs {
  const caller = options.caller ?? 'fromSource';
  const unit = new CompilationUnit(
    options.scope ?? {},
    (identifier) => `pass it as ${caller}(source, { scope: { ${identifier} } })`,
    caller,
  );
  const parsed = parseFunctions(source);
  const units = parsed.map((p) => unit.addSource(p, parsed.length === 1 ? options.name : undefined));
  let entry = units[0] as Unit;
  if (options.name !== undefined && parsed.length > 1) {
    const found = units.find((u) => u.parsed.declaredName === options.name);
    if (!found) {
      throw new Error(
        `the source declares no function '${options.name}' (it declares ${units.map((u) => u.parsed.declaredName).join(', ')})`,
      );
    }
    entry = found;
  }
  return compile(unit, entry);
}
