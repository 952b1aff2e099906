import fc from 'fast-check';
import { fromFunction, fromSource, jsRegistry } from '@rvsdg/frontend';
import { f64, forEachNode, typeToString, type Module, type Type } from '@rvsdg/ir';
import { runPipeline } from '../manager/pass-manager.js';
import { pipeline } from '../manager/pipeline.js';
import { inferTypesFor } from '../passes/infer-types.js';
import { simplify } from '../passes/standard.js';
import { defaultPipeline } from '../pipelines/default-pipeline.js';

/**
 * Small JavaScript counting loops over numbers, for testing the passes that
 * keep loop values in integer registers: integral and non-integral
 * initial values and steps, values near 2^31, 2^32 and 2^53 (where f64
 * stops being exact), bitwise updates, products and quotients. Every loop
 * runs at most 40 iterations, so the interpreter always finishes.
 */
const inits = [
  '0',
  '1',
  '-3',
  '0.5',
  '-0',
  '2147483647',
  '4294967295',
  '2 ** 50',
  '-(2 ** 50) + 1',
  '2 ** 52',
  '2 ** 53 - 2',
  '-(2 ** 53)',
  'n',
];
const steps = ['1', '2', '-1', '0.5', '3', '2 ** 51', 'i'];
const updates = [
  'b = b + i;',
  'b = b - i;',
  'b = b + a;',
  'a = (a + i) | 0;',
  'a = a ^ i;',
  'a = (a * 31 + i) >>> 0;',
  'a = Math.imul(a, 16777619) >>> 0;',
  'b = b * 2;',
  'b = b / 2;',
  'a = a + 0.5;',
  'b = b + 1;',
  'if (i % 3 === 0) { b = b + i; } else { a = a | 0; }',
  'if (b > a) { a = b; }',
];

export interface JsLoop {
  readonly source: string;
  /** The function itself, run by V8. */
  readonly fn: (n: number) => number;
}

export const jsLoops: fc.Arbitrary<JsLoop> = fc
  .record({
    a: fc.constantFrom(...inits),
    b: fc.constantFrom(...inits),
    i: fc.constantFrom(...inits),
    step: fc.constantFrom(...steps),
    body: fc.array(fc.constantFrom(...updates), { minLength: 1, maxLength: 3 }),
    ret: fc.constantFrom('a', 'b', 'i', 'a + b', 'b - i'),
    bound: fc.constantFrom('i < n', 'k < n', 'i !== n'),
  })
  .map(({ a, b, i, step, body, ret, bound }) => {
    const source =
      `function f(n) { let a = ${a}; let b = ${b}; let i = ${i}; let k = 0; ` +
      `while (${bound} && k < 40) { ${body.join(' ')} i = i + ${step}; k = k + 1; } return ${ret}; }`;
    return { source, fn: new Function(`${source}\nreturn f;`)() as (n: number) => number };
  });

/** The loop's typed module for `f(n: f64)`, simplified as the default pipeline would. */
export function typedLoop(loop: JsLoop): Module {
  const compiled = fromSource(loop.source, { name: 'f' });
  return runPipeline(pipeline([inferTypesFor(compiled.entry, [f64]), simplify]), compiled.module, {
    registry: jsRegistry,
  }).module;
}

/** Trip bounds worth trying: small, negative, non-integral, near the interesting powers of two. */
export const loopArgs: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: -5, max: 45 }),
  fc.constantFrom(0.5, 2 ** 25, 2 ** 26.5, 2 ** 31, 2 ** 32, 2 ** 50, 2 ** 52, 2 ** 53, -(2 ** 53), NaN, Infinity),
);

/** A JavaScript function through the frontend and the default pipeline for the given parameter types. */
export function compileWithDefaultPipeline(fn: (...args: never[]) => unknown, params: Type[]): Module {
  const c = fromFunction(fn);
  return runPipeline(defaultPipeline({ entry: c.entry, params }), c.module, { registry: jsRegistry, check: true })
    .module;
}

/** The types of the loop variables of every theta, outermost first. */
export function loopVarTypes(module: Module): string[][] {
  const out: string[][] = [];
  forEachNode(module, (node) => {
    if (node.kind === 'theta') out.push(node.outputs.map(typeToString));
  });
  return out;
}
