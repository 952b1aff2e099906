import { parse, type Node, type Pattern } from 'acorn';

interface FunctionLike extends Node {
  readonly params: readonly Pattern[];
}

function functionNode(source: string): FunctionLike | undefined {
  // A declaration, an expression (anonymous functions only parse in parentheses), or a method.
  for (const text of [source, `(${source})`, `({${source}})`]) {
    try {
      const program = parse(text, { ecmaVersion: 'latest' });
      const statement = program.body[0] as Node & { expression?: Node & { properties?: { value: Node }[] } };
      let node: Node | undefined = statement?.type === 'ExpressionStatement' ? statement.expression : statement;
      if (node?.type === 'ObjectExpression') node = (node as { properties?: { value: Node }[] }).properties?.[0]?.value;
      if (
        node &&
        (node.type === 'FunctionDeclaration' ||
          node.type === 'FunctionExpression' ||
          node.type === 'ArrowFunctionExpression')
      ) {
        return node as FunctionLike;
      }
    } catch {
      // Not parseable this way; try the next wrapping (the frontend reports real syntax errors).
    }
  }
  return undefined;
}

/**
 * The names of a function's parameters as written in its source, for
 * messages (`#2` where the source has a pattern). A function whose source
 * does not parse gets `#1`..`#n` from `fn.length`; compiling it reports why.
 */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const node = functionNode(Function.prototype.toString.call(fn));
  if (!node) return Array.from({ length: fn.length }, (_, i) => `#${i + 1}`);
  return node.params.map((param, i) => {
    if (param.type === 'Identifier') return param.name;
    if (param.type === 'AssignmentPattern' && param.left.type === 'Identifier') return param.left.name;
    if (param.type === 'RestElement' && param.argument.type === 'Identifier') return `...${param.argument.name}`;
    return `#${i + 1}`;
  });
}
