import { describe, expect, it } from 'vitest';
import { fileCheck, parseDirectives, patternRegExp } from './filecheck.js';

const output = ['module {', '  %4 = arith.add(%a0, %a1) : f64', '  %5 = arith.mul(%4.0, %4.0) : f64', '}'].join('\n');

function check(directives: string): string[] {
  return fileCheck(parseDirectives(directives), output, 't.rvsdg');
}

describe('fileCheck', () => {
  it('finds CHECK patterns in order, each after the previous match', () => {
    expect(check('// CHECK: arith.add\n// CHECK: arith.mul')).toEqual([]);
    expect(check('// CHECK: arith.mul\n// CHECK: arith.add')).toEqual([
      "t.rvsdg:2: CHECK: 'arith.add' not found after output line 3",
    ]);
    expect(check('// CHECK: arith.div')).toHaveLength(1);
  });

  it('checks CHECK-NOT between the matches around it, or to the ends of the output', () => {
    expect(check('// CHECK: arith.add\n// CHECK-NOT: arith.add\n// CHECK: arith.mul')).toEqual([]);
    expect(check('// CHECK-NOT: arith.mul\n// CHECK: arith.add')).toEqual([]);
    expect(check('// CHECK: arith.add\n// CHECK-NOT: arith.mul')).toEqual([
      "t.rvsdg:2: CHECK-NOT: 'arith.mul' found on output line 3:   %5 = arith.mul(%4.0, %4.0) : f64",
    ]);
    expect(check('// CHECK-NOT: module')).toHaveLength(1);
  });

  it('matches {{regex}} blocks, literal text elsewhere, and any run of spaces for a space', () => {
    expect(check('// CHECK: %{{[0-9]+}} = arith.add')).toEqual([]);
    expect(check('// CHECK: arith.mul({{(%[0-9]+\\.0), \\1}})')).toEqual([]);
    expect(check('// CHECK: arith.add(%a1')).toHaveLength(1);
    expect(check('// CHECK: %4 =   arith.add')).toEqual([]);
    expect(patternRegExp('a.b').test('axb')).toBe(false);
    expect(() => patternRegExp('a{{b')).toThrow(/unterminated/);
  });

  it('reads only comment lines naming a directive, and refuses an empty pattern', () => {
    expect(parseDirectives('CHECK: not a comment\n  // CHECK: x\n// NOTE: y')).toEqual([
      { kind: 'CHECK', pattern: 'x', line: 2 },
    ]);
    expect(() => parseDirectives('// CHECK-NOT:   ')).toThrow(/line 1: CHECK-NOT with an empty pattern/);
  });
});
