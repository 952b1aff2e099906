import { describe, expect, it } from 'vitest';
import { CompileError } from './compile-error.js';
import { fromFunction, fromSource } from './from-function.js';

/** Line and 1-based column of the first occurrence of `needle` in `source`. */
function position(source: string, needle: string): { line: number; column: number } {
  const offset = source.indexOf(needle);
  if (offset < 0) throw new Error(`'${needle}' does not occur in the source`);
  const lines = source.slice(0, offset).split('\n');
  return { line: lines.length, column: (lines[lines.length - 1] as string).length + 1 };
}

function compileError(compile: () => unknown): CompileError {
  try {
    compile();
  } catch (error) {
    if (error instanceof CompileError) return error;
    throw error;
  }
  throw new Error('expected a CompileError, but compilation succeeded');
}

interface Case {
  /** The construct the error must name. */
  readonly construct: string;
  readonly source: string;
  /** Where the error must point: the first occurrence of this text. */
  readonly at: string;
}

const cases: readonly Case[] = [
  { construct: 'object literal', source: 'function f(a) {\n  const o = { a };\n  return 1;\n}', at: '{ a }' },
  { construct: 'array literal', source: 'function f(a) {\n  return [a, a];\n}', at: '[a, a]' },
  { construct: 'string literal (strings are not supported)', source: "function f() {\n  return 'x';\n}", at: "'x'" },
  {
    construct: 'template literal (strings are not supported)',
    source: 'function f(a) {\n  return `${a}`;\n}',
    at: '`',
  },
  {
    construct: 'arrow function (closures are not supported)',
    source: 'function f(a) {\n  const g = (x) => x + a;\n  return a;\n}',
    at: '(x) =>',
  },
  {
    construct: 'function expression (closures are not supported)',
    source: 'function f(a) {\n  let g = function () {};\n  return a;\n}',
    at: 'function ()',
  },
  {
    construct: 'nested function declaration (closures are not supported)',
    source: 'function f(a) {\n  function g() {}\n  return a;\n}',
    at: 'function g',
  },
  { construct: "'this'", source: 'function f() {\n  return this;\n}', at: 'this' },
  { construct: "'arguments'", source: 'function f() {\n  return arguments;\n}', at: 'arguments' },
  { construct: 'generator function', source: 'function* f() {\n  yield 1;\n}', at: 'function*' },
  { construct: 'async function', source: 'async function f() {\n  return 1;\n}', at: 'async' },
  { construct: 'try statement', source: 'function f(a) {\n  try {\n    return a;\n  } catch {}\n}', at: 'try' },
  { construct: 'spread', source: 'function f(a) {\n  return Math.max(...a);\n}', at: '...a' },
  { construct: 'rest parameter', source: 'function f(...a) {\n  return 1;\n}', at: '...a' },
  // Only array literals are taken apart: any other value would need an iterator.
  { construct: 'destructuring', source: 'function f(a) {\n  const [x] = a;\n  return x;\n}', at: 'a;' },
  { construct: 'destructuring', source: 'function f({ a }) {\n  return a;\n}', at: '{ a }' },
  { construct: 'for...in', source: 'function f(a) {\n  for (const k in a) {}\n  return 1;\n}', at: 'for' },
  { construct: 'typeof', source: 'function f(a) {\n  return typeof a;\n}', at: 'typeof' },
  { construct: 'delete', source: 'function f(a) {\n  return delete a[0];\n}', at: 'delete' },
  // Comparisons with null compile (no compiled value is null); null as a value does not.
  { construct: "'null'", source: 'function f(a) {\n  return null;\n}', at: 'null' },
  { construct: 'new Map', source: 'function f() {\n  const m = new Map();\n  return 1;\n}', at: 'new Map' },
  { construct: "property '.x'", source: 'function f(a) {\n  return a.x;\n}', at: 'a.x' },
  { construct: 'throw of a non-Error value', source: 'function f(a) {\n  if (a) throw a;\n  return 1;\n}', at: 'a;' },
  {
    construct: 'non-constant error message',
    source: 'function f(a) {\n  throw new RangeError(a);\n}',
    at: 'a);',
  },
  { construct: 'class', source: 'function f() {\n  class C {}\n  return 1;\n}', at: 'class' },
  { construct: 'optional chaining', source: 'function f(a) {\n  return a?.length;\n}', at: 'a?.length' },
  { construct: 'Math.random', source: 'function f() {\n  return Math.random();\n}', at: 'Math.random' },
  { construct: "'in' operator", source: 'function f(a) {\n  return 0 in a;\n}', at: '0 in a' },
  {
    construct: "'instanceof' operator",
    source: 'function f(a) {\n  return a instanceof Float64Array;\n}',
    at: 'a instanceof',
  },
  {
    construct: 'use before declaration',
    source: 'function f(a) {\n  a = b + 1;\n  let b = 2;\n  return a;\n}',
    at: 'b + 1',
  },
  { construct: 'use before declaration', source: 'function f(a) {\n  let b = b;\n  return a;\n}', at: 'b;' },
  {
    construct: 'use before declaration',
    source:
      'function f(a) {\n  switch (a) {\n    case 0:\n      let x = 1;\n      return x;\n    case 1:\n      return x;\n  }\n}',
    at: 'x;\n  }',
  },
  { construct: 'syntax error', source: 'function f(a) {\n  block: {\n    continue block;\n  }\n}', at: 'continue' },
  { construct: 'free identifier', source: 'function f(a) {\n  return a + scale;\n}', at: 'scale' },
  { construct: 'function value', source: 'function f(a) {\n  const g = f;\n  return a;\n}', at: 'f;' },
  {
    construct: 'Error object',
    source: 'function f(a) {\n  const e = new Error("x");\n  return a;\n}',
    at: 'new Error',
  },
  { construct: 'syntax error', source: 'function f(a) {\n  return a +;\n}', at: ';\n}' },
  { construct: 'duplicate parameter', source: 'function f(a, a) {\n  return a;\n}', at: 'a)' },
  { construct: "'Math' as a value", source: 'function f(a) {\n  const m = Math;\n  return a;\n}', at: 'Math;' },
  { construct: 'call of a local variable', source: 'function f(a) {\n  return a(1);\n}', at: 'a(1)' },
];

