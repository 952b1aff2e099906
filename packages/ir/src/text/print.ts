import type { SourceLoc } from '../nodes/loc.js';
import type { Module } from '../nodes/module.js';
import type { Node } from '../nodes/node.js';
import { originToString, type Origin } from '../nodes/origin.js';
import type { Region } from '../nodes/region.js';
import type { AttrValue, Attrs } from '../nodes/simple.js';
import { typeToString, type Type } from '../types/type.js';
import { bareWord } from './lexer.js';

/**
 * The IR text format printer. The grammar is in docs/ir-text-format.md;
 * `parseModule` reads everything printed here back into an identical module
 * (same node ids, same interned types), so printing is also how modules are
 * compared in tests and shown in pass instrumentation.
 */

/** Words that start a structural node; a simple op with one of these names is printed quoted. */
export const structuralKeywords: ReadonlySet<string> = new Set(['gamma', 'theta', 'lambda', 'delta', 'phi']);

const indentUnit = '  ';

/** A JavaScript number in a form that reads back exactly: shortest round-trip digits, `-0`, `NaN`, `Infinity`. */
export function printNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** `word` when it is a bare word, otherwise a JSON string literal. */
function wordOrString(text: string): string {
  return bareWord.test(text) ? text : JSON.stringify(text);
}

/** A lambda, delta, import or export name: `@name` or `@"any text"`. */
export function printName(name: string): string {
  return `@${wordOrString(name)}`;
}

function isType(value: AttrValue): value is Type {
  return typeof value === 'object';
}

