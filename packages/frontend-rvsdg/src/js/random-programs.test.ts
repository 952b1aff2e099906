import fc from 'fast-check';
import { interpret, memToken, OpError, type IRValue } from '@rvsdg/ir';
import { describe, it } from 'vitest';
import { fromSource } from './from-function.js';
import { jsRegistry } from './js-dialect.js';

/**
 * Generated programs: random functions over numbers built from the
 * statements and operators the frontend supports (bounded loops only),
 * compiled and interpreted, compared with V8 running the same text. This
 * exercises combinations the hand-written corpus does not: evaluation order
 * of assignments inside expressions, short circuits in conditions, breaks
 * and continues at any depth, fall-through and returns from anywhere.
 */

const variables = ['a', 'b', 'x', 'y'];
const binaryOperators = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '>>>', '<', '<=', '===', '!==', '==', '>'];

const literal = fc.constantFrom(
  '0',
  '1',
  '2',
  '-1',
  '0.5',
  '3',
  'NaN',
  '-0',
  'Infinity',
  '2147483647',
  'undefined',
  'true',
);

const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    fc.constantFrom(...variables),
    fc.tuple(tie('e'), fc.constantFrom(...binaryOperators), tie('e')).map(([l, op, r]) => `(${l} ${op} ${r})`),
    fc.tuple(fc.constantFrom('-', '!', '~', '+'), tie('e')).map(([op, e]) => `(${op} ${e})`),
    fc.tuple(tie('e'), fc.constantFrom('&&', '||', '??'), tie('e')).map(([l, op, r]) => `(${l} ${op} ${r})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, t, f]) => `(${c} ? ${t} : ${f})`),
    fc
      .tuple(fc.constantFrom('x', 'y'), fc.constantFrom('=', '+=', '*=', '|=', '||=', '&&='), tie('e'))
      .map(([v, op, e]) => `(${v} ${op} ${e})`),
    fc
      .tuple(fc.constantFrom('x', 'y'), fc.constantFrom('++', '--'), fc.boolean())
      .map(([v, op, pre]) => (pre ? `(${op}${v})` : `(${v}${op})`)),
    fc
      .tuple(fc.constantFrom('abs', 'floor', 'max', 'imul'), tie('e'), tie('e'))
      .map(([f, l, r]) => (f === 'abs' || f === 'floor' ? `Math.${f}(${l})` : `Math.${f}(${l}, ${r})`)),
  ),
})).e;

let counters = 0;

function statement(depth: number, inLoop: boolean): fc.Arbitrary<string> {
  const simple = fc.oneof(
    expression.map((e) => `${e};`),
    fc.tuple(fc.constantFrom('x', 'y'), expression).map(([v, e]) => `${v} = ${e};`),
    expression.map((e) => `return ${e};`),
    ...(inLoop ? [fc.constantFrom('break;', 'continue;').chain((s) => expression.map((e) => `if (${e}) ${s}`))] : []),
  );
  if (depth <= 0) return simple;
  const block = fc.array(statement(depth - 1, inLoop), { maxLength: 3 }).map((s) => `{ ${s.join(' ')} }`);
  const loopBlock = fc.array(statement(depth - 1, true), { maxLength: 3 }).map((s) => s.join(' '));
  return fc.oneof(
    { depthSize: 'small' },
    simple,
    fc.tuple(expression, block, block).map(([c, t, f]) => `if (${c}) ${t} else ${f}`),
    fc.tuple(fc.integer({ min: 0, max: 4 }), loopBlock).map(([n, body]) => {
      const i = `i${counters++}`;
      return `for (let ${i} = 0; ${i} < ${n}; ${i}++) { ${body} }`;
    }),
    fc.tuple(fc.integer({ min: 0, max: 3 }), loopBlock, expression).map(([n, body, cond]) => {
      const k = `k${counters++}`;
      return `{ let ${k} = 0; do { ${k}++; ${body} } while (${k} < ${n} && ${cond}); }`;
    }),
    fc
      .tuple(expression, fc.array(fc.tuple(literal, block, fc.boolean()), { maxLength: 3 }), fc.option(block))
      .map(([d, cases, fallback]) => {
        const arms = cases.map(([k, body, brk]) => `case ${k}: ${body}${brk ? ' break;' : ''}`);
        if (fallback !== null) arms.push(`default: ${fallback}`);
        return `switch (${d}) { ${arms.join(' ')} }`;
      }),
  );
}

const program = fc
  .tuple(fc.array(statement(2, false), { minLength: 1, maxLength: 4 }), expression)
  .map(([body, result]) => `function f(a, b) { let x = 0; let y = 1; ${body.join(' ')} return ${result}; }`);

const argument = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(NaN, -0, Infinity, -Infinity, 2 ** 31, 2 ** 32 - 1, 0.5, 2 ** 53 + 1, undefined, true),
);

type Outcome = { value: unknown } | { error: string };

function outcome(body: () => unknown): Outcome {
  try {
    return { value: body() };
  } catch (error) {
    if (error instanceof OpError) return { error: `${error.errorName}: ${error.reason}` };
    if (error instanceof Error) return { error: `${error.name}: ${error.message}` };
    throw error;
  }
}

function show(o: Outcome): string {
  return 'value' in o ? (Object.is(o.value, -0) ? '-0' : String(o.value)) : o.error;
}

function same(a: Outcome, b: Outcome): boolean {
  if ('value' in a && 'value' in b) return Object.is(a.value, b.value);
  return 'error' in a && 'error' in b && a.error === b.error;
}

describe('generated programs', () => {
  it('give the same results in V8 and in the RVSDG interpreter', () => {
    fc.assert(
      fc.property(program, fc.array(fc.tuple(argument, argument), { minLength: 3, maxLength: 3 }), (source, inputs) => {
        const v8 = new Function(`return (${source});`)() as (a: unknown, b: unknown) => unknown;
        const compiled = fromSource(source);
        for (const [a, b] of inputs) {
          const expected = outcome(() => v8(a, b));
          const actual = outcome(
            () => interpret(compiled.module, 'f', [a as IRValue, b as IRValue, memToken], { registry: jsRegistry })[0],
          );
          if (!same(expected, actual)) {
            throw new Error(`f(${String(a)}, ${String(b)}): V8 ${show(expected)}, compiled ${show(actual)}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
