import { FunctionType, identifier, type LLVMContext, type Type } from './types.js';
import { Argument, GlobalValue, type Linkage, type PHINode, type SwitchInst, type SymbolTable } from './values.js';

/** A line of a block: instruction text, or a phi or switch that prints itself once complete. */
type Line = string | PHINode | SwitchInst;

/**
 * A basic block: its label and its instructions as text. Blocks print in
 * the order they were created, the entry block first.
 */
export class BasicBlock {
  /** `%label`, the block as a `label` operand. */
  readonly ref: string;
  readonly label: string;
  /** Entry-block allocas, printed before the other instructions. */
  readonly #head: string[] = [];
  readonly #lines: Line[] = [];
  #terminated = false;

  private constructor(
    readonly parent: Function,
    name: string,
  ) {
    this.label = parent.uniqueLocal(name || 'bb');
    this.ref = `%${this.label}`;
  }

  /** A new block at the end of `fn` (the context argument is accepted for the C++ API's call shape). */
  static Create(_context: LLVMContext | undefined, name: string, fn: Function): BasicBlock {
    const block = new BasicBlock(fn, name);
    fn.blocks.push(block);
    return block;
  }

  getParent(): Function {
    return this.parent;
  }

  getName(): string {
    return this.label;
  }

  /** True once a terminator (br, switch, ret, unreachable) has been appended. */
  get terminated(): boolean {
    return this.#terminated;
  }

  /** @internal Appends an instruction (the builder does). */
  append(line: Line, terminator = false): void {
    this.#lines.push(line);
    if (terminator) this.#terminated = true;
  }

  /** @internal Puts an instruction before all others that are not phis (entry-block allocas). */
  prepend(line: string): void {
    this.#head.push(line);
  }

  print(): string {
    const lines = this.#head.length > 0 ? [...this.#head, ...this.#lines] : this.#lines;
    return `${identifier(this.label)}:\n${lines.join('\n')}`;
  }
}

/**
 * A function: a declaration until a block is created in it. Its arguments
 * are `%0`, `%1`, ...; every other local is named, so code may be built in
 * any order.
 */
export class Function extends GlobalValue {
  readonly functionType: FunctionType;
  readonly blocks: BasicBlock[] = [];
  readonly #args: Argument[];
  /** Attribute text after the parameter list (`nounwind`, `#0`...). */
  readonly #attributes: string[] = [];
  #nextLocal = 0;

  private constructor(type: FunctionType, linkage: Linkage, name: string) {
    super(name, linkage, type);
    this.functionType = type;
    this.#args = type.params.map((t, i) => new Argument(t, `%${i}`, i));
  }

  /** The C++ API's `Function::Create`: a function in `module` (renamed `name.1`... when the name is taken). */
  static Create(type: FunctionType, linkage: Linkage, name: string, module: SymbolTable): Function {
    const fn = new Function(type, linkage, module.uniqueName(name));
    module.register(fn);
    return fn;
  }

  getFunctionType(): FunctionType {
    return this.functionType;
  }

  getReturnType(): Type {
    return this.functionType.returnType;
  }

  getArg(index: number): Argument {
    const arg = this.#args[index];
    if (!arg) throw new RangeError(`function @${this.name} has no argument ${index}`);
    return arg;
  }

  arg_size(): number {
    return this.#args.length;
  }

  getEntryBlock(): BasicBlock {
    const entry = this.blocks[0];
    if (!entry) throw new Error(`function @${this.name} has no body`);
    return entry;
  }

  isDeclaration(): boolean {
    return this.blocks.length === 0;
  }

  /** Adds a function attribute, e.g. `nounwind` or `"frame-pointer"="all"`. */
  addFnAttr(attribute: string): void {
    if (!this.#attributes.includes(attribute)) this.#attributes.push(attribute);
  }

  /** @internal A local name unique in this function: `hint.N` (or `tN` without a hint). */
  uniqueLocal(hint: string): string {
    const n = this.#nextLocal++;
    if (hint === '') return `t${n}`;
    // A name starting with a digit would read as a numbered value.
    const safe = hint.replace(/[^-a-zA-Z$._0-9]/g, '_');
    return /^[0-9-]/.test(safe) ? `_${safe}.${n}` : `${safe}.${n}`;
  }

  print(): string {
    const type = this.functionType;
    const attributes = this.#attributes.length > 0 ? ` ${this.#attributes.join(' ')}` : '';
    if (this.blocks.length === 0) {
      const params = [...type.params.map((p) => p.text), ...(type.varArgs ? ['...'] : [])].join(', ');
      return `declare ${type.returnType.text} ${this.ref}(${params})${attributes}`;
    }
    const params = [...this.#args.map((a) => `${a.type.text} ${a.ref}`), ...(type.varArgs ? ['...'] : [])].join(', ');
    const linkage = this.linkage === 'external' ? '' : `${this.linkage} `;
    const body = this.blocks.map((b) => b.print()).join('\n\n');
    return `define ${linkage}${type.returnType.text} ${this.ref}(${params})${attributes} {\n${body}\n}`;
  }
}
