import { Function } from './function.js';
import { LLVMContext, type FunctionType } from './types.js';
import { GlobalVariable, type GlobalValue, type SymbolTable } from './values.js';

/**
 * An LLVM module being built: named struct types of its context, global
 * variables and functions in creation order. `print()` gives the IR text
 * the native engine parses.
 */
export class Module implements SymbolTable {
  readonly context: LLVMContext;
  readonly #globals: GlobalValue[] = [];
  readonly #symbols = new Map<string, GlobalValue>();
  #anonymous = 0;

  constructor(
    readonly name: string,
    context?: LLVMContext,
  ) {
    this.context = context ?? new LLVMContext();
  }

  getName(): string {
    return this.name;
  }

  uniqueName(name: string): string {
    if (name === '') name = `anon.${this.#anonymous++}`;
    let unique = name;
    for (let i = 1; this.#symbols.has(unique); i++) unique = `${name}.${i}`;
    return unique;
  }

  register(global: GlobalValue): void {
    if (this.#symbols.has(global.name)) throw new Error(`the module already has a symbol '${global.name}'`);
    this.#symbols.set(global.name, global);
    this.#globals.push(global);
  }

  getFunction(name: string): Function | undefined {
    const global = this.#symbols.get(name);
    return global instanceof Function ? global : undefined;
  }

  getGlobalVariable(name: string, _allowInternal = true): GlobalVariable | undefined {
    const global = this.#symbols.get(name);
    return global instanceof GlobalVariable ? global : undefined;
  }

  getNamedGlobal(name: string): GlobalVariable | undefined {
    return this.getGlobalVariable(name);
  }

  /** The function `name`, declared with `type` (external linkage) when the module has none yet. */
  getOrInsertFunction(name: string, type: FunctionType): Function {
    return this.getFunction(name) ?? Function.Create(type, 'external', name, this);
  }

  /** Functions and global variables, in creation order. */
  globals(): readonly GlobalValue[] {
    return this.#globals;
  }

  print(): string {
    const parts: string[] = [`; ModuleID = '${this.name.replace(/['\n]/g, '_')}'`];
    const types = this.context.namedStructs;
    if (types.length > 0) parts.push(types.map((t) => `${t.text} = type ${t.body}`).join('\n'));
    const variables = this.#globals.filter((g) => g instanceof GlobalVariable);
    if (variables.length > 0) parts.push(variables.map((g) => g.print()).join('\n'));
    for (const g of this.#globals) if (g instanceof Function) parts.push(g.print());
    return `${parts.join('\n\n')}\n`;
  }

  toString(): string {
    return this.print();
  }
}
