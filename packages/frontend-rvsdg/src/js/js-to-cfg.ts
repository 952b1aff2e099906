import type {
  ArrayPattern,
  AssignmentExpression,
  AssignmentPattern,
  BinaryExpression,
  BlockStatement,
  CallExpression,
  ConditionalExpression,
  DoWhileStatement,
  Expression,
  ForOfStatement,
  ForStatement,
  Function as FunctionNode,
  Identifier,
  IfStatement,
  LabeledStatement,
  Literal,
  LogicalExpression,
  MemberExpression,
  NewExpression,
  Node,
  Statement,
  SwitchStatement,
  ThrowStatement,
  UnaryExpression,
  UpdateExpression,
  VariableDeclaration,
  WhileStatement,
} from 'acorn';
import { bool, fn, mem, unknown, type Attrs, type ErrorName, type SourceLoc, type Type } from '@rvsdg/ir';
import {
  COPY_OP,
  FUNCTION_REF_OP,
  type Block,
  type BlockId,
  type Cfg,
  type Instruction,
  type Terminator,
  type VarName,
} from '../cfg/cfg.js';
import { liveness } from '../cfg/liveness.js';
import { childNodes } from './ast.js';
import { CompileError } from './compile-error.js';
import { mathConstants, mathFunctions, numberFunctions, typedArrayKinds, typeofResults } from './js-dialect.js';
import type { ParsedFunction } from './parse-function.js';

/**
 * Lowers one JavaScript function to the CFG model.
 *
 * Conventions of the produced CFG (the `js` calling convention):
 * - params are the JavaScript parameters (type `?`) followed by the memory
 *   state `%mem` (type `mem`); every `return` assigns `%ret` and jumps to
 *   the one exit block, which returns `[%ret, %mem]`, so the function type
 *   is `fn(?, ..., ?, mem) -> (?, mem)`; a missing return value is
 *   JavaScript's `undefined`.
 * - each JavaScript binding is one variable (block-scoped bindings that
 *   shadow others get a `#n` suffix); temporaries are named `%tn`; branch
 *   conditions have type `bool`, function references a function type,
 *   everything else `?`.
 * - `var` bindings are set to `undefined` on entry; let/const bindings are
 *   assigned where they are declared, and reading one earlier (its temporal
 *   dead zone) is a compile error, so no path reads an unassigned binding.
 * - `&&`, `||`, `??` and `?:` become branches; `for...of` becomes an index
 *   loop over the TypedArray; `throw` becomes `raise` followed by a return
 *   that is never reached.
 */

/** What a free identifier (not bound in the function) denotes, as decided by the caller's scope. */
export type FreeBinding =
  | { readonly kind: 'constant'; readonly value: number | bigint | boolean }
  | { readonly kind: 'function'; readonly name: string; readonly arity: number }
  /** One of JavaScript's own functions the frontend compiles (`Math.floor`), found under another name. */
  | { readonly kind: 'builtin'; readonly object: string; readonly method: string }
  /** The TypedArray passed as hidden parameter `index` (see LowerOptions.hiddenParams). */
  | { readonly kind: 'global'; readonly index: number }
  | { readonly kind: 'invalid'; readonly reason: string };

export interface LowerOptions {
  /** The CFG's name. */
  readonly name: string;
  /** Resolves identifiers that are not bound in the function; undefined when the scope lacks them. */
  readonly resolve: (identifier: string) => FreeBinding | undefined;
  /**
   * Resolves `object.property` where `object` is a free identifier bound to
   * an object (a module's exports, a function with properties); undefined
   * when it is not such a binding.
   */
  readonly resolveMember?: (object: string, property: string) => FreeBinding | undefined;
  /**
   * The function named `name` (a `function` binding's name) specialised on
   * functions for some of its parameters (by position): a function whose
   * parameters are those of `name` less the bound ones; undefined when it
   * cannot be made.
   */
  readonly specialize?: (
    name: string,
    bound: ReadonlyMap<number, FreeBinding>,
  ) => Extract<FreeBinding, { kind: 'function' }> | undefined;
  /**
   * The function named `name`, when every path of it returns an array
   * literal (or a call), as a copy returning only element `element`
   * (`tickSpec(...)[2]`); undefined otherwise.
   */
  readonly project?: (name: string, element: number) => Extract<FreeBinding, { kind: 'function' }> | undefined;
  /**
   * The entry returns a value on some paths and nothing (or `undefined`,
   * or `null`) on others (d3's `mean`, gl-matrix's `invert`): those returns
   * raise an Error with a message of `emptyReturnMessages`, which the
   * caller of the compiled entry must turn back into its return of
   * undefined or null. The entry must not be called from compiled code.
   */
  readonly emptyReturnsRaise?: boolean;
  /** In such a copy: the element its returns give (see `project`). */
  readonly returnElement?: number;
  /** Told the name of every function a call is emitted for (functions made on demand are compiled only when called). */
  readonly onCall?: (name: string) => void;

  /** How the message for an undefined identifier tells the user to pass it. */
  readonly scopeHint?: (identifier: string) => string;
  /**
   * How many hidden parameters (`%g0`, `%g1`, ...) every function of the
   * compilation takes after its own: the TypedArrays read from scopes,
   * passed along on every call between the functions.
   */
  readonly hiddenParams?: number;
  /** Positions of parameters that are `undefined` in this specialization: locals set to undefined, not parameters. */
  readonly undefinedParams?: readonly number[];
  /**
   * Positions of parameters bound to a known function in this
   * specialization: not parameters, their names resolved by `resolve`.
   */
  readonly boundParams?: readonly number[];
  /**
   * Which TypedArray parameters are the same object in this specialization:
   * parameter index to a class (equal classes, same object). Comparing two
   * of these parameters that the function never assigns (`out === a`) is a
   * constant; `onIdentityFact` is told when one was used.
   */
  readonly arrayIdentity?: ReadonlyMap<number, number>;
  readonly onIdentityFact?: () => void;
  /** The API the user compiles with (`jit`, say), named in messages about what it cannot compile. */
  readonly caller?: string;
}

export const MEM_VAR = '%mem';

/** The messages of the errors that stand for an entry's `return` of undefined or null (see LowerOptions.emptyReturnsRaise). */
export const emptyReturnMessages = {
  undefined: 'rvsdg: the compiled entry returned undefined (internal)',
  null: 'rvsdg: the compiled entry returned null (internal)',
} as const;

/** Whether a `return` (its argument) returns undefined or null by its syntax, and which. */
export function emptyReturn(argument: Node | null | undefined): 'undefined' | 'null' | undefined {
  if (!argument) return 'undefined';
  if (argument.type === 'Identifier' && (argument as Identifier).name === 'undefined') return 'undefined';
  const n = argument as unknown as { operator?: string; argument?: Node; value?: unknown; regex?: unknown };
  if (argument.type === 'UnaryExpression' && n.operator === 'void' && n.argument?.type === 'Literal')
    return 'undefined';
  if (argument.type === 'Literal' && n.value === null && !n.regex) return 'null';
  return undefined;
}
/** The variable every `return` assigns before jumping to the single exit block. */
export const RETURN_VAR = '%ret';

interface Binding {
  readonly variable: VarName;
  readonly kind: 'var' | 'let' | 'const' | 'param';
  /** Source offset where a let/const binding becomes initialized; earlier references are in its dead zone. */
  readonly initializedAt?: number;
  /** For lexical declarations directly in a switch case: the switch and the case index. */
  readonly clause?: { readonly switchNode: Node; readonly index: number };
}

interface JumpTarget {
  readonly labels: readonly string[];
  readonly breakTarget: BlockId;
  /** Present for loops. */
  readonly continueTarget?: BlockId;
  /** Loops and switches answer an unlabeled `break`. */
  readonly breakable: boolean;
}

interface MutableBlock {
  readonly id: BlockId;
  readonly instructions: Instruction[];
  terminator?: Terminator;
}

const errorClasses = new Set<ErrorName>(['Error', 'RangeError', 'TypeError']);

const builtinGlobals = new Set([
  'Math',
  'Number',
  'BigInt',
  'Boolean',
  'isNaN',
  'isFinite',
  'undefined',
  'NaN',
  'Infinity',
  ...typedArrayKinds.keys(),
  ...errorClasses,
]);

/**
 * Globals of JavaScript and of Node.js that compiled code cannot use (those
 * it can are in builtinGlobals): a message says so instead of suggesting to
 * pass them in the scope.
 */
const uncompilableGlobals = new Set([
  'globalThis',
  'eval',
  'parseInt',
  'parseFloat',
  'decodeURI',
  'decodeURIComponent',
  'encodeURI',
  'encodeURIComponent',
  'escape',
  'unescape',
  'Object',
  'Function',
  'Array',
  'String',
  'Symbol',
  'Date',
  'RegExp',
  'JSON',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'FinalizationRegistry',
  'Promise',
  'Proxy',
  'Reflect',
  'Intl',
  'Atomics',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'AggregateError',
  'WebAssembly',
  'console',
  'process',
  'Buffer',
  'require',
  'module',
  'exports',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'queueMicrotask',
  'structuredClone',
  'performance',
  'fetch',
  'crypto',
  'URL',
  'TextEncoder',
  'TextDecoder',
]);

const numberConstants = new Set([
  'MAX_SAFE_INTEGER',
  'MIN_SAFE_INTEGER',
  'MAX_VALUE',
  'MIN_VALUE',
  'EPSILON',
  'POSITIVE_INFINITY',
  'NEGATIVE_INFINITY',
  'NaN',
]);

