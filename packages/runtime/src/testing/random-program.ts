import fc from 'fast-check';

/**
 * Random JavaScript functions, as source text, over two numbers `a`, `b`
 * and a Float64Array `xs`: arithmetic (with the edge values of doubles and
 * large integer constants such as 64, 2**31 and 1e10), comparisons and
 * logic, `Math` functions, integer-producing operators, ifs, ternaries,
 * bounded (nested) loops that read and write `xs`, `var`s declared inside
 * loops and returned from there, and BigInt locals: arithmetic, shifts,
 * `BigInt.asIntN`/`asUintN` over `?:`, `&&` and `||`, literals at and
 * beyond the 64-bit edges and scope constants such as `2n ** 64n`. Every
 * function returns a number (BigInts come back through `Number(...)`).
 * Every program terminates and every array access is in range, so V8's
 * result is the contract: the compiled function must return the same value
 * and leave `xs` holding the same elements, except that where the exact
 * value of a BigInt leaves 64 bits, compiled code throws a RangeError (see
 * `i64Limit`).
 */

export interface RandomProgram {
  /** `function f(a, b, xs) { ... }` */
  readonly source: string;
  /**
   * The scope constants the source uses (BigInts such as `K64 = 2n ** 64n`),
   * absent when it uses none: pass them to `jit` as `scope`, and compile
   * the source for V8 with `programFunction`, which binds them.
   */
  readonly scope?: Readonly<Record<string, bigint>>;
}

/** The scope constants programs may use; a name always has the same value, so scopes of programs merge. */
export const scopeConstants: Readonly<Record<string, bigint>> = {
  K64: 2n ** 64n,
  K63: 2n ** 63n,
  KMAX: 2n ** 63n - 1n,
  KMIN: -(2n ** 63n),
};

/** The program as a V8 function, its scope constants bound as closure variables. */
export function programFunction(program: RandomProgram): (a: number, b: number, xs: Float64Array) => unknown {
  const names = Object.keys(program.scope ?? {});
  const values = names.map((n) => program.scope?.[n]);
  return new Function(...names, `return ${program.source}`)(...values) as never;
}

/**
 * The RangeError compiled code throws where the exact value of a BigInt
 * (a result or a constant) leaves 64 bits and V8 goes on with a larger
 * BigInt: the semantics contract allows it in place of V8's outcome.
 */
export function i64Limit(error: { name: string; message: string } | undefined): boolean {
  return error !== undefined && error.name === 'RangeError' && /64 (signed )?bits/.test(error.message);
}

const maxDepth = 3;

interface Ctx {
  /** Number variables in scope: declared locals and loop counters. */
  readonly vars: readonly string[];
  /** Loop counters bounded by `xs.length` (safe indices into xs). */
  readonly indices: readonly string[];
  /** Loop counters (integers). */
  readonly counters: readonly string[];
  /** BigInt locals. */
  readonly bigVars: readonly string[];
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

/** Integer constants that are multiples of 64 or at the edges of 32 bits: folds that treat them as shift amounts are wrong. */
const largeConstants = fc.constantFrom(
  '64',
  '128',
  '192',
  '-64',
  '2147483648',
  '-2147483648',
  '2147483647',
  '4294967296',
  '1e10',
  '-1e10',
  '9007199254740992',
  '(2 ** 31)',
  '(2 ** 32)',
);

const bigLiterals = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '0n',
      '1n',
      '-1n',
      '2n',
      '3n',
      '7n',
      '64n',
      '-64n',
      '128n',
      '4294967296n',
      '-(2n ** 31n)',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '9223372036854775807n',
      '-9223372036854775808n',
      '-9223372036854775807n',
      'KMAX',
      'KMIN',
    ),
  },
  // Beyond 64 bits: compiled code throws a RangeError where they are evaluated.
  { weight: 1, arbitrary: fc.constantFrom('9223372036854775808n', '-9223372036854775809n', 'K64', 'K63') },
);

function atom(ctx: Ctx): fc.Arbitrary<string> {
  const choices: { weight: number; arbitrary: fc.Arbitrary<string> }[] = [
    { weight: 4, arbitrary: literals },
    { weight: 4, arbitrary: fc.constantFrom(...ctx.vars) },
    { weight: 4, arbitrary: fc.constant('xs.length') },
    { weight: 1, arbitrary: largeConstants },
  ];
  if (ctx.indices.length > 0) {
    choices.push({ weight: 4, arbitrary: fc.constantFrom(...ctx.indices).map((i) => `xs[${i}]`) });
  }
  choices.push({
    weight: 4,
    arbitrary: fc.integer({ min: 0, max: 3 }).map((k) => `(xs.length > ${k} ? xs[${k}] : ${k})`),
  });
  if (ctx.bigVars.length > 0) {
    choices.push({ weight: 1, arbitrary: fc.constantFrom(...ctx.bigVars).map((w) => `Number(${w})`) });
  }
  return fc.oneof(...choices);
}

