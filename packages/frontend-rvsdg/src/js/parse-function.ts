import { parse, type Function as FunctionNode, type Node, type Options, type Program } from 'acorn';
import { CompileError } from './compile-error.js';

/** A parsed JavaScript function and the text its positions refer to. */
export interface ParsedFunction {
  readonly node: FunctionNode;
  /** The text the user wrote (positions in errors refer to it). */
  readonly source: string;
  /** The declared name (function declarations and named function expressions), if any. */
  readonly declaredName?: string;
  /** How many characters the parser saw before `source` on its first line (the text was wrapped to parse). */
  readonly firstLineShift: number;
}

const options: Options = { ecmaVersion: 'latest', locations: true, sourceType: 'script' };

function syntaxError(error: unknown, source: string): CompileError {
  const loc = (error as { loc?: { line: number; column: number } }).loc ?? { line: 1, column: 0 };
  const column = loc.column + 1;
  const message = error instanceof Error ? error.message.replace(/ \(\d+:\d+\)$/, '') : String(error);
  return new CompileError(`syntax error: ${message}`, 'syntax error', source, loc.line, Math.max(column, 1));
}

function functionOf(node: Node | undefined): FunctionNode | undefined {
  if (!node) return undefined;
  if (node.type === 'FunctionDeclaration') return node as FunctionNode;
  if (node.type === 'ExpressionStatement') {
    const expression = (node as unknown as { expression: Node }).expression;
    if (expression.type === 'FunctionExpression' || expression.type === 'ArrowFunctionExpression') {
      return expression as FunctionNode;
    }
  }
  return undefined;
}

/**
 * Parses the text of one function: a declaration, a function expression
 * (anonymous ones included, as `fn.toString()` prints them) or an arrow
 * function.
 */
export function parseFunction(source: string): ParsedFunction {
  let program: Program;
  try {
    program = parse(source, options);
  } catch (first) {
    // `function (a) {...}` is only valid as an expression.
    try {
      program = parse(`(${source})`, options);
    } catch {
      const method = parseMethod(source);
      if (method) return method;
      throw syntaxError(first, source);
    }
    return single(program, source, 1);
  }
  return single(program, source, 0);
}

function single(program: Program, source: string, firstLineShift: number): ParsedFunction {
  const node = program.body.length === 1 ? functionOf(program.body[0]) : undefined;
  if (!node) {
    throw new CompileError('expected the source of a single function', 'not a function', source, 1, 1);
  }
  const declaredName = node.id?.name;
  return { node, source, firstLineShift, ...(declaredName ? { declaredName } : {}) };
}

/** A method's text (`name(a) {...}`, what `toString()` gives for object and class methods), or undefined. */
function parseMethod(source: string): ParsedFunction | undefined {
  let program: Program;
  try {
    program = parse(`({${source}})`, options);
  } catch {
    return undefined;
  }
  const statement = program.body[0] as (Node & { expression?: Node & { properties?: Node[] } }) | undefined;
  const property = statement?.expression?.properties?.[0] as
    (Node & { method?: boolean; kind?: string; value?: Node }) | undefined;
  if (program.body.length !== 1 || statement?.expression?.properties?.length !== 1 || !property) return undefined;
  if (property.kind === 'init' && !property.method) return undefined;
  if (property.kind !== 'init') {
    throw new CompileError(`${property.kind ?? 'property'}ter methods cannot be compiled`, 'accessor', source, 1, 1);
  }
  // A method's own name is not bound inside it, so there is no declared name.
  return { node: property.value as FunctionNode, source, firstLineShift: 2 };
}

/**
 * Parses a script made of function declarations (a single function
 * expression or arrow is accepted too) and returns each function.
 */
export function parseFunctions(source: string): ParsedFunction[] {
  let program: Program;
  try {
    program = parse(source, options);
  } catch (error) {
    try {
      return [parseFunction(source)];
    } catch {
      throw syntaxError(error, source);
    }
  }
  const functions: ParsedFunction[] = [];
  for (const statement of program.body) {
    const node = functionOf(statement);
    if (!node) {
      const { line, column } = statement.loc?.start ?? { line: 1, column: 0 };
      throw new CompileError(
        `only function declarations can appear at the top level of the source, found ${statement.type}`,
        'top-level statement',
        source,
        line,
        column + 1,
      );
    }
    const declaredName = node.id?.name;
    functions.push({ node, source, firstLineShift: 0, ...(declaredName ? { declaredName } : {}) });
  }
  if (functions.length === 0) throw new CompileError('the source contains no function', 'not a function', source, 1, 1);
  return functions;
}
