import { parse, tokenizer, type Node, type Pattern, type Token } from 'acorn';

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
 * The parameter list alone, as a function expression `(function (a, b = 1) {})`,
 * found with acorn's tokenizer (which stops there): parsing the whole
 * source of a large function to read its parameters costs milliseconds at
 * every first call. Undefined when the tokens do not make the usual
 * shapes; the whole source is parsed then.
 */
function parameterList(source: string): string | undefined {
  try {
    const tokens = tokenizer(source, { ecmaVersion: 'latest' });
    let depth = 0;
    let open = -1;
    let previous: Token | undefined;
    for (const token of tokens) {
      const label = token.type.label;
      if (open < 0) {
        // `x => ...` (or `async x => ...`): one parameter without parentheses.
        if (label === '=>' && previous?.type.label === 'name')
          return `(function (${source.slice(previous.start, previous.end)}) {})`;
        if (label === '(') {
          open = token.start;
          depth = 1;
        } else if (label === '{' || label === '[' || label === '=') return undefined;
      } else if (label === '(' || label === '[' || label === '{' || label === '${') depth++;
      else if (label === ')' || label === ']' || label === '}') {
        depth--;
        if (depth === 0) return `(function ${source.slice(open, token.end)} {})`;
      }
      previous = token;
    }
  } catch {
    // Not tokenizable: the whole source is parsed (and compiling reports the syntax error).
  }
  return undefined;
}

/**
 * The names of a function's parameters as written in its source, for
 * messages (`#2` where the source has a pattern). A function whose source
 * does not parse gets `#1`..`#n` from `fn.length`; compiling it reports why.
 */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const source = Function.prototype.toString.call(fn);
  const list = parameterList(source);
  const head = list !== undefined ? functionNode(list) : undefined;
  // A native function's `function max() { [native code] }` has a list that parses, but fewer names than its length.
  const node = head && head.params.length >= fn.length ? head : functionNode(source);
  if (!node) return Array.from({ length: fn.length }, (_, i) => `#${i + 1}`);
  return node.params.map((param, i) => {
    if (param.type === 'Identifier') return param.name;
    if (param.type === 'AssignmentPattern' && param.left.type === 'Identifier') return param.left.name;
    if (param.type === 'RestElement' && param.argument.type === 'Identifier') return `...${param.argument.name}`;
    return `#${i + 1}`;
  });
}