/** Values the compiler can prove to be integers: loop counters, `x | 0`, `x >>> 0`, `xs.length`. */
function integerAtom(ctx: Ctx): fc.Arbitrary<string> {
  const choices: fc.Arbitrary<string>[] = [
    fc.constant('xs.length'),
    fc.tuple(fc.constantFrom(...ctx.vars), fc.constantFrom('| 0', '>>> 0')).map(([v, op]) => `(${v} ${op})`),
  ];
  if (ctx.counters.length > 0) choices.push(fc.constantFrom(...ctx.counters));
  return fc.oneof(...choices);
}

function expression(ctx: Ctx, depth: number): fc.Arbitrary<string> {
  if (depth <= 0) return atom(ctx);
  const sub = expression(ctx, depth - 1);
  const options: { weight: number; arbitrary: fc.Arbitrary<string> }[] = [
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
        .tuple(integerAtom(ctx), fc.constantFrom('-', '+', '-'), largeConstants)
        .map(([x, op, c]) => `(${x} ${op} ${c})`),
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
  ];
  if (ctx.bigVars.length > 0) {
    options.push({ weight: 1, arbitrary: bigToNumber(bigExpression(ctx, depth - 1)) });
  }
  return fc.oneof(...options);
}

/** A number from a BigInt: rounded (`Number(x)`) or exact (the low bits). */
function bigToNumber(big: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('Number(#)', 'Number(BigInt.asIntN(53, #))', 'Number(# % 1000000007n)'), big)
    .map(([form, x]) => form.replace('#', x));
}

function asN(fn: fc.Arbitrary<string>, widths: fc.Arbitrary<number>, operand: fc.Arbitrary<string>) {
  return fc.tuple(fn, widths, operand).map(([f, n, x]) => `BigInt.${f}(${n}, ${x})`);
}

