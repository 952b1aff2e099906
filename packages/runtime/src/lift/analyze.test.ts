import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomProgram } from '../testing/random-program.js';
import { analyzeFunction, checkPlan, type LoopCandidate } from './analyze.js';

/* The source analysis of loop lifting, on function texts (no compilation). */

const plan = (source: string, sloppy = false) => {
  const p = analyzeFunction(source, sloppy);
  checkPlan(p);
  return p;
};

const first = (source: string): LoopCandidate => plan(source).loops[0] as LoopCandidate;

describe('loop candidates: what they receive and write back', () => {
  it('receives the variables declared before the loop, writes back the ones it assigns', () => {
    const c = first(`function f(a, n) {
      const log = [];
      let s = 0, unused = 1;
      for (let i = 0; i < n; i++) { const t = a[i]; s += t * K; }
      log.push(s);
      return log;
    }`);
    expect(c.refusal).toBeUndefined();
    expect(c.params).toEqual(['n', 'a', 's']);
    expect(c.outs).toEqual(['s']);
    expect(c.freeNames).toEqual(['K']);
    expect([c.line, c.column, c.kind]).toEqual([4, 7, 'for']);
  });

  it('finds the loops inside each loop, labels included, in source order', () => {
    const p = plan(`function f(n) {
      outer: for (let i = 0; i < n; i++) { while (n) { n--; } }
      do { n++; } while (n < 3);
    }`);
    expect(p.loops.map((c) => [c.line, c.kind])).toEqual([
      [2, 'for'],
      [3, 'do...while'],
    ]);
    expect(p.loops[0]?.inner.map((c) => c.kind)).toEqual(['while']);
    expect(p.wrapped.slice(p.loops[0]?.start, p.loops[0]?.end)).toMatch(/^outer: for/);
  });

  it("keeps a loop's own var, and turns a var used after the loop into a parameter set before it", () => {
    const c = first(`function f(a) {
      var s = 0;
      for (var i = 0; i < a.length; i++) { var t = a[i]; s += t; }
      return i;
    }`);
    expect(c.params).toEqual(['i', 'a', 's']);
    expect(c.outs).toEqual(['i', 's']);
    expect(c.prefix).toBe('var i = 0;');
    expect(c.loopText).toBe('for (; i < a.length; i++) { var t = a[i]; s += t; }');
    expect(c.kernelText).toBe(c.loopText);
    // A var declared in the loop but used after it becomes an assignment to the parameter; its neighbours stay declared.
    const d = first(`function f(a) {
      for (let i = 0; i < a.length; i++) { var t = a[i], u = t + 1; a[i] = u; }
      return t;
    }`);
    expect(d.params).toEqual(['a', 't']);
    expect(d.kernelText).toContain('{ t = a[i]; var u = t + 1; }');
  });
});

describe('loop candidates: what keeps a loop in V8', () => {
  const reasons: [string, string, RegExp][] = [
    ['return', 'for (let i = 0; i < n; i++) if (i > 2) return i;', /`return`/],
    ['this', 'for (let i = 0; i < n; i++) this.x = i;', /`this`/],
    ['arguments', 'for (let i = 0; i < n; i++) s += arguments.length;', /`arguments`/],
    ['a jump out', 'out: { for (let i = 0; i < n; i++) if (i) break out; }', /`break out` leaves the loop/],
    ['a closure', 'for (let i = 0; i < n; i++) s += [1].map((x) => x)[0];', /function or class defined inside/],
    ['a constant', 'const c = 1; for (let i = 0; i < n; i++) c = i;', /constant 'c'/],
    ['a free name', 'for (let i = 0; i < n; i++) G = i;', /not a variable of the function/],
    ['a captured variable', 'const f = () => s; for (let i = 0; i < n; i++) s += i;', /closure captures/],
    ['a try', 'try { for (let i = 0; i < n; i++) s += i; } catch {}', /inside a `try` block/],
    ['a later let', 'for (let i = 0; i < n; i++) if (i < 0) s += later; let later = 1;', /before its declaration/],
    [
      'a switch case let',
      'switch (n) { case 0: let y = 1; case 1: for (let i = 0; i < n; i++) s += y; }',
      /switch case/,
    ],
    ['a local function', 'function h() { return 1; } for (let i = 0; i < n; i++) s += h();', /function or class/],
  ];
  it.each(reasons)('%s', (_name, code, reason) => {
    const p = plan(`function f(n) { let s = 0; ${code} return s; }`);
    const loops: LoopCandidate[] = [];
    const collect = (c: LoopCandidate): void => {
      loops.push(c);
      c.inner.forEach(collect);
    };
    p.loops.forEach(collect);
    expect(loops.some((c) => reason.test(c.refusal ?? ''))).toBe(true);
  });

  it('lifts a loop inside a try when it assigns only the try block`s own variables', () => {
    const c = first('function f(n) { try { let s = 0; for (let i = 0; i < n; i++) s += i; g(s); } catch {} }');
    expect(c.refusal).toBeUndefined();
  });

  it('refuses whole functions lifting cannot rebuild exactly', () => {
    expect(plan('async function f(n) { for (;;) {} }').refusal).toMatch(/async/);
    expect(plan('function f(o) { with (o) { for (;;) {} } }', true).refusal).toMatch(/with/);
    expect(plan('(n) => { for (;;) {} return this; }').refusal).toMatch(/`this` in an arrow/);
    // An arrow's mode cannot be told: only code that means the same in both modes is rebuilt.
    expect(plan('(o) => { for (;;) {} o.x = 1; }').refusal).toMatch(/strict-mode/);
    expect(plan('(o) => { let s = 0; for (;;) { s++; } return s; }').refusal).toBeUndefined();
  });
});

describe('the rebuilt function', () => {
  it('replaces exactly the given loops and keeps the rest of the text', () => {
    const p = plan('function f(a, b = 2) { let s = 0; for (;;) break; while (s) s--; return s + b; }');
    const rebuilt = p.rebuild(new Map([[p.loops[1] as LoopCandidate, '/* lifted */']]));
    expect(rebuilt).toBe('function (a, b = 2) { let s = 0; for (;;) break; /* lifted */ return s + b; }');
  });

  it('tells sloppy from strict functions', () => {
    expect(plan('function f() {}', true).strict).toBe(false);
    expect(plan('function f() {}').strict).toBe(true);
    expect(plan('m() { "use strict"; }').strict).toBe(true);
    expect(plan('() => {}').strict).toBeUndefined();
  });

  it('meets its postconditions on generated programs', () => {
    fc.assert(
      fc.property(randomProgram, (program) => {
        const p = plan(program.source);
        for (const c of p.loops) expect(p.wrapped.slice(c.start, c.end)).toMatch(/^(for|while|do)\b/);
      }),
      { numRuns: 200 },
    );
  });
});
