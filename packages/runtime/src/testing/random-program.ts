import fc from 'fast-check';

/**
 * Random JavaScript functions, as source text, over two numbers `a`, `b`
 * and a Float64Array `xs`: arithmetic (with the edge values of doubles),
 * comparisons and logic, `Math` functions, integer-producing operators,
 * ifs, ternaries and bounded (nested) loops that read and write `xs`.
 * Every program terminates and every array access is in range, so V8's
 * result is the contract: the compiled function must return the same value
 * and leave `xs` holding the same elements.
 */

export interface RandomProgram {
  /** `function f(a, b, xs) { ... }` */
  readonly source: string;
}

const maxDepth = 3;

interface Ctx {
  /** Number variables in scope: declared locals and loop counters. */
  readonly vars: readonly string[];
  /** Loop counters bounded by `xs.length` (safe indices into xs). */
  readonly indices: readonly string[];
  readonly depth: number;
  readonly loops: number;
}

const literals = fc.constantFrom(
  '0',
  '1',
  '2',
  '3',
  '0.5',
  '-1',
  '-0',
  '1e300',
  '2.5',
  '7',
  '255',
  '4294967295',
  '0.1',
);

function atom(ctx: Ctx): fc.Arbitrary<string> {
  const choices: fc.Arbitrary<string>[] = [literals, fc.constantFrom(...ctx.vars), fc.constant('xs.length')];
  if (ctx.indices.length > 0) choices.push(fc.constantFrom(...ctx.indices).map((i) => `xs[${i}]`));
  choices.push(fc.integer({ min: 0, max: 3 }).map((k) => `(xs.length > ${k} ? xs[${k}] : ${k})`));
  return fc.oneof(...choices);
}

function expression(ctx: Ctx, depth: number): fc.Arbitrary<string> {
  if (depth <= 0) return atom(ctx);
  const sub = expression(ctx, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: atom(ctx) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(sub, fc.constantFrom('+', '-', '*', '/', '%', '+', '*'), sub)
        .map(([x, op, y]) => `(${x} ${op} ${y})`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(sub, fc.constantFrom('|', '&', '^', '<<', '>>', '>>>'), sub)
        .map(([x, op, y]) => `(${x} ${op} ${y})`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('Math.floor', 'Math.abs', 'Math.sqrt', 'Math.trunc', 'Math.round', 'Math.ceil', '-'),
          sub,
        )
        .map(([f, x]) => `${f}(${x})`),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('Math.min', 'Math.max', 'Math.imul'), sub, sub)
        .map(([f, x, y]) => `${f}(${x}, ${y})`),
    },
    { weight: 1, arbitrary: fc.tuple(condition(ctx, depth - 1), sub, sub).map(([c, x, y]) => `(${c} ? ${x} : ${y})`) },
  );
}

function condition(ctx: Ctx, depth: number): fc.Arbitrary<string> {
  const sub = expression(ctx, Math.max(0, depth));
  const comparison = fc
    .tuple(sub, fc.constantFrom('<', '<=', '>', '>=', '===', '!=='), sub)
    .map(([x, op, y]) => `${x} ${op} ${y}`);
  if (depth <= 0) return comparison;
  const inner = condition(ctx, depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: comparison },
    {
      weight: 1,
      arbitrary: fc.tuple(inner, fc.constantFrom('&&', '||'), inner).map(([x, op, y]) => `(${x}) ${op} (${y})`),
    },
    { weight: 1, arbitrary: inner.map((c) => `!(${c})`) },
  );
}

function statements(ctx: Ctx, count: number): fc.Arbitrary<string> {
  return fc.array(statement(ctx), { minLength: 1, maxLength: count }).map((lines) => lines.join('\n'));
}

function statement(ctx: Ctx): fc.Arbitrary<string> {
  const assignable = ctx.vars.filter((v) => !v.startsWith('i'));
  const assign = fc
    .tuple(fc.constantFrom(...assignable), fc.constantFrom('=', '+=', '-=', '*='), expression(ctx, 2))
    .map(([v, op, e]) => `${v} ${op} ${e};`);
  const options: { weight: number; arbitrary: fc.Arbitrary<string> }[] = [{ weight: 5, arbitrary: assign }];
  if (ctx.indices.length > 0) {
    options.push({
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...ctx.indices), fc.constantFrom('=', '+='), expression(ctx, 1))
        .map(([i, op, e]) => `xs[${i}] ${op} ${e};`),
    });
  }
  if (ctx.depth < maxDepth) {
    const inner: Ctx = { ...ctx, depth: ctx.depth + 1 };
    options.push({
      weight: 2,
      arbitrary: fc
        .tuple(condition(ctx, 1), statements(inner, 3), fc.option(statements(inner, 2), { nil: undefined }))
        .map(([c, t, e]) => `if (${c}) {\n${t}\n}${e === undefined ? '' : ` else {\n${e}\n}`}`),
    });
    if (ctx.loops < 2) {
      const counter = `i${ctx.loops}`;
      const overArray: Ctx = {
        vars: [...ctx.vars, counter],
        indices: [...ctx.indices, counter],
        depth: ctx.depth + 1,
        loops: ctx.loops + 1,
      };
      const counted: Ctx = { ...overArray, indices: ctx.indices };
      options.push({
        weight: 2,
        arbitrary: statements(overArray, 3).map(
          (body) => `for (let ${counter} = 0; ${counter} < xs.length; ${counter}++) {\n${body}\n}`,
        ),
      });
      options.push({
        weight: 1,
        arbitrary: fc
          .tuple(fc.integer({ min: 0, max: 5 }), statements(counted, 3))
          .map(([n, body]) => `for (let ${counter} = 0; ${counter} < ${n}; ${counter}++) {\n${body}\n}`),
      });
      options.push({
        weight: 1,
        arbitrary: fc
          .tuple(fc.integer({ min: 1, max: 6 }), statements(counted, 2))
          .map(
            ([n, body]) =>
              `{\nlet ${counter} = 0;\nwhile (${counter} < ${n}) {\n${body}\n${counter} = ${counter} + 1;\n}\n}`,
          ),
      });
    }
  }
  return fc.oneof(...options);
}

/** A whole function: three locals initialized from the parameters, a body, and a returned expression. */
export const randomProgram: fc.Arbitrary<RandomProgram> = (() => {
  const ctx: Ctx = { vars: ['a', 'b', 'v0', 'v1', 'v2'], indices: [], depth: 0, loops: 0 };
  return fc.tuple(statements(ctx, 5), expression(ctx, 2)).map(([body, result]) => ({
    source: `function f(a, b, xs) {\nlet v0 = a;\nlet v1 = b;\nlet v2 = 0;\n${body}\nreturn ${result};\n}`,
  }));
})();

const edgeNumbers = [0, -0, 1, -1, 0.5, 2, 3, 1e300, -1e-300, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 32 - 1, 2 ** 53];

/** Arguments for a random program: two numbers and a Float64Array. */
export const randomArguments: fc.Arbitrary<[number, number, Float64Array]> = fc.tuple(
  fc.oneof(fc.constantFrom(...edgeNumbers), fc.integer({ min: -50, max: 50 }), fc.double()),
  fc.oneof(fc.constantFrom(...edgeNumbers), fc.integer({ min: -50, max: 50 }), fc.double()),
  fc.oneof(
    fc.float64Array({ maxLength: 6 }),
    fc.array(fc.integer({ min: -9, max: 9 }), { maxLength: 6 }).map((xs) => Float64Array.from(xs)),
  ),
);
