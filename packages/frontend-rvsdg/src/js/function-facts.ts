import type { Node } from 'acorn';
import { childNodes } from './ast.js';
import { emptyReturn } from './js-to-cfg.js';
import type { PropertyGuard } from './from-function.js';

/*
 * Facts about a function's source and scope values that from-function.ts
 * decides how to compile by: which returns it has, whether a scope value is
 * an Array of numbers, and the property guards without repeats.
 */

/** A dense plain Array of numbers: read from a scope like a TypedArray (the runtime passes a copy at each call). */
export function isNumberArray(value: unknown): boolean {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
  for (let i = 0; i < value.length; i++) if (!(i in value) || typeof value[i] !== 'number') return false;
  return true;
}

/** True when the function returns a value on some path and undefined or null (by syntax, or by falling off its end) on another. */
export function mixesEmptyReturns(fn: Node): boolean {
  const body = (fn as unknown as { body: Node }).body;
  if (body.type !== 'BlockStatement') return false;
  let values = 0;
  let empty = 0;
  const visit = (node: Node, top: boolean): void => {
    if (!top && /Function/.test(node.type)) return;
    if (node.type === 'ReturnStatement') {
      if (emptyReturn((node as unknown as { argument: Node | null }).argument)) empty++;
      else values++;
    }
    for (const child of childNodes(node)) visit(child, false);
  };
  visit(fn, true);
  const statements = (body as unknown as { body: Node[] }).body;
  // Falling off the end returns undefined unless the last statement is a return or a throw (a conservative test).
  const last = statements[statements.length - 1];
  const fallsOff = last?.type !== 'ReturnStatement' && last?.type !== 'ThrowStatement';
  return values > 0 && (empty > 0 || fallsOff);
}

/** True when every `return` of the function (not of functions inside it) returns an array literal or a call, one at least a literal. */
export function returnsArrayLiterals(fn: Node): boolean {
  let literals = 0;
  let others = 0;
  const visit = (node: Node, top: boolean): void => {
    if (!top && /Function/.test(node.type)) return;
    if (node.type === 'ReturnStatement') {
      const argument = (node as unknown as { argument: Node | null }).argument;
      if (argument?.type === 'ArrayExpression') literals++;
      else if (argument?.type !== 'CallExpression') others++;
    }
    for (const child of childNodes(node)) visit(child, false);
  };
  visit(fn, true);
  // An arrow with an expression body returns that expression.
  const body = (fn as unknown as { body: Node }).body;
  if (body.type !== 'BlockStatement') return body.type === 'ArrayExpression';
  return literals > 0 && others === 0;
}

export function uniqueGuards(guards: readonly PropertyGuard[]): PropertyGuard[] {
  const seen = new Map<object, Set<string>>();
  return guards.filter((g) => {
    let keys = seen.get(g.object);
    if (!keys) seen.set(g.object, (keys = new Set()));
    if (keys.has(g.key)) return false;
    keys.add(g.key);
    return true;
  });
}
