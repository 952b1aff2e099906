import { freeze } from '../builder/freeze.js';
import type { SourceLoc } from '../nodes/loc.js';
import type { Import, Module } from '../nodes/module.js';
import type { Node } from '../nodes/node.js';
import type { Origin } from '../nodes/origin.js';
import type { Region } from '../nodes/region.js';
import type { AttrValue, Attrs } from '../nodes/simple.js';
import type { OpRegistry } from '../ops/registry.js';
import {
  array,
  bool,
  ctrl,
  f32,
  f64,
  fn,
  int,
  io,
  maxTypeNesting,
  mem,
  tuple,
  typeToString,
  unknown,
  u8,
  type ArrayLayout,
  type FunctionType,
  type ScalarType,
  type Type,
} from '../types/type.js';
import { Lexer, type Token } from './lexer.js';
import { structuralKeywords } from './print.js';

export { ParseError, codeFrame } from './lexer.js';

export interface ParseOptions {
  /**
   * Accepted for symmetry with the builder; parsing is purely syntactic (op
   * names, operand counts and output types are taken as written) so that
   * ill-typed modules can be read and handed to the verifier.
   */
  readonly registry?: OpRegistry;
}

function describe(token: Token): string {
  return token.kind === 'eof' ? 'end of input' : `'${token.text}'`;
}

const scalarTypes: ReadonlyMap<string, ScalarType> = new Map(
  [bool, f32, f64, ...([8, 16, 32, 64] as const).flatMap((bits) => [int(bits, true), int(bits, false)])].map((t) => [
    typeToString(t),
    t,
  ]),
);
const emptyAttrs: Attrs = freeze({});

/**
 * How deep regions may nest in parsed text. The parser descends recursively,
 * and this bound keeps it, and every recursive walk over what it returns,
 * far from the JavaScript stack limit (about 2,500 levels for this parser
 * with Node's default stack), while being far above what any program nests
 * (a loop or a branch adds one level).
 */
export const maxRegionNesting = 1000;
const noRegions = freeze([]) as readonly Region[] as [];

/**
 * Recursive-descent parser over the pull lexer: one method per grammar rule,
 * each consuming its construct or throwing a ParseError at the first token
 * that does not fit, naming what was expected there.
 */
class Parser {
  /** Regions open around the current token (the module's root region not counted). */
  #regionDepth = 0;
  /** Tuple and fn types open around the current type. */
  #typeDepth = 0;

  constructor(readonly lexer: Lexer) {}

  fail(reason: string, at: Token = this.lexer.peek()): never {
    throw this.lexer.error(reason, at);
  }

  expected(what: string, at: Token = this.lexer.peek()): never {
    return this.fail(`expected ${what} but found ${describe(at)}`, at);
  }

  isPunct(symbol: string): boolean {
    const t = this.lexer.peek();
    return t.kind === 'punct' && t.text === symbol;
  }

  isWord(word: string): boolean {
    const t = this.lexer.peek();
    return t.kind === 'ident' && t.text === word;
  }

  punct(symbol: string): Token {
    if (!this.isPunct(symbol)) this.expected(`'${symbol}'`);
    return this.lexer.next();
  }

  word(word: string): Token {
    if (!this.isWord(word)) this.expected(`'${word}'`);
    return this.lexer.next();
  }

  eat(symbol: string): boolean {
    if (!this.isPunct(symbol)) return false;
    this.lexer.next();
    return true;
  }

  /** `( item, ... )`, possibly empty. */
  list<T>(item: () => T): T[] {
    this.punct('(');
    const items: T[] = [];
    if (this.eat(')')) return items;
    do items.push(item());
    while (this.eat(','));
    this.punct(')');
    return items;
  }

  // ---- types ----