const binaryOps: Readonly<Record<string, { op: string; throws: boolean }>> = {
  '+': { op: 'js.add', throws: true },
  '-': { op: 'js.sub', throws: true },
  '*': { op: 'js.mul', throws: true },
  '/': { op: 'js.div', throws: true },
  '%': { op: 'js.rem', throws: true },
  '**': { op: 'js.pow', throws: true },
  '&': { op: 'js.bitand', throws: true },
  '|': { op: 'js.bitor', throws: true },
  '^': { op: 'js.bitxor', throws: true },
  '<<': { op: 'js.shl', throws: true },
  '>>': { op: 'js.shr', throws: true },
  '>>>': { op: 'js.ushr', throws: true },
  '<': { op: 'js.lt', throws: false },
  '<=': { op: 'js.le', throws: false },
  '>': { op: 'js.gt', throws: false },
  '>=': { op: 'js.ge', throws: false },
  '===': { op: 'js.eq', throws: false },
  '!==': { op: 'js.ne', throws: false },
  '==': { op: 'js.looseeq', throws: false },
  '!=': { op: 'js.loosene', throws: false },
};

/** Constructs that are not compiled, by ESTree node type. */
const unsupportedNodes: Readonly<Record<string, string>> = {
  ThisExpression: "'this'",
  ArrayExpression: 'array literal',
  ObjectExpression: 'object literal',
  FunctionExpression: 'function expression (closures are not supported)',
  ArrowFunctionExpression: 'arrow function (closures are not supported)',
  FunctionDeclaration: 'nested function declaration (closures are not supported)',
  ClassExpression: 'class',
  ClassDeclaration: 'class',
  TemplateLiteral: 'template literal (strings are not supported)',
  TaggedTemplateExpression: 'tagged template',
  YieldExpression: 'yield',
  AwaitExpression: 'await',
  ChainExpression: 'optional chaining',
  ImportExpression: 'import()',
  MetaProperty: 'meta property',
  Super: "'super'",
  SpreadElement: 'spread',
  TryStatement: 'try statement',
  WithStatement: 'with statement',
  ForInStatement: 'for...in',
  ObjectPattern: 'destructuring',
  ArrayPattern: 'destructuring',
  RestElement: 'rest parameter',
};

/** Whether evaluating the node may assign a binding (so values read before it must be copied). */
function assigns(node: Node | null | undefined): boolean {
  if (!node || typeof node !== 'object') return false;
  if (node.type === 'AssignmentExpression' || node.type === 'UpdateExpression') return true;
  return childNodes(node).some((child) => assigns(child));
}

/**
 * The names an array pattern of a destructuring declaration binds
 * (`const [a, b = 1] = ...`); undefined for any other pattern.
 */
function arrayPatternNames(pattern: Node): Identifier[] | undefined {
  if (pattern.type !== 'ArrayPattern') return undefined;
  const names: Identifier[] = [];
  for (const element of (pattern as ArrayPattern).elements) {
    if (element === null) continue;
    const id = element.type === 'AssignmentPattern' ? element.left : element;
    if (id.type !== 'Identifier') return undefined;
    names.push(id);
  }
  return names;
}

/** Every identifier an assignment target (a name or a pattern) writes. */
function collectPatternNames(pattern: Node, into: Set<string>): void {
  const visit = (n: Node | null | undefined): void => {
    if (!n) return;
    if (n.type === 'Identifier') into.add((n as Identifier).name);
    else if (n.type === 'ArrayPattern') (n as ArrayPattern).elements.forEach((e) => visit(e));
    else if (n.type === 'AssignmentPattern') visit((n as unknown as { left: Node }).left);
    else if (n.type === 'RestElement') visit((n as unknown as { argument: Node }).argument);
    else if (n.type === 'ObjectPattern') {
      for (const p of (n as unknown as { properties: { type: string; value?: Node; argument?: Node }[] }).properties) {
        visit(p.type === 'RestElement' ? p.argument : p.value);
      }
    }
  };
  visit(pattern);
}

/** The last character of a block, where a function without a return statement returns undefined. */
function closingBrace(block: Node): Node {
  const end = block.loc?.end;
  if (!end) return block;
  return { ...block, loc: { ...block.loc, start: { ...end, column: Math.max(0, end.column - 1) } } } as Node;
}

function isTemp(variable: VarName): boolean {
  return variable.startsWith('%t');
}

export function lowerFunction(parsed: ParsedFunction, options: LowerOptions): Cfg {
  return new FunctionLowering(parsed, options).lower();
}

