import type { Module } from '@rvsdg/ir';
import type { Cfg } from '../cfg/cfg.js';
import { cfgToModule } from '../cfg/cfg-to-rvsdg.js';
import { CompileError } from './compile-error.js';
import { jsRegistry } from './js-dialect.js';
import { lowerFunction, type FreeBinding } from './js-to-cfg.js';
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
}

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
}

// A JavaScript function of any signature: the frontend reads only its source text.
type AnyFunction = (...args: never[]) => unknown;

interface Unit {
  readonly name: string;
  readonly parsed: ParsedFunction;
}

const identifierName = /^[A-Za-z_$][\w$]*$/;

class CompilationUnit {
  readonly #units: Unit[] = [];
  readonly #byFunction = new Map<unknown, Unit>();
  readonly #sourceFunctions = new Map<string, Unit>();
  readonly #names = new Set<string>();

  constructor(
    readonly scope: Readonly<Record<string, unknown>>,
    readonly hint: (identifier: string) => string,
    readonly caller: string,
  ) {}

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

  addFunction(fn: unknown, name: string | undefined): Unit {
    const known = this.#byFunction.get(fn);
    if (known) return known;
    const parsed = parseFunction(functionSource(fn as AnyFunction, name));
    const unit = { name: this.#uniqueName(name ?? parsed.declaredName), parsed };
    this.#units.push(unit);
    this.#byFunction.set(fn, unit);
    return unit;
  }

  #resolve(unit: Unit, identifier: string): FreeBinding | undefined {
    const source = this.#sourceFunctions.get(identifier);
    if (source) return functionBinding(source);
    if (Object.prototype.hasOwnProperty.call(this.scope, identifier)) {
      const value = this.scope[identifier];
      switch (typeof value) {
        case 'number':
        case 'bigint':
        case 'boolean':
          return { kind: 'constant', value };
        case 'function':
          return functionBinding(this.addFunction(value, identifier));
        default:
          return {
            kind: 'invalid',
            reason: `'${identifier}' in the scope is ${describe(value)}; only numbers, booleans, BigInts and functions can be passed`,
          };
      }
    }
    if (identifier === unit.parsed.declaredName) return functionBinding(unit);
    return undefined;
  }

  sources(): Map<string, string> {
    return new Map(this.#units.map((u) => [u.name, u.parsed.source]));
  }

  /** Lowers every unit, including the scope functions discovered on the way. */
  lowerAll(): Cfg[] {
    const cfgs: Cfg[] = [];
    for (let i = 0; i < this.#units.length; i++) {
      const unit = this.#units[i] as Unit;
      cfgs.push(
        lowerFunction(unit.parsed, {
          name: unit.name,
          resolve: (identifier) => this.#resolve(unit, identifier),
          scopeHint: this.hint,
          caller: this.caller,
        }),
      );
    }
    return cfgs;
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
  return { module, cfgs, entry: entry.name, sources: unit.sources() };
}

/**
 * Compiles a JavaScript function (declaration, expression or arrow) from its
 * source text (`fn.toString()`), with the functions it calls from `scope`.
 * The entry's CFG is named after the function (`anonymous` if it has no
 * name). Throws a CompileError for anything outside the supported subset.
 */
export function fromFunction(fn: AnyFunction, options: FromFunctionOptions = {}): CompiledJs {
  const caller = options.caller ?? 'fromFunction';
  const unit = new CompilationUnit(
    options.scope ?? {},
    (identifier) => `pass it as ${caller}(fn, { scope: { ${identifier} } })`,
    caller,
  );
  return compile(unit, unit.addFunction(fn, fn.name || undefined));
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