export function printAttrValue(value: AttrValue): string {
  switch (typeof value) {
    case 'number':
      return printNumber(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return String(value);
    case 'string':
      return JSON.stringify(value);
    default:
      if (isType(value)) return typeToString(value);
      throw new TypeError(`attribute value ${String(value)} is not printable`);
  }
}

export function printAttrs(attrs: Attrs): string {
  const parts: string[] = [];
  for (const key of Object.keys(attrs)) parts.push(`${wordOrString(key)} = ${printAttrValue(attrs[key] as AttrValue)}`);
  return `{${parts.join(', ')}}`;
}

function printOrigins(origins: readonly Origin[]): string {
  return origins.map(originToString).join(', ');
}

const typeText = new WeakMap<Type, string>();

/** typeToString, remembered per (interned) type: large modules repeat a handful of types. */
function typeString(type: Type): string {
  let text = typeText.get(type);
  if (text === undefined) {
    text = typeToString(type);
    typeText.set(type, text);
  }
  return text;
}

function printTypeList(types: readonly Type[]): string {
  return `(${types.map(typeString).join(', ')})`;
}

/** Output types: a single type bare, any other number parenthesized (a type never starts with `(`). */
function printOutputs(types: readonly Type[]): string {
  return types.length === 1 ? typeString(types[0] as Type) : printTypeList(types);
}

function printLoc(loc: SourceLoc): string {
  return `loc(${printNumber(loc.line)}:${printNumber(loc.column)})`;
}

/** The node's line up to its regions: `%id = head : outputs loc(..)`. */
function nodeHeader(node: Node): string {
  const operands = node.inputs.length > 0 ? `(${printOrigins(node.inputs)})` : '';
  let head: string;
  let outputs: string;
  switch (node.kind) {
    case 'simple': {
      const op = bareWord.test(node.op) && !structuralKeywords.has(node.op) ? node.op : JSON.stringify(node.op);
      const attrs = Object.keys(node.attrs).length > 0 ? ` ${printAttrs(node.attrs)}` : '';
      head = `${op}${operands}${attrs}`;
      outputs = printOutputs(node.outputs);
      break;
    }
    case 'lambda': {
      head = `lambda ${printName(node.name)}${operands}`;
      outputs = typeString(node.type);
      // Only an ill-formed lambda has outputs other than its function type; print them so nothing is hidden.
      if (node.outputs.length !== 1 || node.outputs[0] !== node.type)
        outputs += ` outputs ${printTypeList(node.outputs)}`;
      break;
    }
    case 'delta':
      head = `delta ${printName(node.name)}${operands}`;
      outputs = printOutputs(node.outputs);
      break;
    default:
      head = `${node.kind}${operands}`;
      outputs = printOutputs(node.outputs);
  }
  const loc = node.loc ? ` ${printLoc(node.loc)}` : '';
  return `%${node.id} = ${head} : ${outputs}${loc}`;
}

function regionHeader(region: Region): string {
  return `^(${region.arguments.map((t, i) => `%a${i}: ${typeString(t)}`).join(', ')})`;
}

/** A line of text, or a node still to be printed at an indentation. */
type PrintTask = string | { readonly node: Node; readonly indent: string };

/**
 * Appends the lines of `nodes` (and of their regions, to any depth) to `out`.
 * It keeps its own stack instead of recursing so that the depth of region
 * nesting is bounded by memory, not by the JavaScript call stack.
 */
function emitNodes(nodes: readonly Node[], indent: string, out: string[]): void {
  const stack: PrintTask[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) stack.push({ node: nodes[i] as Node, indent });
  while (stack.length > 0) {
    const task = stack.pop() as PrintTask;
    if (typeof task === 'string') {
      out.push(task);
      continue;
    }
    const { node } = task;
    let line = task.indent + nodeHeader(node);
    if (node.regions.length === 0) {
      out.push(line);
      continue;
    }
    const inner = task.indent + indentUnit;
    const tasks: PrintTask[] = [];
    for (const region of node.regions) {
      tasks.push(`${line} {`, inner + regionHeader(region));
      for (const child of region.nodes) tasks.push({ node: child, indent: inner });
      tasks.push(`${inner}yield (${printOrigins(region.results)})`);
      line = `${task.indent}}`;
    }
    tasks.push(line);
    for (let i = tasks.length - 1; i >= 0; i--) stack.push(tasks[i] as PrintTask);
  }
}

/** The text of one node (its regions included), indented by `depth` levels. */
export function printNode(node: Node, depth = 0): string {
  const out: string[] = [];
  emitNodes([node], indentUnit.repeat(depth), out);
  return out.join('\n');
}

/** The text of a region as it appears inside a structural node: `{ ^(args) nodes yield (results) }`. */
export function printRegion(region: Region, depth = 0): string {
  const indent = indentUnit.repeat(depth);
  const inner = indent + indentUnit;
  const out = ['{', inner + regionHeader(region)];
  emitNodes(region.nodes, inner, out);
  out.push(`${inner}yield (${printOrigins(region.results)})`, `${indent}}`);
  return out.join('\n');
}

/**
 * The text of a module. Imports are the root region's arguments and exports
 * name its results. A module where these disagree (only an ill-formed one)
 * is still printed faithfully so it can be inspected: a `^(...)` header gives
 * the root arguments when they differ from the import types, results beyond
 * the export names follow in a `yield (...)`, and export names beyond the
 * results are printed without a value.
 */
export function printModule(module: Module): string {
  const { region, imports, exports } = module;
  const out = ['module {'];
  if (region.arguments.length !== imports.length || imports.some((imp, i) => imp.type !== region.arguments[i])) {
    out.push(indentUnit + regionHeader(region));
  }
  for (const imp of imports) out.push(`${indentUnit}import ${printName(imp.name)} : ${typeString(imp.type)}`);
  emitNodes(region.nodes, indentUnit, out);
  exports.forEach((name, i) => {
    const result = region.results[i];
    out.push(`${indentUnit}export ${printName(name)}${result ? ` = ${originToString(result)}` : ''}`);
  });
  if (region.results.length > exports.length) {
    out.push(`${indentUnit}yield (${printOrigins(region.results.slice(exports.length))})`);
  }
  out.push('}', '');
  return out.join('\n');
}