describe('CompileError', () => {
  for (const testCase of cases) {
    it(`names ${testCase.construct} at its position (${JSON.stringify(testCase.at)})`, () => {
      const error = compileError(() => fromSource(testCase.source));
      const expected = position(testCase.source, testCase.at);
      expect(error.construct).toBe(testCase.construct);
      expect({ line: error.line, column: error.column }).toEqual(expected);
      // The code frame marks the line and the column.
      const lines = error.message.split('\n');
      const marked = lines.findIndex((l) => l.startsWith(`> ${expected.line} |`));
      expect(marked).toBeGreaterThan(0);
      const caret = lines[marked + 1] as string;
      expect(caret.indexOf('^') - caret.indexOf('|') - 1).toBe(expected.column);
      expect(error.message).toContain(`line ${expected.line}, column ${expected.column}`);
    });
  }

  it('tells how to pass a free identifier through the scope', () => {
    function usesFree(a: number): number {
      // @ts-expect-error `offset` is deliberately undefined here
      return a + offset;
    }
    const error = compileError(() => fromFunction(usesFree));
    expect(error.reason).toBe(
      "'offset' is not defined in the scope: pass it as fromFunction(fn, { scope: { offset } })",
    );
    expect(error.construct).toBe('free identifier');
    expect(error.functionName).toBe('usesFree');
  });

  it('names the API the user called in the hint (the caller option)', () => {
    const error = compileError(() => fromSource('function f(a) {\n  return a + offset;\n}', { caller: 'jit' }));
    expect(error.reason).toBe("'offset' is not defined in the scope: pass it as jit(source, { scope: { offset } })");
    function usesLimit(a: number): number {
      // @ts-expect-error `limit` is deliberately undefined here
      return a + limit;
    }
    const fromFn = compileError(() => fromFunction(usesLimit, { caller: 'jit' }));
    expect(fromFn.reason).toBe("'limit' is not defined in the scope: pass it as jit(fn, { scope: { limit } })");
  });

  it('says that a JavaScript built-in cannot be compiled instead of asking for it in the scope', () => {
    for (const [body, what] of [
      ['return eval("a");', 'eval'],
      ['console.log(a);\n  return a;', 'console.log'],
      ['return JSON.parse(a);', 'JSON.parse'],
      ['return JSON;', 'JSON'],
      ['return parseInt(a);', 'parseInt'],
      ['return Object.keys(a).length;', 'Object.keys'],
    ] as const) {
      const error = compileError(() => fromSource(`function f(a) {\n  ${body}\n}`, { caller: 'jit' }));
      expect(error.reason).toBe(`'${what}' is a JavaScript built-in that jit cannot compile`);
      expect(error.line).toBe(2);
      const neutral = compileError(() => fromSource(`function f(a) {\n  ${body}\n}`));
      expect(neutral.reason).toBe(`'${what}' is a JavaScript built-in that fromSource cannot compile`);
    }
    // A scope binding of the same name is the user's own, not the built-in.
    const scoped = fromSource('function f(a) {\n  return a + parseInt;\n}', { scope: { parseInt: 2 } });
    expect(scoped.entry).toBe('f');
  });

  it("reports this.x as 'this', not as a property", () => {
    const error = compileError(() => fromSource('function f(a) {\n  return this.y + a;\n}'));
    expect(error.reason).toBe("'this' is not supported (this.y)");
    expect(error.construct).toBe("'this'");
    const call = compileError(() => fromSource('function f(a) {\n  return this.g(a);\n}'));
    expect(call.reason).toBe("'this' is not supported (this.g(...))");
  });

  it('calls an array in the scope an array (one that holds other than numbers)', () => {
    const error = compileError(() =>
      fromSource('function f(a) {\n  return a + table;\n}', { scope: { table: [1, 'one'] } }),
    );
    expect(error.reason).toBe(
      "'table' in the scope is an array; only numbers, booleans, BigInts, TypedArrays, Arrays of numbers and functions can be used",
    );
    const map = compileError(() => fromSource('function f(a) {\n  return a + m;\n}', { scope: { m: new Map() } }));
    expect(map.reason).toMatch(/^'m' in the scope is a Map;/);
  });

  it('says which scope values cannot be used', () => {
    const error = compileError(() => fromSource('function f(a) {\n  return a + label;\n}', { scope: { label: 'x' } }));
    expect(error.reason).toBe(
      "'label' in the scope is a string; only numbers, booleans, BigInts, TypedArrays, Arrays of numbers and functions can be used",
    );
    expect(error.line).toBe(2);
  });

  it('points into the source of the scope function that fails', () => {
    function helper(x: number): number {
      return x + [x].length;
    }
    function main(a: number): number {
      return helper(a);
    }
    const error = compileError(() => fromFunction(main, { scope: { helper } }));
    expect(error.construct).toBe('array literal');
    expect(error.functionName).toBe('helper');
    expect(error.source).toBe(helper.toString());
    expect(error.line).toBe(2);
  });

  it('refuses native functions', () => {
    const error = compileError(() => fromFunction(Math.max));
    expect(error.construct).toBe('native function');
  });

  it('keeps columns of anonymous function expressions relative to their own text', () => {
    const source = 'function (a) { return a.x; }';
    const error = compileError(() => fromSource(source));
    expect(error.construct).toBe("property '.x'");
    expect({ line: error.line, column: error.column }).toEqual(position(source, 'a.x'));
  });
});
