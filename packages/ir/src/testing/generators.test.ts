import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FuelExhausted, InterpreterError, interpret } from '../interpreter/interpret.js';
import { isTypedArray } from '../interpreter/value.js';
import type { Module } from '../nodes/module.js';
import type { FunctionType } from '../types/type.js';
import { countNodes, forEachNode } from '../nodes/rewrite.js';
import { parseModule } from '../text/parse.js';
import { printModule } from '../text/print.js';
import { formatDiagnostic, verify } from '../verifier/verify.js';
import { arbArgsFor, arbGeneratedCase, arbModule, exportType, generatedFuel, moduleFromChoices } from './generators.js';
import { observe, sameOutcome } from './observe.js';

const runs = Number(process.env['RVSDG_PROPERTY_RUNS'] ?? 200);

describe('generated modules', () => {
  it('verify with zero diagnostics', () => {
    fc.assert(
      fc.property(arbModule(), (module) => {
        expect(verify(module).map(formatDiagnostic)).toEqual([]);
      }),
      { numRuns: runs },
    );
  });

  it('print, parse and print back to the same text', () => {
    fc.assert(
      fc.property(arbModule(), (module) => {
        const text = printModule(module);
        expect(printModule(parseModule(text))).toBe(text);
      }),
      { numRuns: runs },
    );
  });

  it('terminate within their fuel bound, returning results or raising a program error', () => {
    fc.assert(
      fc.property(arbGeneratedCase(), ({ module, exportName, args, fuel }) => {
        try {
          const results = interpret(module, exportName, args, { fuel });
          const type = exportType(module, exportName);
          expect(type?.kind === 'fn' && results.length === type.results.length).toBe(true);
        } catch (error) {
          expect(error).not.toBeInstanceOf(FuelExhausted);
          expect(error).toBeInstanceOf(InterpreterError);
          expect((error as InterpreterError).op).toMatch(/^(array\.load|array\.store|arith\.checked_\w+|raise)$/);
        }
      }),
      { numRuns: runs },
    );
  });

  it('compute the same results after printing and parsing', () => {
    fc.assert(
      fc.property(arbGeneratedCase(), ({ module, exportName, args, fuel }) => {
        const before = observe(module, exportName, args, { fuel });
        const after = observe(parseModule(printModule(module)), exportName, args, { fuel });
        expect(sameOutcome(after, before)).toBe(true);
        expect(after).toEqual(before);
      }),
      { numRuns: runs },
    );
  });
});

describe('the generator', () => {
  it('covers every node kind and the error paths over a sample', () => {
    const kinds = new Map<string, number>();
    for (const module of fc.sample(arbModule(), { numRuns: 300, seed: 1 })) {
      forEachNode(module, (node) => {
        const key = node.kind === 'simple' ? node.op : node.kind;
        kinds.set(key, (kinds.get(key) ?? 0) + 1);
      });
    }
    for (const key of [
      'gamma',
      'theta',
      'lambda',
      'phi',
      'delta',
      'call',
      'array.load',
      'array.store',
      'array.alloc',
      'raise',
      'match',
    ]) {
      expect(kinds.get(key) ?? 0, key).toBeGreaterThan(0);
    }
    expect([...kinds.keys()].some((k) => k.startsWith('arith.checked_'))).toBe(true);
    expect([...kinds.keys()].filter((k) => k.startsWith('math.')).length).toBeGreaterThan(10);
  });

  it('respects the options', () => {
    const plain = { arrays: false, recursion: false, errors: false, maxDepth: 0 };
    for (const module of fc.sample(arbModule(plain), { numRuns: 100, seed: 2 })) {
      forEachNode(module, (node) => {
        expect(['gamma', 'theta', 'phi']).not.toContain(node.kind);
        if (node.kind === 'simple') expect(node.op).not.toMatch(/^(array\.|raise|arith\.checked)/);
      });
    }
  });

  it('is deterministic for a choice sequence, and all-zero choices give the smallest module', () => {
    const choices = fc.sample(fc.array(fc.nat(), { minLength: 600, maxLength: 600 }), { numRuns: 1, seed: 3 })[0]!;
    expect(printModule(moduleFromChoices(choices))).toBe(printModule(moduleFromChoices(choices)));
    const smallest = moduleFromChoices([]);
    expect(smallest.exports).toEqual(['f0']);
    expect(countNodes(smallest)).toBeLessThan(4);
    expect(generatedFuel(smallest)).toBeGreaterThan(0);
  });

  it('generates fresh arrays for every run, so programs cannot see earlier writes', () => {
    const takesArray = (m: Module, name: string) =>
      (exportType(m, name) as FunctionType).params.some((p) => p.kind === 'array');
    const module = fc.sample(
      arbModule().filter((m) => m.exports.some((name) => takesArray(m, name))),
      { numRuns: 1, seed: 4 },
    )[0]!;
    const name = module.exports.find((n) => takesArray(module, n))!;
    const samples = fc.sample(arbArgsFor(module, name), { numRuns: 20, seed: 5 });
    const arrays = samples.flatMap((args) => args.filter(isTypedArray));
    expect(new Set(arrays.map((a) => a.buffer)).size).toBe(arrays.length);
  });

  it('shrinks a counterexample to a small module', () => {
    const hasTheta = (m: Module) => {
      let found = false;
      forEachNode(m, (node) => {
        if (node.kind === 'theta') found = true;
      });
      return found;
    };
    const result = fc.check(
      fc.property(arbModule(), (m) => !hasTheta(m)),
      { seed: 1 },
    );
    const smallest = result.counterexample?.[0];
    expect(smallest && hasTheta(smallest)).toBe(true);
    // A lambda, a theta, its counter and the loop test: about ten nodes.
    expect(countNodes(smallest!)).toBeLessThanOrEqual(12);
  });
});
