import { createRequire } from 'node:module';
import { parse, type Node } from 'acorn';
import { childNodes } from '@rvsdg/frontend';
import type * as EslintScope from 'eslint-scope';

/*
 * Whether the binding a free name of a function denotes is ever assigned,
 * told apart from other bindings of the same name (a local `var sum` in one
 * function does not make the module's `function sum` mutable). free-names.ts
 * asks this only when its name-based scan found an assignment somewhere in
 * the script; eslint-scope resolves every reference to its declaration.
 * Loaded on first use, so that importing the runtime does not pay for it.
 */

const require = createRequire(import.meta.url);
let scopeLib: typeof EslintScope | undefined;

interface Analysis {
  readonly program: Node;
  readonly manager: EslintScope.ScopeManager;
  readonly lineStarts: readonly number[];
}

const analyses = new Map<string, Analysis | undefined>();

function analyse(source: string): Analysis | undefined {
  scopeLib ??= require('eslint-scope') as typeof EslintScope;
  for (const sourceType of ['module', 'script'] as const) {
    let program: Node;
    try {
      program = parse(source, {
        ecmaVersion: 'latest',
        sourceType,
        allowReturnOutsideFunction: true,
        allowAwaitOutsideFunction: true,
        allowHashBang: true,
        ranges: true,
      });
    } catch {
      continue;
    }
    const manager = scopeLib.analyze(program as never, {
      ecmaVersion: 2022,
      sourceType: sourceType === 'module' ? 'module' : 'commonjs',
    });
    const lineStarts = [0];
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
    return { program, manager, lineStarts };
  }
  return undefined;
}

const functionTypes = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** The innermost function node whose text contains `offset`. */
function functionAt(root: Node, offset: number): Node | undefined {
  let found: Node | undefined;
  const visit = (node: Node): void => {
    if (node.start > offset || node.end <= offset) return;
    if (functionTypes.has(node.type)) found = node;
    for (const child of childNodes(node)) visit(child);
  };
  visit(root);
  return found;
}

/**
 * For the function defined at `line`/`column` (0-based, as the inspector's
 * `[[FunctionLocation]]` gives them) in `source`: true when the binding its
 * free name `name` resolves to is assigned anywhere after its declaration,
 * false when it never is, undefined when that cannot be told (the source
 * does not parse, no function is there, the name is not declared in the
 * script, or it is declared more than once).
 */
export function bindingWritten(
  cacheKey: string,
  source: string,
  line: number,
  column: number,
  name: string,
): boolean | undefined {
  if (!analyses.has(cacheKey)) analyses.set(cacheKey, analyse(source));
  const analysis = analyses.get(cacheKey);
  if (!analysis) return undefined;
  const lineStart = analysis.lineStarts[line];
  if (lineStart === undefined) return undefined;
  const fn = functionAt(analysis.program, lineStart + column);
  if (!fn) return undefined;
  for (let scope = analysis.manager.acquire(fn as never, true); scope; scope = scope.upper) {
    const variable = scope.set.get(name);
    if (!variable) continue;
    if (variable.defs.length !== 1) return undefined;
    return variable.references.some((reference) => reference.isWrite() && !reference.init);
  }
  return undefined;
}