  /** The value of a token of plain decimal digits that is a safe integer, otherwise undefined. */
  integer(t: Token): number | undefined {
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) return undefined;
    const value = Number(t.text);
    return Number.isSafeInteger(value) ? value : undefined;
  }

  type(): Type {
    const t = this.lexer.next();
    if (this.#typeDepth > maxTypeNesting) {
      this.fail(`types nest deeper than ${maxTypeNesting} levels (tuple and fn types inside one another)`, t);
    }
    if (t.kind === 'punct' && t.text === '?') return unknown;
    if (t.kind !== 'ident') this.expected('a type', t);
    const word = t.text;
    const scalar = scalarTypes.get(word);
    if (scalar) return this.isPunct('[') ? this.arraySuffix(scalar, false) : scalar;
    switch (word) {
      case 'u8c':
        if (!this.isPunct('[')) this.expected(`'[' (u8c is only an array element type)`);
        return this.arraySuffix(u8, true);
      case 'mem':
        return mem;
      case 'io':
        return io;
      case 'tuple': {
        this.punct('<');
        const elements: Type[] = [];
        this.#typeDepth++;
        if (!this.eat('>')) {
          do elements.push(this.type());
          while (this.eat(','));
          this.punct('>');
        }
        this.#typeDepth--;
        return tuple(elements);
      }
      case 'fn': {
        this.#typeDepth++;
        const params = this.list(() => this.type());
        this.punct('->');
        const results = this.list(() => this.type());
        this.#typeDepth--;
        return fn(params, results);
      }
      case 'ctrl': {
        this.punct('<');
        const n = this.lexer.next();
        const arity = this.integer(n);
        if (arity === undefined || arity < 1) {
          this.fail(
            `ctrl arity must be a positive integer of at most ${Number.MAX_SAFE_INTEGER}, found ${describe(n)}`,
            n,
          );
        }
        this.punct('>');
        return ctrl(arity);
      }
      default:
        return this.fail(`unknown type '${word}'`, t);
    }
  }

  /** `[` commas `(: layout)?` `]` after an element type; rank is commas + 1. */
  arraySuffix(element: ScalarType, clamped: boolean): Type {
    this.punct('[');
    let rank = 1;
    while (this.eat(',')) rank++;
    let layout: ArrayLayout = 'C';
    if (this.eat(':')) {
      const l = this.lexer.next();
      if (l.kind !== 'ident' || (l.text !== 'C' && l.text !== 'F' && l.text !== 'A')) {
        this.fail(`array layout must be C, F or A, found ${describe(l)}`, l);
      }
      layout = l.text as ArrayLayout;
    }
    this.punct(']');
    if (this.isPunct('[')) this.fail('array elements must be scalars; arrays of arrays are not types');
    return array(element, { rank, layout, clamped });
  }

  // ---- values and attributes ----

  origin(): Origin {
    const t = this.lexer.next();
    if (t.kind === 'arg') return freeze({ kind: 'arg', index: t.value as number });
    if (t.kind === 'out') return freeze({ kind: 'out', node: t.value as number, index: t.port });
    if (t.kind === 'def') this.fail(`expected a value but found '${t.text}': outputs are written %<node>.<port>`, t);
    return this.expected('a value (%a<k> or %<node>.<port>)', t);
  }

  operands(): Origin[] {
    return this.isPunct('(') ? this.list(() => this.origin()) : [];
  }

  attrValue(): AttrValue {
    const t = this.lexer.peek();
    switch (t.kind) {
      case 'number':
        this.lexer.next();
        return Number(t.text);
      case 'bigint':
        this.lexer.next();
        return BigInt(t.text.slice(0, -1));
      case 'string':
        this.lexer.next();
        return t.value as string;
      case 'ident':
        if (t.text === 'true' || t.text === 'false' || t.text === 'NaN' || t.text === 'Infinity') {
          this.lexer.next();
          return t.text === 'true' ? true : t.text === 'false' ? false : Number(t.text);
        }
        return this.type();
      case 'punct':
        if (t.text === '?') return this.type();
    }
    return this.expected('an attribute value (number, bigint, boolean, string or type)', t);
  }

  attrs(): Attrs {
    this.punct('{');
    const entries: [string, AttrValue][] = [];
    const seen = new Set<string>();
    if (!this.eat('}')) {
      do {
        const key = this.lexer.next();
        if (key.kind !== 'ident' && key.kind !== 'string') this.expected('an attribute name', key);
        const name = key.kind === 'string' ? (key.value as string) : key.text;
        if (seen.has(name)) this.fail(`duplicate attribute '${name}'`, key);
        seen.add(name);
        this.punct('=');
        entries.push([name, this.attrValue()]);
      } while (this.eat(','));
      this.punct('}');
    }
    // fromEntries defines own properties, so even a key named __proto__ stays an attribute.
    return freeze(Object.fromEntries(entries));
  }

  /** After `:` — one type, or a parenthesized list for any other count. */
  outputs(): Type[] {
    this.punct(':');
    return this.isPunct('(') ? this.list(() => this.type()) : [this.type()];
  }

  locNumber(what: string): number {
    const t = this.lexer.next();
    const value = this.integer(t);
    if (value === undefined) {
      this.fail(`a loc ${what} must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, found ${describe(t)}`, t);
    }
    return value;
  }

  loc(): SourceLoc | undefined {
    if (!this.isWord('loc')) return undefined;
    this.lexer.next();
    this.punct('(');
    const line = this.locNumber('line');
    this.punct(':');
    const column = this.locNumber('column');
    this.punct(')');
    return freeze({ line, column });
  }

  name(): string {
    const t = this.lexer.next();
    if (t.kind !== 'name') this.expected('a name (@name or @"text")', t);
    return t.value as string;
  }

  // ---- nodes and regions ----

  node(): Node {
    const def = this.lexer.next();
    if (def.kind !== 'def') this.expected('a node definition (%<id> = ...)', def);
    const id = def.value as number;
    this.punct('=');
    const head = this.lexer.next();
    if (head.kind === 'string' || (head.kind === 'ident' && !structuralKeywords.has(head.text))) {
      const op = head.kind === 'string' ? (head.value as string) : head.text;
      const inputs = this.operands();
      const attrs = this.isPunct('{') ? this.attrs() : emptyAttrs;
      const outputs = this.outputs();
      const loc = this.loc();
      // A simple node has no regions; one that does (ill-formed) is read as printed for the verifier to flag.
      let regions: Region[] | undefined;
      while (this.isPunct('{')) (regions ??= []).push(this.region());
      return freeze({
        kind: 'simple',
        id,
        op,
        attrs,
        inputs: freeze(inputs),
        outputs: freeze(outputs),
        regions: regions ? (freeze(regions) as readonly Region[] as []) : noRegions,
        ...(loc ? { loc } : {}),
      });
    }
    if (head.kind !== 'ident') this.expected('an op name or a node kind', head);
    const kind = head.text as 'gamma' | 'theta' | 'lambda' | 'delta' | 'phi';
    const name = kind === 'lambda' || kind === 'delta' ? this.name() : undefined;
    const inputs = freeze(this.operands());
    let outputs: Type[];
    let type: FunctionType | undefined;
    if (kind === 'lambda') {
      this.punct(':');
      const at = this.lexer.peek();
      const t = this.type();
      if (t.kind !== 'fn') this.fail(`a lambda's type must be a function type, found '${typeToString(t)}'`, at);
      type = t;
      outputs = [t];
      if (this.isWord('outputs')) {
        this.lexer.next();
        outputs = this.list(() => this.type());
      }
    } else {
      outputs = this.outputs();
    }
    const loc = this.loc();
    const regions: Region[] = [];
    while (this.isPunct('{')) regions.push(this.region());
    const common = {
      id,
      inputs,
      regions: freeze(regions) as readonly Region[] as [Region],
      outputs: freeze(outputs) as readonly Type[] as [FunctionType],
      ...(loc ? { loc } : {}),
    };
    // The tuple-typed fields (one region, one output) are taken as written; the verifier checks the counts.
    switch (kind) {
      case 'lambda':
        return freeze({ kind, name: name as string, type: type as FunctionType, ...common }) as Node;
      case 'delta':
        return freeze({ kind, name: name as string, ...common }) as Node;
      default:
        return freeze({ kind, ...common }) as Node;
    }
  }

  /** `^(%a0: type, %a1: type, ...)`. */
  regionArgs(): Type[] {
    this.punct('^');
    let index = 0;
    return this.list(() => {
      const a = this.lexer.next();
      if (a.kind !== 'arg' || a.value !== index) this.expected(`'%a${index}'`, a);
      index++;
      this.punct(':');
      return this.type();
    });
  }

  region(): Region {
    const open = this.punct('{');
    if (++this.#regionDepth > maxRegionNesting) {
      this.fail(`regions nest deeper than ${maxRegionNesting} levels`, open);
    }
    const args = this.regionArgs();
    const nodes: Node[] = [];
    for (;;) {
      const t = this.lexer.peek();
      if (t.kind === 'def') nodes.push(this.node());
      else if (t.kind === 'ident' && t.text === 'yield') break;
      else if (t.kind === 'eof')
        this.fail(
          `unterminated region opened at ${open.line}:${open.column}: expected a node or 'yield' but found end of input`,
          t,
        );
      else this.expected(`a node definition (%<id> = ...) or 'yield'`, t);
    }
    this.lexer.next();
    const results = this.list(() => this.origin());
    if (!this.isPunct('}')) {
      const t = this.lexer.peek();
      if (t.kind === 'eof')
        this.fail(`unterminated region opened at ${open.line}:${open.column}: expected '}' but found end of input`, t);
      this.expected(`'}' after the region's yield`, t);
    }
    this.lexer.next();
    this.#regionDepth--;
    return freeze({ arguments: freeze(args), nodes: freeze(nodes), results: freeze(results) });
  }

  module(): Module {
    this.word('module');
    const open = this.punct('{');
    // Only a module whose root arguments disagree with its imports has this header (see printModule).
    const header = this.isPunct('^') ? this.regionArgs() : undefined;
    const imports: Import[] = [];
    while (this.isWord('import')) {
      this.lexer.next();
      const name = this.name();
      this.punct(':');
      imports.push(freeze({ name, type: this.type() }));
    }
    const nodes: Node[] = [];
    while (this.lexer.peek().kind === 'def') nodes.push(this.node());
    const exports: string[] = [];
    const results: Origin[] = [];
    // An export without a value (only in a module with more export names than root results) comes last.
    let valueless = false;
    while (this.isWord('export')) {
      this.lexer.next();
      const at = this.lexer.peek();
      exports.push(this.name());
      const next = this.lexer.peek();
      if (next.kind === 'arg' || next.kind === 'out') this.expected(`'='`, next);
      if (this.eat('=')) {
        if (valueless) this.fail('an export with a value cannot follow one without a value', at);
        results.push(this.origin());
      } else {
        valueless = true;
      }
    }
    // Root results beyond the exported ones, again only in an inconsistent module.
    if (this.isWord('yield')) {
      const at = this.lexer.next();
      if (valueless) this.fail('a module with exports lacking a value cannot yield further results', at);
      results.push(...this.list(() => this.origin()));
    }
    const t = this.lexer.peek();
    if (!(t.kind === 'punct' && t.text === '}')) {
      if (t.kind === 'eof')
        this.fail(`unterminated module opened at ${open.line}:${open.column}: expected '}' but found end of input`, t);
      if (t.kind === 'ident' && t.text === 'import') this.fail('imports must come before the nodes of the module', t);
      if (t.kind === 'def') this.fail('nodes must come before the exports of the module', t);
      this.expected(`an import, a node, an export or '}'`, t);
    }
    this.lexer.next();
    const end = this.lexer.peek();
    if (end.kind !== 'eof') this.expected('end of input after the module', end);
    const region: Region = freeze({
      arguments: freeze(header ?? imports.map((i) => i.type)),
      nodes: freeze(nodes),
      results: freeze(results),
    });
    return freeze({ kind: 'omega', imports: freeze(imports), exports: freeze(exports), region });
  }
}

/**
 * Parses IR text into a module, deep-frozen like built ones. Parsing checks
 * syntax only; run the verifier to check the module's structure and types.
 * Throws ParseError with the line and column of the first error.
 */
export function parseModule(text: string, _options: ParseOptions = {}): Module {
  return new Parser(new Lexer(text)).module();
}

/** Parses a type written as `typeToString` prints it; returns the interned type. */
export function parseType(text: string): Type {
  const parser = new Parser(new Lexer(text));
  const type = parser.type();
  const end = parser.lexer.peek();
  if (end.kind !== 'eof') parser.expected('end of type', end);
  return type;
}