function bigExpression(ctx: Ctx, depth: number): fc.Arbitrary<string> {
  const atoms = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ctx.bigVars) },
    { weight: 2, arbitrary: bigLiterals },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('BigInt(# | 0)', 'BigInt(Math.trunc(#))', 'BigInt(Math.floor(#))'), atom(ctx))
        .map(([form, x]) => form.replace('#', x)),
    },
  );
  if (depth <= 0) return atoms;
  const sub = bigExpression(ctx, depth - 1);
  const wrap64 = (x: string): string => `BigInt.asIntN(64, ${x})`;
  const widths = fc.constantFrom(64, 64, 32, 8, 63, 1, 0, 65, 128);
  const unsignedWidths = fc.constantFrom(32, 8, 63, 1, 0, 16);
  const branching = fc.oneof(
    fc.tuple(condition(ctx, depth - 1), sub, sub).map(([c, x, y]) => `${c} ? ${x} : ${y}`),
    fc.tuple(sub, fc.constantFrom('&&', '||'), sub).map(([x, op, y]) => `${x} ${op} ${y}`),
    fc
      .tuple(condition(ctx, depth - 1), fc.constantFrom('&&', '||'), condition(ctx, depth - 1), sub, sub)
      .map(([c, op, d, x, y]) => `(${c}) ${op} (${d}) ? ${x} : ${y}`),
  );
  return fc.oneof(
    { weight: 3, arbitrary: atoms },
    {
      weight: 3,
      arbitrary: fc
        .tuple(sub, fc.constantFrom('+', '-', '*', '+', '-', '*', '/', '%', '&', '|', '^'), sub, fc.boolean())
        .map(([x, op, y, wrapped]) => (wrapped ? wrap64(`${x} ${op} ${y}`) : `(${x} ${op} ${y})`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          sub,
          fc.constantFrom('-', '+'),
          fc.constantFrom('64n', '128n', '2147483648n', '4294967296n', '10000000000n'),
        )
        .map(([x, op, c]) => wrap64(`${x} ${op} ${c}`)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(sub, fc.constantFrom('<<', '>>'), fc.constantFrom('0n', '1n', '3n', '31n', '63n', '64n', '-2n', '100n'))
        .map(([x, op, s]) => `(${x} ${op} ${s})`),
    },
    { weight: 2, arbitrary: asN(fc.constant('asIntN'), widths, branching) },
    { weight: 1, arbitrary: asN(fc.constant('asUintN'), unsignedWidths, branching) },
    { weight: 1, arbitrary: asN(fc.constantFrom('asIntN', 'asUintN'), unsignedWidths, sub) },
    { weight: 1, arbitrary: sub.map((x) => `-(${x})`) },
    { weight: 1, arbitrary: branching.map((x) => `(${x})`) },
  );
}

function condition(ctx: Ctx, depth: number): fc.Arbitrary<string> {
  const sub = expression(ctx, Math.max(0, depth));
  const comparisons: fc.Arbitrary<string>[] = [
    fc.tuple(sub, fc.constantFrom('<', '<=', '>', '>=', '===', '!=='), sub).map(([x, op, y]) => `${x} ${op} ${y}`),
  ];
  if (ctx.bigVars.length > 0) {
    const big = bigExpression(ctx, Math.min(1, Math.max(0, depth)));
    comparisons.push(
      fc.tuple(big, fc.constantFrom('<', '<=', '>', '>=', '===', '!=='), big).map(([x, op, y]) => `${x} ${op} ${y}`),
      // BigInt with number: JavaScript compares the exact values.
      fc.tuple(big, fc.constantFrom('<', '>=', '>'), atom(ctx)).map(([x, op, y]) => `${x} ${op} ${y}`),
    );
  }
  const comparison = fc.oneof(...comparisons);
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
  if (ctx.bigVars.length > 0) {
    options.push({
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...ctx.bigVars), fc.constantFrom('=', '=', '+=', '-=', '*='), bigExpression(ctx, 2))
        .map(([w, op, e]) => (op === '=' ? `${w} = ${e};` : `${w} = BigInt.asIntN(64, ${w} ${op[0]} ${e});`)),
    });
  }
  if (ctx.indices.length > 0) {
    options.push({
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...ctx.indices), fc.constantFrom('=', '+='), expression(ctx, 1))
        .map(([i, op, e]) => `xs[${i}] ${op} ${e};`),
    });
  }
  if (ctx.loops > 0) {
    // A var declared in a loop body and returned from it: every return path returns a number.
    // (Number vars are q0, q1 and BigInt vars r0, r1: a var keeps one type wherever it is declared.)
    const numberVar = fc
      .tuple(fc.constantFrom('q0', 'q1'), expression(ctx, 1))
      .map(([q, init]) => ({ q, init, returned: q }));
    const bigVar = (): fc.Arbitrary<{ q: string; init: string; returned: string }> =>
      fc
        .tuple(fc.constantFrom('r0', 'r1'), bigExpression(ctx, 1))
        .map(([q, init]) => ({ q, init, returned: `Number(${q})` }));
    options.push({
      weight: 1,
      arbitrary: fc
        .tuple(ctx.bigVars.length > 0 ? fc.oneof(numberVar, bigVar()) : numberVar, condition(ctx, 1), fc.boolean())
        .map(
          ([{ q, init, returned }, c, plain]) =>
            `var ${q} = ${init};\nif (${c}) return ${returned}${plain ? '' : ` + ${ctx.counters.at(-1) ?? 0}`};`,
        ),
    });
  }
  if (ctx.depth > 0) {
    options.push({
      weight: 1,
      arbitrary: fc.tuple(condition(ctx, 1), expression(ctx, 1)).map(([c, e]) => `if (${c}) return ${e};`),
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
        ...ctx,
        vars: [...ctx.vars, counter],
        indices: [...ctx.indices, counter],
        counters: [...ctx.counters, counter],
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

/** The scope constants named in `source`. */
function scopeOf(source: string): Readonly<Record<string, bigint>> | undefined {
  const used = Object.keys(scopeConstants).filter((name) => new RegExp(`\\b${name}\\b`).test(source));
  if (used.length === 0) return undefined;
  return Object.fromEntries(used.map((name) => [name, scopeConstants[name] as bigint]));
}

function program(ctx: Ctx, prelude: string): fc.Arbitrary<RandomProgram> {
  const result =
    ctx.bigVars.length > 0 ? fc.oneof(expression(ctx, 2), bigToNumber(bigExpression(ctx, 2))) : expression(ctx, 2);
  return fc.tuple(statements(ctx, 5), result).map(([body, returned]) => {
    const source = `function f(a, b, xs) {\n${prelude}${body}\nreturn ${returned};\n}`;
    const scope = scopeOf(source);
    return scope ? { source, scope } : { source };
  });
}

/**
 * A whole function: three number locals initialized from the parameters (and,
 * in one program of three, three BigInt locals), a body, and a returned expression.
 */
export const randomProgram: fc.Arbitrary<RandomProgram> = (() => {
  const numbers: Ctx = {
    vars: ['a', 'b', 'v0', 'v1', 'v2'],
    indices: [],
    counters: [],
    bigVars: [],
    depth: 0,
    loops: 0,
  };
  const withBigInts: Ctx = { ...numbers, bigVars: ['w0', 'w1', 'w2'] };
  const prelude = 'let v0 = a;\nlet v1 = b;\nlet v2 = 0;\n';
  return fc.oneof(
    { weight: 2, arbitrary: program(numbers, prelude) },
    {
      weight: 1,
      arbitrary: program(withBigInts, `${prelude}let w0 = BigInt(a | 0);\nlet w1 = BigInt(b | 0);\nlet w2 = 0n;\n`),
    },
  );
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
