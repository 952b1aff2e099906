import { describe, expect, it } from 'vitest';
import { interpret, InterpreterError } from '../interpreter/interpret.js';
import type { Module } from '../nodes/module.js';
import type { Region } from '../nodes/region.js';
import { ctrl, fn, i32, maxTypeNesting } from '../types/type.js';
import { verify } from '../verifier/verify.js';
import { maxRegionNesting, ParseError, parseModule, parseType } from './parse.js';
import { printModule } from './print.js';

/** The text of `fn(i32) -> (i32)` as a lambda whose body nests `depth` gammas, each passing %a0 through. */
function nestedGammasText(depth: number): string {
  const lines = ['module {', '  %0 = lambda @f : fn(i32) -> (i32) {', '    ^(%a0: i32)'];
  for (let k = 0; k < depth; k++) {
    lines.push(`%${2 * k + 1} = match(%a0) {alternatives = 2} : ctrl<2>`);
    lines.push(`%${2 * k + 2} = gamma(%${2 * k + 1}.0, %a0) : i32 {`, '^(%a0: i32)');
  }
  lines.push('yield (%a0)');
  for (let k = depth - 1; k >= 0; k--) lines.push('} {', '^(%a0: i32)', 'yield (%a0)', '}', `yield (%${2 * k + 2}.0)`);
  lines.push('  }', '  export @f = %0.0', '}');
  return lines.join('\n');
}

/** The same module built as objects, without the parser (so without its limit). */
function nestedGammasModule(depth: number): Module {
  const passThrough = (): Region => ({ arguments: [i32], nodes: [], results: [{ kind: 'arg', index: 0 }] });
  let body = passThrough();
  for (let k = depth - 1; k >= 0; k--) {
    const match = 2 * k + 1;
    const gamma = 2 * k + 2;
    body = {
      arguments: [i32],
      nodes: [
        {
          kind: 'simple',
          id: match,
          op: 'match',
          attrs: { alternatives: 2 },
          inputs: [{ kind: 'arg', index: 0 }],
          outputs: [ctrl(2)],
          regions: [],
        },
        {
          kind: 'gamma',
          id: gamma,
          inputs: [
            { kind: 'out', node: match, index: 0 },
            { kind: 'arg', index: 0 },
          ],
          outputs: [i32],
          regions: [body, passThrough()],
        },
      ],
      results: [{ kind: 'out', node: gamma, index: 0 }],
    };
  }
  const type = fn([i32], [i32]);
  return {
    kind: 'omega',
    imports: [],
    exports: ['f'],
    region: {
      arguments: [],
      nodes: [{ kind: 'lambda', id: 0, name: 'f', type, inputs: [], outputs: [type], regions: [body] }],
      results: [{ kind: 'out', node: 0, index: 0 }],
    },
  };
}

function parseError(run: () => unknown): ParseError {
  try {
    run();
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error('expected a ParseError');
}

// Defect 9 of issue 10: these overflowed the JavaScript stack (RangeError) instead of failing to parse.
describe('deep nesting', () => {
  it('refuses 5,000 nested gammas with a ParseError at the first region past the limit', () => {
    const error = parseError(() => parseModule(nestedGammasText(5000)));
    // The lambda's region is level 1, so the region of gamma number `maxRegionNesting` is one too many.
    const line = 3 + 3 * (maxRegionNesting - 1) + 2;
    const gammaLine = `%${2 * maxRegionNesting} = gamma(%${2 * maxRegionNesting - 1}.0, %a0) : i32 {`;
    expect([error.line, error.column, error.reason]).toEqual([
      line,
      gammaLine.length,
      `regions nest deeper than ${maxRegionNesting} levels`,
    ]);
  });

  it('refuses a type nested 100,000 deep with a ParseError', () => {
    const text = `${'tuple<'.repeat(100_000)}${'>'.repeat(100_000)}`;
    const error = parseError(() => parseType(text));
    expect([error.line, error.column]).toEqual([1, 'tuple<'.length * (maxTypeNesting + 1) + 1]);
    expect(error.reason).toBe(
      `types nest deeper than ${maxTypeNesting} levels (tuple and fn types inside one another)`,
    );
    // The code frame shows a window of the long line, not all 1.1 MB of it.
    expect(error.message.length).toBeLessThan(1000);
    const fnText = `${'fn('.repeat(100_000)}`;
    expect(parseError(() => parseType(fnText)).reason).toMatch(/^types nest deeper than/);
  });

  it('reads types nested up to the limit, which the verifier accepts', () => {
    const text = `${'tuple<'.repeat(maxTypeNesting)}i32${'>'.repeat(maxTypeNesting)}`;
    const module = parseModule(`module {\n  import @x : ${text}\n}`);
    expect(printModule(module)).toContain(text);
    expect(verify(module)).toEqual([]);
  });

  it('reads, prints, verifies and runs regions nested up to the limit', () => {
    const text = nestedGammasText(maxRegionNesting - 1);
    const module = parseModule(text);
    expect(printModule(parseModule(printModule(module)))).toBe(printModule(module));
    expect(verify(module)).toEqual([]);
    // match sends 0 to branch 0, so the interpreter descends through every level; 7 takes branch 1 at once.
    expect(interpret(module, 'f', [0])).toEqual([0]);
    expect(interpret(module, 'f', [7])).toEqual([7]);
  });

  it('prints and verifies 5,000 nested gammas built without the parser; interpreting them runs or is a RangeError', () => {
    const module = nestedGammasModule(5000);
    const text = printModule(module);
    expect(text.split('\n')).toHaveLength(3 + 3 * 5000 + 1 + 5 * 5000 + 4);
    expect(verify(module)).toEqual([]);
    // The interpreter recurses once per level; a stack overflow is its documented program error.
    let outcome: unknown;
    try {
      outcome = interpret(module, 'f', [0]);
    } catch (error) {
      outcome = error instanceof InterpreterError ? error.errorName : error;
    }
    expect([[0], 'RangeError']).toContainEqual(outcome);
  });
});