class FunctionLowering {
  readonly #blocks = new Map<BlockId, MutableBlock>();
  readonly #variables = new Map<VarName, Type>([
    [MEM_VAR, mem],
    [RETURN_VAR, unknown],
  ]);
  readonly #scopes: Map<string, Binding>[] = [];
  readonly #targets: JumpTarget[] = [];
  readonly #currentClause = new Map<Node, number>();
  #current: MutableBlock;
  #tempCount = 0;
  #blockCount = 0;
  /** The first instructions of the entry block set each hoisted `var` to undefined. */
  #varInitCount = 0;
  readonly #entry: MutableBlock;
  readonly #exit: MutableBlock;
  readonly #node: FunctionNode;
  /** Parameter variables by index, for the identity facts of TypedArray parameters. */
  readonly #paramIndex = new Map<VarName, number>();

  constructor(
    readonly parsed: ParsedFunction,
    readonly options: LowerOptions,
  ) {
    this.#node = parsed.node;
    this.#entry = this.#newBlock('entry');
    // One exit block, so the memory state is returned from one place.
    this.#exit = this.#newBlock('exit');
    this.#exit.terminator = { kind: 'return', values: [RETURN_VAR, MEM_VAR] };
    this.#current = this.#entry;
  }

  lower(): Cfg {
    const node = this.#node;
    if (node.async) this.#unsupported(node, 'async function');
    if (node.generator) this.#unsupported(node, 'generator function');
    const functionScope = new Map<string, Binding>();
    this.#scopes.push(functionScope);
    const params: VarName[] = [];
    const bound = new Set<string>();
    node.params.forEach((param, index) => {
      const id = param.type === 'AssignmentPattern' ? param.left : param;
      if (id.type !== 'Identifier') this.#unsupported(id, unsupportedNodes[id.type] ?? id.type);
      if (functionScope.has(id.name) || bound.has(id.name))
        this.#unsupported(id, 'duplicate parameter', `parameter '${id.name}' is declared twice`);
      // A function argument of this specialization: its name is resolved by `resolve`, like a scope function's.
      if (this.options.boundParams?.includes(index)) {
        bound.add(id.name);
        return;
      }
      if (this.#defaultsToFunction(param, index, functionScope)) {
        bound.add(id.name);
        return;
      }
      const variable = this.#declare(functionScope, id.name, 'param');
      this.#paramIndex.set(variable, index);
      if (this.options.undefinedParams?.includes(index)) this.#emit('js.undefined', [], [variable], id);
      else params.push(variable);
    });
    this.#hoistVars(node.body, functionScope);
    for (const binding of functionScope.values()) {
      if (binding.kind === 'var') this.#emit('js.undefined', [], [binding.variable], node);
    }
    this.#varInitCount = this.#entry.instructions.length;
    for (const param of node.params) {
      if (param.type === 'AssignmentPattern' && !bound.has((param.left as Identifier).name)) {
        this.#defaultParameter(param.left as Identifier, param.right);
      }
    }
    if (node.body.type === 'BlockStatement') {
      this.#blockStatement(node.body);
      this.#return(undefined, closingBrace(node.body));
    } else {
      this.#return(node.body as Expression, node.body);
    }
    this.#scopes.pop();
    return this.#finish([...params, ...this.#hiddenParams(), MEM_VAR]);
  }

  /**
   * A parameter left undefined in this specialization whose default names a
   * function (`compare = defaultCompare`, `valueof = number`), and which the
   * function never assigns: it is that function, resolved like a function
   * argument (calls of it are calls of the function).
   */
  #defaultsToFunction(param: Node, index: number, functionScope: ReadonlyMap<string, Binding>): boolean {
    if (param.type !== 'AssignmentPattern' || !this.options.undefinedParams?.includes(index)) return false;
    const { left, right } = param as AssignmentPattern;
    if (left.type !== 'Identifier' || right.type !== 'Identifier' || functionScope.has(right.name)) return false;
    if (this.#assigned().has(left.name)) return false;
    const target = this.options.resolve(right.name);
    if (target?.kind !== 'function' && target?.kind !== 'builtin') return false;
    this.#paramFunctions.set(left.name, right.name);
    return true;
  }

  readonly #paramFunctions = new Map<string, string>();

  /** A free name as `resolve` sees it, through the parameters that stand for a default function. */
  #resolveFree(name: string): FreeBinding | undefined {
    return this.options.resolve(this.#paramFunctions.get(name) ?? name);
  }

  /**
   * A call of a parameter that is undefined in this specialization, has no
   * default and is never assigned: JavaScript evaluates the arguments and
   * throws a TypeError (d3's `valueof(...)` on the path its
   * `valueof === undefined` test rules out).
   */
  #callOfUndefinedParam(
    callee: Identifier,
    binding: Binding,
    args: readonly Expression[],
    node: Node,
  ): VarName | undefined {
    const index = binding.kind === 'param' ? this.#paramIndex.get(binding.variable) : undefined;
    if (index === undefined || !this.options.undefinedParams?.includes(index)) return undefined;
    if (this.#node.params[index]?.type !== 'Identifier' || this.#assigned().has(callee.name)) return undefined;
    for (const arg of args) this.#expression(arg);
    this.#emit('raise', [MEM_VAR], [MEM_VAR], node, {
      error: 'TypeError',
      message: `${callee.name} is not a function`,
    });
    return this.#value('js.undefined', [], node);
  }

  #hiddenParams(): VarName[] {
    return Array.from({ length: this.options.hiddenParams ?? 0 }, (_, i) => this.#global(i));
  }

  #global(index: number): VarName {
    const name = `%g${index}`;
    this.#variables.set(name, unknown);
    return name;
  }

  // ---- blocks, variables, instructions

  #newBlock(hint: string): MutableBlock {
    const block: MutableBlock = { id: `${hint}${this.#blockCount++}`, instructions: [] };
    this.#blocks.set(block.id, block);
    return block;
  }

  #terminate(terminator: Terminator): void {
    this.#current.terminator = terminator;
    // Code after a jump is unreachable; it goes to a fresh block that #finish drops.
    this.#current = this.#newBlock('dead');
  }

  #jump(target: BlockId): void {
    this.#terminate({ kind: 'jump', target });
  }

  #branch(cond: VarName, ifFalse: BlockId, ifTrue: BlockId): void {
    this.#terminate({ kind: 'branch', cond, targets: [ifFalse, ifTrue] });
  }

  #temp(type: Type = unknown): VarName {
    const name = `%t${this.#tempCount++}`;
    this.#variables.set(name, type);
    return name;
  }

  #loc(node: Node): SourceLoc {
    const start = node.loc?.start ?? { line: 1, column: 0 };
    const shift = start.line === 1 ? this.parsed.firstLineShift : 0;
    return { line: start.line, column: start.column + 1 - shift };
  }

  #emit(op: string, args: readonly VarName[], results: readonly VarName[], node: Node, attrs?: Attrs): void {
    this.#current.instructions.push({ op, args, results, ...(attrs ? { attrs } : {}), loc: this.#loc(node) });
  }

  /** A new temporary holding the result of `op`. */
  #value(op: string, args: readonly VarName[], node: Node, attrs?: Attrs, type: Type = unknown): VarName {
    const result = this.#temp(type);
    this.#emit(op, args, [result], node, attrs);
    return result;
  }

  /** A new temporary holding the result of an op that threads the memory state. */
  #effectful(op: string, args: readonly VarName[], node: Node, attrs?: Attrs): VarName {
    const result = this.#temp();
    this.#emit(op, [...args, MEM_VAR], [result, MEM_VAR], node, attrs);
    return result;
  }

  #constant(value: number | bigint | boolean, node: Node): VarName {
    return this.#value('const', [], node, { value, type: unknown });
  }

  #undefined(node: Node): VarName {
    return this.#value('js.undefined', [], node);
  }

  /** Makes `target` hold `value`, renaming the instruction that just computed a fresh temporary instead of copying. */
  #assign(target: VarName, value: VarName, node: Node): void {
    const instructions = this.#current.instructions;
    const last = instructions[instructions.length - 1];
    if (
      isTemp(value) &&
      last &&
      last.results[0] === value &&
      this.#variables.get(target) === this.#variables.get(value)
    ) {
      instructions[instructions.length - 1] = { ...last, results: [target, ...last.results.slice(1)] };
      this.#variables.delete(value);
      return;
    }
    this.#emit(COPY_OP, [value], [target], node);
  }

  #finish(params: VarName[]): Cfg {
    const reachable = new Set<BlockId>();
    const work = [this.#entry.id];
    while (work.length > 0) {
      const id = work.pop() as BlockId;
      if (reachable.has(id)) continue;
      reachable.add(id);
      const terminator = this.#blocks.get(id)?.terminator;
      if (!terminator) throw new Error(`internal error: block ${id} has no terminator`);
      if (terminator.kind === 'jump') work.push(terminator.target);
      else if (terminator.kind === 'branch' || terminator.kind === 'switch') work.push(...terminator.targets);
    }
    const blocks = new Map<BlockId, Block>();
    const used = new Set<VarName>(params);
    const varInits = this.#readVarInits(reachable);
    for (const [id, block] of this.#blocks) {
      if (!reachable.has(id)) continue;
      const terminator = block.terminator as Terminator;
      const instructions = id === this.#entry.id ? [...varInits, ...block.instructions] : block.instructions;
      blocks.set(id, { id, instructions, terminator });
      for (const instruction of block.instructions) {
        for (const v of instruction.args) used.add(v);
        for (const v of instruction.results) used.add(v);
      }
      if (terminator.kind === 'branch') used.add(terminator.cond);
      else if (terminator.kind === 'switch') used.add(terminator.value);
      else if (terminator.kind === 'return') for (const v of terminator.values) used.add(v);
    }
    const variables = new Map<VarName, Type>();
    for (const [name, type] of this.#variables) if (used.has(name)) variables.set(name, type);
    return { name: this.options.name, params, variables, results: [unknown, mem], entry: this.#entry.id, blocks };
  }

  /**
   * Takes the hoisted `var = undefined` instructions out of the entry block
   * and returns those whose undefined some path can read. A `var` assigned
   * before every read (as one declared and returned inside a loop body) then
   * enters loops and merges without a value, like a `let`, instead of as
   * undefined, which would give it the type "undefined or number".
   */
  #readVarInits(reachable: ReadonlySet<BlockId>): Instruction[] {
    const inits = this.#entry.instructions.splice(0, this.#varInitCount);
    this.#varInitCount = 0;
    if (inits.length === 0) return inits;
    const blocks = new Map<BlockId, Block>();
    for (const [id, block] of this.#blocks) {
      if (reachable.has(id))
        blocks.set(id, { id, instructions: block.instructions, terminator: block.terminator as Terminator });
    }
    const cfg: Cfg = {
      name: this.options.name,
      params: [],
      variables: this.#variables,
      results: [unknown, mem],
      entry: this.#entry.id,
      blocks,
    };
    const live = new Set(liveness(cfg).liveIn(this.#entry.id));
    return inits.filter((instruction) => live.has(instruction.results[0] as VarName));
  }

  // ---- errors

  #unsupported(node: Node, construct: string, reason?: string): never {
    const { line, column } = this.#loc(node);
    throw new CompileError(
      reason ?? `${construct} is not supported`,
      construct,
      this.parsed.source,
      line,
      column,
      this.options.name,
    );
  }

  // ---- scopes and bindings

  #declare(scope: Map<string, Binding>, name: string, kind: Binding['kind'], extra?: Partial<Binding>): VarName {
    const existing = scope.get(name);
    if (existing && (kind === 'var' || kind === 'param') && (existing.kind === 'var' || existing.kind === 'param')) {
      return existing.variable;
    }
    let variable = name;
    for (let n = 1; this.#variables.has(variable); n++) variable = `${name}#${n}`;
    this.#variables.set(variable, unknown);
    scope.set(name, { variable, kind, ...extra });
    return variable;
  }

  /** `var` declarations anywhere in the body belong to the function scope. */
  #hoistVars(node: Node, scope: Map<string, Binding>): void {
    const visit = (n: Node): void => {
      if (n.type === 'VariableDeclaration' && (n as VariableDeclaration).kind === 'var') {
        for (const d of (n as VariableDeclaration).declarations) {
          if (d.id.type === 'Identifier') this.#declare(scope, d.id.name, 'var');
          for (const id of arrayPatternNames(d.id) ?? []) this.#declare(scope, id.name, 'var');
        }
      }
      if (
        n.type === 'FunctionExpression' ||
        n.type === 'FunctionDeclaration' ||
        n.type === 'ArrowFunctionExpression' ||
        n.type === 'ClassExpression' ||
        n.type === 'ClassDeclaration'
      ) {
        return;
      }
      for (const child of childNodes(n)) visit(child);
    };
    visit(node);
  }

  /** Declares the let/const bindings of a statement list in a new scope. */
  #lexicalScope(statements: readonly Node[], clauses?: { switchNode: Node; indexOf: (s: Node) => number }): void {
    const scope = new Map<string, Binding>();
    for (const statement of statements) {
      if (statement.type === 'VariableDeclaration' && (statement as VariableDeclaration).kind !== 'var') {
        const declaration = statement as VariableDeclaration;
        if (declaration.kind !== 'let' && declaration.kind !== 'const')
          this.#unsupported(declaration, `'${declaration.kind}' declaration`);
        for (const d of declaration.declarations) {
          const ids = d.id.type === 'Identifier' ? [d.id] : arrayPatternNames(d.id);
          if (!ids) this.#unsupported(d.id, 'destructuring');
          for (const id of ids ?? []) {
            this.#declare(scope, id.name, declaration.kind, {
              initializedAt: d.end,
              ...(clauses ? { clause: { switchNode: clauses.switchNode, index: clauses.indexOf(statement) } } : {}),
            });
          }
        }
      } else if (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') {
        this.#unsupported(statement, unsupportedNodes[statement.type] as string);
      }
    }
    this.#scopes.push(scope);
  }

  #lookup(name: string): Binding | undefined {
    for (let i = this.#scopes.length - 1; i >= 0; i--) {
      const binding = this.#scopes[i]?.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  /**
   * For two TypedArray parameters the function never assigns: whether they
   * are the same object in this specialization (objects compare by identity,
   * loosely too). Undefined for anything else.
   */
  #sameArrayParams(left: Node, right: Node): boolean | undefined {
    const identity = this.options.arrayIdentity;
    if (!identity || left.type !== 'Identifier' || right.type !== 'Identifier') return undefined;
    const classes = [left, right].map((id) => {
      const binding = this.#lookup((id as Identifier).name);
      if (binding?.kind !== 'param' || this.#assigned().has((id as Identifier).name)) return undefined;
      const index = this.#paramIndex.get(binding.variable);
      return index === undefined ? undefined : identity.get(index);
    });
    if (classes[0] === undefined || classes[1] === undefined) return undefined;
    return classes[0] === classes[1];
  }

  #assignedNames: Set<string> | undefined;

  /** Names assigned anywhere in the function (shadowing ignored: a conservative answer). */
  #assigned(): Set<string> {
    if (this.#assignedNames) return this.#assignedNames;
    const names = new Set<string>();
    const visit = (n: Node): void => {
      if (n.type === 'AssignmentExpression') collectPatternNames((n as AssignmentExpression).left, names);
      if (n.type === 'UpdateExpression' && (n as UpdateExpression).argument.type === 'Identifier') {
        names.add(((n as UpdateExpression).argument as Identifier).name);
      }
      if (
        (n.type === 'ForInStatement' || n.type === 'ForOfStatement') &&
        (n as ForOfStatement).left.type !== 'VariableDeclaration'
      ) {
        collectPatternNames((n as ForOfStatement).left as Node, names);
      }
      for (const child of childNodes(n)) visit(child);
    };
    visit(this.#node.body);
    this.#assignedNames = names;
    return names;
  }

  /** The binding an identifier reads or writes, checking the temporal dead zone. */
  #binding(id: Identifier): Binding | undefined {
    const binding = this.#lookup(id.name);
    if (!binding) return undefined;
    if (binding.initializedAt !== undefined && id.start < binding.initializedAt) {
      this.#unsupported(
        id,
        'use before declaration',
        `'${id.name}' is used before its declaration (temporal dead zone)`,
      );
    }
    if (binding.clause && this.#currentClause.get(binding.clause.switchNode) !== binding.clause.index) {
      this.#unsupported(
        id,
        'use before declaration',
        `'${id.name}' is declared in another case of the switch and may be uninitialized here; declare it before the switch`,
      );
    }
    return binding;
  }

  #isGlobal(name: string): boolean {
    return builtinGlobals.has(name) && !this.#lookup(name) && this.#resolveFree(name) === undefined;
  }

  /** Refuses a global of JavaScript or Node.js the compiler has no meaning for (when `name` denotes one). */
  #refuseUncompilableGlobal(node: Node, name: string, what: string = name): void {
    if (!uncompilableGlobals.has(name) || this.#lookup(name) || this.#resolveFree(name) !== undefined) return;
    const compiler = this.options.caller ? `${this.options.caller} cannot compile` : 'cannot be compiled';
    this.#unsupported(node, `built-in '${what}'`, `'${what}' is a JavaScript built-in that ${compiler}`);
  }

  // ---- statements

  #statements(statements: readonly Statement[]): void {
    for (const statement of statements) this.#statement(statement);
  }

  #blockStatement(block: BlockStatement): void {
    this.#lexicalScope(block.body);
    this.#statements(block.body);
    this.#scopes.pop();
  }

  #statement(node: Statement): void {
    switch (node.type) {
      case 'ExpressionStatement': {
        const e = node.expression as Expression;
        // `[a, b] = [b, a]` as a statement (its value, the array, is not used).
        if (e.type === 'AssignmentExpression' && e.operator === '=' && e.left.type === 'ArrayPattern') {
          this.#destructure(e.left, e.right, e, false);
          return;
        }
        this.#expression(e);
        return;
      }
      case 'VariableDeclaration':
        this.#variableDeclaration(node);
        return;
      case 'BlockStatement':
        this.#blockStatement(node);
        return;
      case 'EmptyStatement':
      case 'DebuggerStatement':
        return;
      case 'IfStatement':
        this.#if(node);
        return;
      case 'WhileStatement':
        this.#while(node, []);
        return;
      case 'DoWhileStatement':
        this.#doWhile(node, []);
        return;
      case 'ForStatement':
        this.#for(node, []);
        return;
      case 'ForOfStatement':
        this.#forOf(node, []);
        return;
      case 'LabeledStatement':
        this.#labeled(node);
        return;
      case 'SwitchStatement':
        this.#switch(node, []);
        return;
      case 'ReturnStatement':
        this.#return(node.argument ?? undefined, node);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
        this.#breakOrContinue(node.type === 'BreakStatement', node.label?.name, node);
        return;
      case 'ThrowStatement':
        this.#throw(node);
        return;
      default:
        this.#unsupported(node, unsupportedNodes[node.type] ?? node.type);
    }
  }

  #variableDeclaration(node: VariableDeclaration): void {
    for (const d of node.declarations) {
      if (d.id.type === 'ArrayPattern') {
        this.#destructure(d.id, d.init, d, true);
        continue;
      }
      if (d.id.type !== 'Identifier') this.#unsupported(d.id, 'destructuring');
      const binding = this.#lookup(d.id.name) as Binding;
      if (d.init) {
        const value = this.#expression(d.init);
        this.#assign(binding.variable, value, d);
      } else if (node.kind !== 'var') {
        this.#emit('js.undefined', [], [binding.variable], d);
      }
    }
  }

  /**
   * `[a, b = 1] = [x, y]`: an array literal taken apart at once. The
   * literal's elements are evaluated left to right into fresh temporaries
   * first (so `[a, b] = [b, a]` swaps), then assigned in order; a missing
   * element is undefined (or the default), an extra one is evaluated and
   * dropped. The array itself never exists. Only literals of plain
   * elements are taken apart: any other value would need an iterator.
   */
  #destructure(pattern: ArrayPattern, init: Expression | null | undefined, node: Node, declaring: boolean): void {
    if (!arrayPatternNames(pattern)) return this.#unsupported(pattern, 'destructuring');
    if (!init || init.type !== 'ArrayExpression') {
      return this.#unsupported(
        init ?? pattern,
        'destructuring',
        'only an array literal can be destructured (`const [a, b] = [x, y]`)',
      );
    }
    const elements = init.elements.map((e) => {
      if (e === null || e.type === 'SpreadElement') {
        return this.#unsupported(e ?? init, 'array literal', 'holes and spread in array literals are not supported');
      }
      return e;
    });
    const values = elements.map((e) => this.#value(COPY_OP, [this.#expression(e)], e));
    pattern.elements.forEach((element, i) => {
      if (element === null) return;
      const id = (element.type === 'AssignmentPattern' ? element.left : element) as Identifier;
      let value = values[i] ?? this.#undefined(element);
      if (element.type === 'AssignmentPattern') {
        const result = this.#value(COPY_OP, [value], element);
        const missing = this.#value('js.is_nullish', [result], element, undefined, bool);
        const fill = this.#newBlock('default');
        const join = this.#newBlock('destructured');
        this.#branch(missing, join.id, fill.id);
        this.#current = fill;
        this.#emit(COPY_OP, [this.#expression(element.right)], [result], element);
        this.#jump(join.id);
        this.#current = join;
        value = result;
      }
      if (declaring) {
        this.#emit(COPY_OP, [value], [(this.#lookup(id.name) as Binding).variable], element);
      } else {
        const binding = this.#writableBinding(id);
        if (binding.kind === 'const') this.#constAssignment(node);
        else this.#emit(COPY_OP, [value], [binding.variable], element);
      }
    });
  }

  #return(argument: Expression | undefined, node: Node): void {
    const empty = emptyReturn(argument);
    if (this.options.emptyReturnsRaise && empty) {
      // The entry returns a value on other paths: the caller (jit) turns this error into the return of undefined or null.
      this.#emit('raise', [MEM_VAR], [MEM_VAR], node, { error: 'Error', message: emptyReturnMessages[empty] });
      this.#assign(RETURN_VAR, this.#undefined(node), node);
      this.#jump(this.#exit.id);
      return;
    }
    if (this.options.returnElement !== undefined) {
      this.#assign(RETURN_VAR, this.#returnedElement(argument, node, this.options.returnElement), node);
      this.#jump(this.#exit.id);
      return;
    }
    const value = argument ? this.#expression(argument) : this.#undefined(node);
    this.#assign(RETURN_VAR, value, node);
    this.#jump(this.#exit.id);
  }

  /** Branches on the truth of `node`: jumping code, so `&&`, `||` and `!` need no boolean values. */
  #condition(node: Expression, ifTrue: BlockId, ifFalse: BlockId): void {
    if (node.type === 'LogicalExpression' && node.operator !== '??') {
      const middle = this.#newBlock('cond');
      if (node.operator === '&&') this.#condition(node.left, middle.id, ifFalse);
      else this.#condition(node.left, ifTrue, middle.id);
      this.#current = middle;
      this.#condition(node.right, ifTrue, ifFalse);
      return;
    }
    if (node.type === 'UnaryExpression' && node.operator === '!') {
      this.#condition(node.argument, ifFalse, ifTrue);
      return;
    }
    const value = this.#expression(node);
    const cond = this.#value('js.truthy', [value], node, undefined, bool);
    this.#branch(cond, ifFalse, ifTrue);
  }

  #if(node: IfStatement): void {
    const then = this.#newBlock('then');
    const join = this.#newBlock('endif');
    const otherwise = node.alternate ? this.#newBlock('else') : join;
    this.#condition(node.test, then.id, otherwise.id);
    this.#current = then;
    this.#statement(node.consequent);
    this.#jump(join.id);
    if (node.alternate) {
      this.#current = otherwise;
      this.#statement(node.alternate);
      this.#jump(join.id);
    }
    this.#current = join;
  }

  #loopBody(body: Statement, labels: readonly string[], breakTarget: BlockId, continueTarget: BlockId): void {
    this.#targets.push({ labels, breakTarget, continueTarget, breakable: true });
    this.#statement(body);
    this.#targets.pop();
  }

  #while(node: WhileStatement, labels: readonly string[]): void {
    const header = this.#newBlock('while');
    const body = this.#newBlock('body');
    const exit = this.#newBlock('endwhile');
    this.#jump(header.id);
    this.#current = header;
    this.#condition(node.test, body.id, exit.id);
    this.#current = body;
    this.#loopBody(node.body, labels, exit.id, header.id);
    this.#jump(header.id);
    this.#current = exit;
  }

  #doWhile(node: DoWhileStatement, labels: readonly string[]): void {
    const body = this.#newBlock('do');
    const test = this.#newBlock('dotest');
    const exit = this.#newBlock('enddo');
    this.#jump(body.id);
    this.#current = body;
    this.#loopBody(node.body, labels, exit.id, test.id);
    this.#jump(test.id);
    this.#current = test;
    this.#condition(node.test, body.id, exit.id);
    this.#current = exit;
  }

  #for(node: ForStatement, labels: readonly string[]): void {
    const init = node.init;
    const scoped = init?.type === 'VariableDeclaration' && init.kind !== 'var';
    if (scoped) this.#lexicalScope([init]);
    if (init?.type === 'VariableDeclaration') this.#variableDeclaration(init);
    else if (init) this.#expression(init);
    const header = this.#newBlock('for');
    const body = this.#newBlock('body');
    const update = this.#newBlock('update');
    const exit = this.#newBlock('endfor');
    this.#jump(header.id);
    this.#current = header;
    if (node.test) this.#condition(node.test, body.id, exit.id);
    else this.#jump(body.id);
    this.#current = body;
    this.#loopBody(node.body, labels, exit.id, update.id);
    this.#jump(update.id);
    this.#current = update;
    if (node.update) this.#expression(node.update);
    this.#jump(header.id);
    this.#current = exit;
    if (scoped) this.#scopes.pop();
  }

  #forOf(node: ForOfStatement, labels: readonly string[]): void {
    if (node.await) this.#unsupported(node, 'for await...of');
    // The iterated value is evaluated once, before the loop variable exists.
    const array = this.#copyIfBinding(this.#expression(node.right), node.right);
    const left = node.left;
    let scope: Map<string, Binding> | undefined;
    let target: VarName;
    if (left.type === 'VariableDeclaration') {
      const declarator = left.declarations[0];
      if (!declarator || declarator.id.type !== 'Identifier') return this.#unsupported(left, 'destructuring');
      const id = declarator.id;
      if (left.kind === 'var') target = (this.#lookup(id.name) as Binding).variable;
      else {
        // The loop variable is initialized on each iteration, so it is usable from the start of the body.
        scope = new Map<string, Binding>();
        target = this.#declare(scope, id.name, left.kind === 'const' ? 'const' : 'let');
      }
    } else if (left.type === 'Identifier') {
      const binding = this.#writableBinding(left);
      if (binding.kind === 'const') this.#unsupported(left, 'assignment to a constant', `'${left.name}' is a constant`);
      target = binding.variable;
    } else {
      return this.#unsupported(left, 'for...of target', 'for...of can only assign to a variable');
    }
    if (scope) this.#scopes.push(scope);
    const length = this.#effectful('js.iter_length', [array], node.right);
    const index = this.#constant(0, node);
    const header = this.#newBlock('forof');
    const body = this.#newBlock('body');
    const update = this.#newBlock('next');
    const exit = this.#newBlock('endforof');
    this.#jump(header.id);
    this.#current = header;
    const more = this.#value('js.lt', [index, length], node);
    const cond = this.#value('js.truthy', [more], node, undefined, bool);
    this.#branch(cond, exit.id, body.id);
    this.#current = body;
    this.#emit('js.load', [array, index, MEM_VAR], [target, MEM_VAR], left);
    this.#loopBody(node.body, labels, exit.id, update.id);
    this.#jump(update.id);
    this.#current = update;
    this.#emit('js.inc', [index], [index], node);
    this.#jump(header.id);
    this.#current = exit;
    if (scope) this.#scopes.pop();
  }

  #labeled(node: LabeledStatement): void {
    const labels: string[] = [];
    let body: Statement = node;
    while (body.type === 'LabeledStatement') {
      labels.push(body.label.name);
      body = body.body;
    }
    switch (body.type) {
      case 'WhileStatement':
        return this.#while(body, labels);
      case 'DoWhileStatement':
        return this.#doWhile(body, labels);
      case 'ForStatement':
        return this.#for(body, labels);
      case 'ForOfStatement':
        return this.#forOf(body, labels);
      case 'SwitchStatement':
        return this.#switch(body, labels);
    }
    const exit = this.#newBlock('endlabel');
    this.#targets.push({ labels, breakTarget: exit.id, breakable: false });
    this.#statement(body);
    this.#targets.pop();
    this.#jump(exit.id);
    this.#current = exit;
  }

  #switch(node: SwitchStatement, labels: readonly string[]): void {
    const discriminant = this.#copyIfBinding(this.#expression(node.discriminant), node.discriminant);
    const statementsOf = new Map<Node, number>();
    node.cases.forEach((c, i) => c.consequent.forEach((s) => statementsOf.set(s, i)));
    this.#lexicalScope(
      node.cases.flatMap((c) => c.consequent),
      { switchNode: node, indexOf: (s) => statementsOf.get(s) ?? -1 },
    );
    const bodies = node.cases.map(() => this.#newBlock('case'));
    const exit = this.#newBlock('endswitch');
    this.#currentClause.set(node, -1);
    let defaultBody: BlockId = exit.id;
    node.cases.forEach((c, i) => {
      const body = bodies[i] as MutableBlock;
      if (!c.test) {
        defaultBody = body.id;
        return;
      }
      const test = this.#expression(c.test);
      const equal = this.#value('js.eq', [discriminant, test], c.test);
      const cond = this.#value('js.truthy', [equal], c.test, undefined, bool);
      const next = this.#newBlock('test');
      this.#branch(cond, next.id, body.id);
      this.#current = next;
    });
    this.#jump(defaultBody);
    this.#targets.push({ labels, breakTarget: exit.id, breakable: true });
    node.cases.forEach((c, i) => {
      this.#current = bodies[i] as MutableBlock;
      this.#currentClause.set(node, i);
      this.#statements(c.consequent);
      this.#jump((bodies[i + 1] ?? exit).id);
    });
    this.#targets.pop();
    this.#currentClause.delete(node);
    this.#scopes.pop();
    this.#current = exit;
  }

  #breakOrContinue(isBreak: boolean, label: string | undefined, node: Node): void {
    for (let i = this.#targets.length - 1; i >= 0; i--) {
      const target = this.#targets[i] as JumpTarget;
      const matches = label === undefined ? target.breakable : target.labels.includes(label);
      if (!matches) continue;
      if (isBreak) return this.#jump(target.breakTarget);
      if (target.continueTarget !== undefined) return this.#jump(target.continueTarget);
      if (label !== undefined) this.#unsupported(node, 'continue', `label '${label}' does not denote a loop`);
    }
    this.#unsupported(
      node,
      isBreak ? 'break' : 'continue',
      `no enclosing ${label ?? 'loop'} to ${isBreak ? 'break' : 'continue'}`,
    );
  }

  #throw(node: ThrowStatement): void {
    const argument = node.argument;
    const construct = 'throw of a non-Error value';
    if (argument.type !== 'NewExpression' && argument.type !== 'CallExpression') {
      this.#unsupported(
        argument,
        construct,
        'only `throw new Error("...")` (or RangeError, TypeError) with a constant message is supported',
      );
    }
    const callee = argument.callee;
    if (callee.type !== 'Identifier' || !errorClasses.has(callee.name as ErrorName) || !this.#isGlobal(callee.name)) {
      this.#unsupported(
        argument,
        construct,
        'only `throw new Error("...")` (or RangeError, TypeError) with a constant message is supported',
      );
    }
    const [messageNode, ...rest] = argument.arguments;
    let message = '';
    if (messageNode) {
      if (messageNode.type === 'Literal' && typeof messageNode.value === 'string') message = messageNode.value;
      else if (messageNode.type === 'TemplateLiteral' && messageNode.expressions.length === 0) {
        message = messageNode.quasis.map((q) => q.value.cooked ?? '').join('');
      } else {
        this.#unsupported(messageNode, 'non-constant error message', 'the error message must be a constant string');
      }
    }
    if ((Object.values(emptyReturnMessages) as string[]).includes(message)) {
      this.#unsupported(
        messageNode ?? node,
        'reserved error message',
        'this error message is reserved by the compiler',
      );
    }
    for (const extra of rest) this.#expression(extra as Expression);
    this.#emit('raise', [MEM_VAR], [MEM_VAR], node, { error: callee.name, message });
    // The raise never returns; the return only gives the path a terminator.
    this.#emit('js.undefined', [], [RETURN_VAR], node);
    this.#jump(this.#exit.id);
  }

  #defaultParameter(id: Identifier, value: Expression): void {
    const variable = (this.#lookup(id.name) as Binding).variable;
    const missing = this.#value('js.is_nullish', [variable], id, undefined, bool);
    const fill = this.#newBlock('default');
    const join = this.#newBlock('params');
    this.#branch(missing, join.id, fill.id);
    this.#current = fill;
    this.#assign(variable, this.#expression(value), id);
    this.#jump(join.id);
    this.#current = join;
  }

  // ---- expressions

  /** A variable a later operand's evaluation cannot change: bindings are copied when they could be. */
  #copyIfBinding(variable: VarName, node: Node): VarName {
    return isTemp(variable) ? variable : this.#value(COPY_OP, [variable], node);
  }

  /** Evaluates operands left to right; a binding read before a later operand assigns is copied first. */
  #operands(nodes: readonly Expression[]): VarName[] {
    return nodes.map((node, i) => {
      const value = this.#expression(node);
      return !isTemp(value) && nodes.slice(i + 1).some(assigns) ? this.#value(COPY_OP, [value], node) : value;
    });
  }

  #expression(node: Expression): VarName {
    switch (node.type) {
      case 'Literal':
        return this.#literal(node);
      case 'Identifier':
        return this.#identifier(node);
      case 'UnaryExpression':
        return this.#unary(node);
      case 'BinaryExpression':
        return this.#binary(node);
      case 'LogicalExpression':
        return this.#logical(node);
      case 'ConditionalExpression':
        return this.#conditional(node);
      case 'AssignmentExpression':
        return this.#assignment(node);
      case 'UpdateExpression':
        return this.#update(node);
      case 'SequenceExpression': {
        let last: VarName | undefined;
        for (const e of node.expressions) last = this.#expression(e);
        return last as VarName;
      }
      case 'CallExpression':
        return this.#call(node);
      case 'NewExpression':
        return this.#new(node);
      case 'MemberExpression':
        return this.#member(node);
      default:
        return this.#unsupported(node, unsupportedNodes[node.type] ?? node.type);
    }
  }

  #literal(node: Literal): VarName {
    if (node.bigint !== undefined) return this.#constant(BigInt(node.bigint), node);
    if (typeof node.value === 'number' || typeof node.value === 'boolean') return this.#constant(node.value, node);
    if (typeof node.value === 'string') return this.#unsupported(node, 'string literal (strings are not supported)');
    if (node.regex) return this.#unsupported(node, 'regular expression');
    return this.#unsupported(node, "'null'", "'null' is not supported (use undefined)");
  }

  #identifier(node: Identifier): VarName {
    const binding = this.#binding(node);
    if (binding) return binding.variable;
    if (node.name === 'arguments') return this.#unsupported(node, "'arguments'");
    const free = this.#resolveFree(node.name);
    if (free) {
      if (free.kind === 'constant') return this.#constant(free.value, node);
      if (free.kind === 'global') return this.#global(free.index);
      if (free.kind === 'builtin') {
        return this.#unsupported(
          node,
          'function value',
          `'${node.name}' (${free.object}.${free.method}) can only be called, not used as a value`,
        );
      }
      if (free.kind === 'function') {
        return this.#unsupported(
          node,
          'function value',
          `function '${node.name}' can only be called, not used as a value`,
        );
      }
      return this.#unsupported(node, 'scope value', free.reason);
    }
    switch (node.name) {
      case 'undefined':
        return this.#undefined(node);
      case 'NaN':
        return this.#constant(NaN, node);
      case 'Infinity':
        return this.#constant(Infinity, node);
    }
    if (builtinGlobals.has(node.name)) {
      return this.#unsupported(
        node,
        `'${node.name}' as a value`,
        `'${node.name}' can only be used in calls and member accesses`,
      );
    }
    this.#refuseUncompilableGlobal(node, node.name);
    const hint = this.options.scopeHint?.(node.name) ?? `pass it in the scope`;
    return this.#unsupported(node, 'free identifier', `'${node.name}' is not defined in the scope: ${hint}`);
  }

  #unary(node: UnaryExpression): VarName {
    switch (node.operator) {
      case '-':
        // -9223372036854775808n is the least 64-bit BigInt, although its literal part is not one.
        if (node.argument.type === 'Literal' && node.argument.bigint !== undefined) {
          return this.#constant(-BigInt(node.argument.bigint), node);
        }
        return this.#value('js.neg', [this.#expression(node.argument)], node);
      case '+':
        return this.#effectful('js.plus', [this.#expression(node.argument)], node);
      case '~':
        return this.#value('js.bitnot', [this.#expression(node.argument)], node);
      case '!':
        return this.#value('js.not', [this.#expression(node.argument)], node);
      case 'void':
        this.#expression(node.argument);
        return this.#undefined(node);
      case 'typeof':
        return this.#unsupported(node, 'typeof', "'typeof' is not supported (it produces strings)");
      case 'delete':
        return this.#unsupported(node, 'delete');
    }
  }

  /** A name that is a function here (a scope function, a built-in, a function argument or default), not a local. */
  #isFunctionName(node: Node): boolean {
    if (node.type !== 'Identifier' || this.#binding(node as Identifier)) return false;
    const free = this.#resolveFree((node as Identifier).name);
    return free?.kind === 'function' || free?.kind === 'builtin';
  }

  /**
   * `f === undefined`, `f == null`, `f === null` for a name that is a
   * function: false (the equality before negation), as for any function in
   * JavaScript; undefined when the comparison is not of that form.
   */
  #functionEquality(sides: readonly Expression[]): boolean | undefined {
    const fnSide = sides.findIndex((e) => this.#isFunctionName(e));
    if (fnSide < 0) return undefined;
    const other = sides[1 - fnSide] as Expression;
    const isNull = other.type === 'Literal' && other.value === null && !('regex' in other && other.regex);
    const isUndefined =
      (other.type === 'Identifier' && other.name === 'undefined' && !this.#binding(other)) ||
      (other.type === 'UnaryExpression' && other.operator === 'void' && other.argument.type === 'Literal');
    return isNull || isUndefined ? false : undefined;
  }

  #binary(node: BinaryExpression): VarName {
    const equality = ['===', '!==', '==', '!='].includes(node.operator);
    const negated = node.operator === '!==' || node.operator === '!=';
    if (equality) {
      const same = this.#sameArrayParams(node.left, node.right);
      if (same !== undefined) {
        this.options.onIdentityFact?.();
        return this.#constant(same !== negated, node);
      }
      const sides = [node.left, node.right] as Expression[];
      const functionTest = this.#functionEquality(sides);
      if (functionTest !== undefined) return this.#constant(functionTest !== negated, node);
      // `typeof x === 'number'`: a type test, known per specialization (typeof never compares loosely otherwise).
      const typeofSide = sides.findIndex((e) => e.type === 'UnaryExpression' && e.operator === 'typeof');
      const other = sides[1 - typeofSide] as Expression | undefined;
      if (typeofSide >= 0 && other?.type === 'Literal' && typeof other.value === 'string') {
        const type = other.value;
        const argument = (sides[typeofSide] as UnaryExpression).argument;
        if (this.#isFunctionName(argument)) return this.#constant((type === 'function') !== negated, node);
        // typeof of an undeclared name is 'undefined' in JavaScript; here it is a compile error, as any use of one.
        const x = this.#expression(argument);
        if (!typeofResults.has(type)) return this.#constant(negated, node);
        const test = this.#value('js.typeof_is', [x], node, { type }, bool);
        return negated ? this.#value('js.not', [test], node) : test;
      }
      // No value in compiled code is null: `x == null` is `x == undefined`, `x === null` is false.
      const nullSide = sides.findIndex((e) => e.type === 'Literal' && e.value === null && !('regex' in e && e.regex));
      if (nullSide >= 0) {
        const x = this.#expression(sides[1 - nullSide] as Expression);
        if (node.operator === '===' || node.operator === '!==') return this.#constant(negated, node);
        const test = this.#value('js.is_nullish', [x], node, undefined, bool);
        return negated ? this.#value('js.not', [test], node) : test;
      }
    }
    const spec = binaryOps[node.operator];
    if (!spec || node.left.type === 'PrivateIdentifier') return this.#unsupported(node, `'${node.operator}' operator`);
    const [left, right] = this.#operands([node.left, node.right]) as [VarName, VarName];
    return spec.throws ? this.#effectful(spec.op, [left, right], node) : this.#value(spec.op, [left, right], node);
  }

  /** `a && b`, `a || b`, `a ?? b` as values: the result is a or b, and b is evaluated only when needed. */
  #logical(node: LogicalExpression): VarName {
    const result = this.#temp();
    const left = this.#expression(node.left);
    this.#assign(result, left, node.left);
    this.#shortCircuit(node.operator, result, node, () => this.#expression(node.right), result, node.right);
    return result;
  }

  /** Branches on `value` as operator `op` does, and in the branch that needs it, evaluates `right` into `target`. */
  #shortCircuit(
    operator: string,
    value: VarName,
    node: Node,
    right: () => VarName,
    target: VarName,
    rightNode: Node,
    store?: (value: VarName) => void,
  ): void {
    const evaluate = this.#newBlock('rhs');
    const join = this.#newBlock('join');
    if (operator === '??' || operator === '??=') {
      const missing = this.#value('js.is_nullish', [value], node, undefined, bool);
      this.#branch(missing, join.id, evaluate.id);
    } else {
      const cond = this.#value('js.truthy', [value], node, undefined, bool);
      if (operator === '&&' || operator === '&&=') this.#branch(cond, join.id, evaluate.id);
      else this.#branch(cond, evaluate.id, join.id);
    }
    this.#current = evaluate;
    const rhs = right();
    this.#assign(target, rhs, rightNode);
    store?.(target);
    this.#jump(join.id);
    this.#current = join;
  }

  #conditional(node: ConditionalExpression): VarName {
    const result = this.#temp();
    const then = this.#newBlock('then');
    const otherwise = this.#newBlock('else');
    const join = this.#newBlock('endcond');
    this.#condition(node.test, then.id, otherwise.id);
    this.#current = then;
    this.#assign(result, this.#expression(node.consequent), node.consequent);
    this.#jump(join.id);
    this.#current = otherwise;
    this.#assign(result, this.#expression(node.alternate), node.alternate);
    this.#jump(join.id);
    this.#current = join;
    return result;
  }

  /** The local binding an assignment writes, or a compile error for anything else. */
  #writableBinding(id: Identifier): Binding {
    const binding = this.#binding(id);
    if (binding) return binding;
    const free = this.#resolveFree(id.name);
    if (free || builtinGlobals.has(id.name)) {
      return this.#unsupported(
        id,
        'assignment to a scope value',
        `'${id.name}' comes from the scope and cannot be assigned`,
      );
    }
    const hint = this.options.scopeHint?.(id.name) ?? `pass it in the scope`;
    return this.#unsupported(id, 'free identifier', `'${id.name}' is not defined in the scope: ${hint}`);
  }

  /** Assigning a const throws a TypeError when it runs, as in JavaScript. */
  #constAssignment(node: Node): void {
    this.#emit('raise', [MEM_VAR], [MEM_VAR], node, {
      error: 'TypeError',
      message: 'Assignment to constant variable.',
    });
  }

  #assignment(node: AssignmentExpression): VarName {
    const target = node.left;
    const operator = node.operator;
    const logical = operator === '&&=' || operator === '||=' || operator === '??=';
    if (target.type === 'Identifier') {
      const binding = this.#writableBinding(target);
      if (operator === '=') {
        const value = this.#expression(node.right);
        if (binding.kind === 'const') {
          this.#constAssignment(node);
          return value;
        }
        this.#assign(binding.variable, value, node);
        return binding.variable;
      }
      if (logical) {
        const result = this.#value(COPY_OP, [binding.variable], node);
        this.#shortCircuit(
          operator,
          result,
          node,
          () => this.#expression(node.right),
          result,
          node.right,
          (v) => {
            if (binding.kind === 'const') this.#constAssignment(node);
            else this.#emit(COPY_OP, [v], [binding.variable], node);
          },
        );
        return result;
      }
      const spec = binaryOps[operator.slice(0, -1)];
      if (!spec) return this.#unsupported(node, `'${operator}' operator`);
      const left = !assigns(node.right) ? binding.variable : this.#value(COPY_OP, [binding.variable], node);
      const right = this.#expression(node.right);
      const result = this.#effectful(spec.op, [left, right], node);
      if (binding.kind === 'const') {
        this.#constAssignment(node);
        return result;
      }
      this.#assign(binding.variable, result, node);
      return binding.variable;
    }
    if (target.type === 'MemberExpression') {
      const { array, index } = this.#element(target, [node.right]);
      if (operator === '=') {
        const value = this.#expression(node.right);
        this.#emit('js.store', [array, index, value, MEM_VAR], [MEM_VAR], node);
        return value;
      }
      const old = this.#effectful('js.load', [array, index], target);
      if (logical) {
        this.#shortCircuit(
          operator,
          old,
          node,
          () => this.#expression(node.right),
          old,
          node.right,
          (v) => this.#emit('js.store', [array, index, v, MEM_VAR], [MEM_VAR], node),
        );
        return old;
      }
      const spec = binaryOps[operator.slice(0, -1)];
      if (!spec) return this.#unsupported(node, `'${operator}' operator`);
      const right = this.#expression(node.right);
      const result = this.#effectful(spec.op, [old, right], node);
      this.#emit('js.store', [array, index, result, MEM_VAR], [MEM_VAR], node);
      return result;
    }
    return this.#unsupported(target, unsupportedNodes[target.type] ?? 'assignment target');
  }

  /** The array and index of `a[i]`, evaluated left to right; `later` are operands evaluated after them. */
  #element(node: MemberExpression, later: readonly Expression[]): { array: VarName; index: VarName } {
    if (!node.computed) {
      return this.#unsupported(node, 'property assignment', 'only TypedArray elements `a[i]` can be assigned');
    }
    if (node.optional) return this.#unsupported(node, 'optional chaining');
    const object = node.object as Expression;
    const property = node.property as Expression;
    const array = this.#expression(object);
    const arrayStable =
      !isTemp(array) && [property, ...later].some(assigns) ? this.#value(COPY_OP, [array], object) : array;
    const index = this.#expression(property);
    const indexStable = !isTemp(index) && later.some(assigns) ? this.#value(COPY_OP, [index], property) : index;
    return { array: arrayStable, index: indexStable };
  }

  #update(node: UpdateExpression): VarName {
    const op = node.operator === '++' ? 'js.inc' : 'js.dec';
    const target = node.argument;
    if (target.type === 'Identifier') {
      const binding = this.#writableBinding(target);
      const old = this.#value('js.to_numeric', [binding.variable], node);
      if (binding.kind === 'const') {
        this.#constAssignment(node);
        return old;
      }
      if (node.prefix) {
        this.#emit(op, [old], [binding.variable], node);
        return binding.variable;
      }
      this.#emit(op, [old], [binding.variable], node);
      return old;
    }
    if (target.type === 'MemberExpression') {
      const { array, index } = this.#element(target, []);
      const loaded = this.#effectful('js.load', [array, index], target);
      const old = this.#value('js.to_numeric', [loaded], node);
      const updated = this.#value(op, [old], node);
      this.#emit('js.store', [array, index, updated, MEM_VAR], [MEM_VAR], node);
      return node.prefix ? updated : old;
    }
    return this.#unsupported(target, 'update target');
  }

  #member(node: MemberExpression): VarName {
    if (node.optional) return this.#unsupported(node, 'optional chaining');
    if (node.object.type === 'Super') return this.#unsupported(node.object, "'super'");
    if (node.computed) {
      const index = node.property;
      if (
        node.object.type === 'CallExpression' &&
        index.type === 'Literal' &&
        typeof index.value === 'number' &&
        Number.isInteger(index.value) &&
        index.value >= 0
      ) {
        const element = this.#elementOfCall(node.object, index.value);
        if (element !== undefined) return element;
      }
      const [array, at] = this.#operands([node.object, node.property as Expression]) as [VarName, VarName];
      return this.#effectful('js.load', [array, at], node);
    }
    const property = node.property.type === 'Identifier' ? node.property.name : '#private';
    const object = node.object;
    if (object.type === 'ThisExpression') {
      return this.#unsupported(object, "'this'", `'this' is not supported (this.${property})`);
    }
    if (object.type === 'Identifier') this.#refuseUncompilableGlobal(node, object.name, `${object.name}.${property}`);
    if (object.type === 'Identifier' && this.#isGlobal(object.name)) {
      if (object.name === 'Math' && mathConstants.has(property)) {
        return this.#constant((Math as unknown as Record<string, number>)[property] as number, node);
      }
      if (object.name === 'Number' && numberConstants.has(property)) {
        return this.#constant((Number as unknown as Record<string, number>)[property] as number, node);
      }
      return this.#unsupported(
        node,
        `${object.name}.${property}`,
        `'${object.name}.${property}' is not supported here`,
      );
    }
    const member = this.#scopeMember(object, property);
    if (member) {
      const name = `${(object as Identifier).name}.${property}`;
      if (member.kind === 'constant') return this.#constant(member.value, node);
      if (member.kind === 'global') return this.#global(member.index);
      if (member.kind === 'invalid') return this.#unsupported(node, 'scope value', member.reason);
      return this.#unsupported(node, 'function value', `function '${name}' can only be called, not used as a value`);
    }
    if (property === 'length') return this.#effectful('js.length', [this.#expression(object)], node);
    return this.#unsupported(
      node,
      `property '.${property}'`,
      `property '.${property}' is not supported (only '.length' of TypedArrays)`,
    );
  }

  /** A call of a scope binding (a free name, or a property of a scope object): a function, a built-in, or an error. */
  #callOf(free: FreeBinding, name: string, args: readonly Expression[], node: CallExpression, callee: Node): VarName {
    if (free.kind === 'function') {
      const special = this.#specializedCallee(free, args, callee);
      if (special) {
        this.options.onCall?.(special.callee.name);
        const rest = args.filter((_, i) => !special.bound.has(i));
        const values = [...this.#arguments(rest, special.callee.arity, node), ...this.#hiddenParams()];
        const params = [...values.map(() => unknown), mem];
        const ref = this.#value(FUNCTION_REF_OP, [], callee, { name: special.callee.name }, fn(params, [unknown, mem]));
        const result = this.#temp();
        this.#emit('call', [ref, ...values, MEM_VAR], [result, MEM_VAR], node);
        return result;
      }
      this.options.onCall?.(free.name);
      const values = [...this.#arguments(args, free.arity, node), ...this.#hiddenParams()];
      const params = [...values.map(() => unknown), mem];
      const ref = this.#value(FUNCTION_REF_OP, [], callee, { name: free.name }, fn(params, [unknown, mem]));
      const result = this.#temp();
      this.#emit('call', [ref, ...values, MEM_VAR], [result, MEM_VAR], node);
      return result;
    }
    if (free.kind === 'builtin') return this.#builtinCall(free.object, free.method, args, node, callee);
    if (free.kind === 'invalid') return this.#unsupported(callee, 'scope value', free.reason);
    if (free.kind === 'constant') {
      return this.#unsupported(callee, 'call of a constant', `'${name}' is a constant in the scope, not a function`);
    }
    return this.#unsupported(callee, 'call of an array', `'${name}' is an array, not a function`);
  }

  /**
   * A call that passes functions by name (`quickselect(arr, k, l, r, compare)`):
   * the callee specialised on them (LowerOptions.specialize), with those
   * arguments left out; undefined when no argument is a function.
   */
  #specializedCallee(
    free: Extract<FreeBinding, { kind: 'function' }>,
    args: readonly Expression[],
    callee: Node,
  ): { callee: Extract<FreeBinding, { kind: 'function' }>; bound: ReadonlyMap<number, FreeBinding> } | undefined {
    const bound = new Map<number, FreeBinding>();
    args.forEach((arg, i) => {
      if (i < free.arity && this.#isFunctionName(arg)) {
        bound.set(i, this.#resolveFree((arg as Identifier).name) as FreeBinding);
      }
    });
    if (bound.size === 0) return undefined;
    const special = this.options.specialize?.(free.name, bound);
    if (!special) {
      return this.#unsupported(
        callee,
        'function value',
        `functions can be passed to '${free.name}' only when it is compiled from a function value`,
      );
    }
    return { callee: special, bound };
  }

  /**
   * In a copy of a function that returns small array literals, made for a
   * caller that reads one element (`tickSpec(...)[2]`): every element is
   * evaluated in order and element `k` returned; a returned call is a call
   * of the callee's copy for the same element.
   */
  #returnedElement(argument: Expression | undefined, node: Node, k: number): VarName {
    const refuse = (): never =>
      this.#unsupported(
        argument ?? node,
        'array literal',
        'a function whose result is indexed returns an array literal (or such a call) on every path',
      );
    if (argument === undefined) {
      // `undefined[k]`, as the caller's read of the result would do (a path that falls off the end, often dead).
      this.#emit('raise', [MEM_VAR], [MEM_VAR], node, {
        error: 'TypeError',
        message: `Cannot read properties of undefined (reading '${k}')`,
      });
      return this.#undefined(node);
    }
    if (argument.type === 'ArrayExpression') {
      if (argument.elements.some((e) => e === null || e.type === 'SpreadElement')) return refuse();
      const values = this.#operands(argument.elements as Expression[]);
      return values[k] ?? refuse();
    }
    if (argument.type === 'CallExpression') return this.#elementOfCall(argument, k) ?? refuse();
    return refuse();
  }

  /** `f(...)[k]` for a scope function `f` that returns array literals: a call of f's copy returning element k. */
  #elementOfCall(call: CallExpression, k: number): VarName | undefined {
    const callee = call.callee;
    if (callee.type !== 'Identifier' || this.#binding(callee) || call.optional) return undefined;
    if (call.arguments.some((a) => a.type === 'SpreadElement')) return undefined;
    const free = this.#resolveFree(callee.name);
    if (free?.kind !== 'function') return undefined;
    const element = this.options.project?.(free.name, k);
    if (!element) return undefined;
    this.options.onCall?.(element.name);
    const values = [...this.#arguments(call.arguments as Expression[], element.arity, call), ...this.#hiddenParams()];
    const params = [...values.map(() => unknown), mem];
    const ref = this.#value(FUNCTION_REF_OP, [], callee, { name: element.name }, fn(params, [unknown, mem]));
    const result = this.#temp();
    this.#emit('call', [ref, ...values, MEM_VAR], [result, MEM_VAR], call);
    return result;
  }

  /** `object.property` for a free name bound to an object in the scope (see LowerOptions.resolveMember). */
  #scopeMember(object: Node, property: string): FreeBinding | undefined {
    if (object.type !== 'Identifier') return undefined;
    const name = (object as Identifier).name;
    if (this.#binding(object as Identifier) || this.#paramFunctions.has(name)) return undefined;
    return this.options.resolveMember?.(name, property);
  }

  #call(node: CallExpression): VarName {
    if (node.optional) return this.#unsupported(node, 'optional chaining');
    for (const arg of node.arguments) if (arg.type === 'SpreadElement') this.#unsupported(arg, 'spread');
    const args = node.arguments as Expression[];
    const callee = node.callee;
    if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'ThisExpression') {
      const method = callee.property.type === 'Identifier' ? callee.property.name : '#private';
      return this.#unsupported(callee.object, "'this'", `'this' is not supported (this.${method}(...))`);
    }
    if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier') {
      const object = callee.object.name;
      const method = callee.property.type === 'Identifier' ? callee.property.name : '#private';
      this.#refuseUncompilableGlobal(callee, object, `${object}.${method}`);
      if (this.#isGlobal(object)) return this.#builtinCall(object, method, args, node, callee);
      const member = this.#scopeMember(callee.object, method);
      if (member) return this.#callOf(member, `${object}.${method}`, args, node, callee);
    }
    if (callee.type !== 'Identifier') {
      return this.#unsupported(
        callee,
        'call of a computed function',
        'only functions named in the scope can be called',
      );
    }
    const local = this.#binding(callee);
    const undefinedCall = local && this.#callOfUndefinedParam(callee, local, args, node);
    if (undefinedCall) return undefinedCall;
    if (local)
      return this.#unsupported(
        callee,
        'call of a local variable',
        `'${callee.name}' is a local variable, not a function`,
      );
    const free = this.#resolveFree(callee.name);
    if (free && free.kind !== 'global') return this.#callOf(free, callee.name, args, node, callee);
    if (this.#isGlobal(callee.name)) {
      switch (callee.name) {
        case 'Number':
          return args.length === 0
            ? this.#constant(0, node)
            : this.#value('js.to_number', this.#arguments(args, 1, node), node);
        case 'BigInt':
          return this.#effectful('js.to_bigint', this.#arguments(args, 1, node), node);
        case 'isNaN':
        case 'isFinite': {
          // The global predicates convert with ToNumber first (throwing for BigInts), then test.
          const [x] = this.#arguments(args, 1, node);
          const number = this.#effectful('js.plus', [x as VarName], node);
          return this.#value('js.number', [number], node, { fn: callee.name });
        }
        case 'Boolean': {
          const [x] = this.#arguments(args, 1, node);
          return this.#value('js.not', [this.#value('js.not', [x as VarName], node)], node);
        }
      }
      if (errorClasses.has(callee.name as ErrorName)) {
        return this.#unsupported(node, 'Error object', 'Error objects can only be thrown: `throw new Error("...")`');
      }
      return this.#unsupported(callee, `call of '${callee.name}'`, `'${callee.name}' cannot be called`);
    }
    this.#refuseUncompilableGlobal(callee, callee.name);
    const hint = this.options.scopeHint?.(callee.name) ?? `pass it in the scope`;
    return this.#unsupported(callee, 'free identifier', `'${callee.name}' is not defined in the scope: ${hint}`);
  }

  /** A call of `object.method`, one of JavaScript's own functions (called by that name or another). */
  #builtinCall(object: string, method: string, args: readonly Expression[], node: Node, callee: Node): VarName {
    if (object === 'Math') {
      if (!mathFunctions.has(method)) {
        const reason =
          method === 'random'
            ? "'Math.random' is not supported (its results could not match V8's)"
            : `'Math.${method}' is not a Math function`;
        return this.#unsupported(callee, `Math.${method}`, reason);
      }
      return this.#effectful('js.math', this.#operands(args), node, { fn: method });
    }
    if (object === 'Number' && numberFunctions.has(method)) {
      const [x] = this.#arguments(args, 1, node);
      return this.#value('js.number', [x as VarName], node, { fn: method });
    }
    if (object === 'BigInt' && (method === 'asIntN' || method === 'asUintN')) {
      const [width, operand] = args;
      if (args.length === 2 && width && operand && this.#isConstant(width)) {
        // The width must reach the call as a constant, not through the merge a ?:, && or || in
        // the operand makes: evaluate the operand first (reading a constant has no effect).
        const x = this.#expression(operand);
        return this.#effectful('js.bigint', [this.#expression(width), x], node, { fn: method });
      }
      return this.#effectful('js.bigint', this.#arguments(args, 2, node), node, { fn: method });
    }
    return this.#unsupported(callee, `${object}.${method}`, `'${object}.${method}' is not supported`);
  }

  /** A literal number or a constant of the scope: evaluating it has no effect and always gives the same value. */
  #isConstant(node: Expression): boolean {
    if (node.type === 'Literal') return typeof node.value === 'number';
    if (node.type !== 'Identifier' || this.#lookup(node.name)) return false;
    return this.#resolveFree(node.name)?.kind === 'constant';
  }

  /** Exactly `count` argument values: missing ones are undefined, extra ones are evaluated and dropped. */
  #arguments(args: readonly Expression[], count: number, node: Node): VarName[] {
    const values = this.#operands(args).slice(0, count);
    while (values.length < count) values.push(this.#undefined(node));
    return values;
  }

  #new(node: NewExpression): VarName {
    const callee = node.callee;
    if (callee.type === 'Identifier' && typedArrayKinds.has(callee.name) && this.#isGlobal(callee.name)) {
      for (const arg of node.arguments) if (arg.type === 'SpreadElement') this.#unsupported(arg, 'spread');
      const args = node.arguments as Expression[];
      if (args.length > 1)
        return this.#unsupported(
          node,
          `new ${callee.name} with a buffer`,
          `only \`new ${callee.name}(length)\` is supported`,
        );
      const [length] = this.#arguments(args, 1, node);
      return this.#effectful('js.new_array', [length as VarName], node, { kind: callee.name });
    }
    if (callee.type === 'Identifier' && errorClasses.has(callee.name as ErrorName) && this.#isGlobal(callee.name)) {
      return this.#unsupported(node, 'Error object', 'Error objects can only be thrown: `throw new Error("...")`');
    }
    const name = callee.type === 'Identifier' ? callee.name : '...';
    return this.#unsupported(node, `new ${name}`, `'new ${name}(...)' is not supported (only TypedArray allocation)`);
  }
}
