/**
 * A small FileCheck (LLVM's lit tool) for pass tests: directives in `//`
 * comment lines of a test file are checked against a command's output.
 *
 *     // CHECK: text       the next output line containing text, after the previous match
 *     // CHECK-NOT: text   no line containing text between the previous match and the next one
 *
 * In a pattern, `{{regex}}` matches a regular expression (`%{{[0-9]+}}` for
 * any node id); everything else is literal, with runs of spaces matching
 * any horizontal whitespace.
 */
export interface Directive {
  readonly kind: 'CHECK' | 'CHECK-NOT';
  readonly pattern: string;
  /** 1-based line in the test file, for messages. */
  readonly line: number;
}

const directiveLine = /^\s*\/\/\s*(CHECK|CHECK-NOT):(.*)$/;

/** The CHECK and CHECK-NOT directives of a test file, in order. */
export function parseDirectives(text: string): Directive[] {
  const directives: Directive[] = [];
  text.split('\n').forEach((line, i) => {
    const match = directiveLine.exec(line);
    if (!match) return;
    const pattern = (match[2] as string).trim();
    if (pattern === '') throw new Error(`line ${i + 1}: ${match[1]} with an empty pattern`);
    directives.push({ kind: match[1] as Directive['kind'], pattern, line: i + 1 });
  });
  return directives;
}

/** The regular expression of a pattern: literal text, `{{regex}}` blocks, flexible spaces. */
export function patternRegExp(pattern: string): RegExp {
  let source = '';
  let rest = pattern;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    const literal = open < 0 ? rest : rest.slice(0, open);
    source += literal
      .split(/[ \t]+/)
      .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[ \\t]+');
    if (open < 0) break;
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) throw new Error(`unterminated {{ in pattern '${pattern}'`);
    source += `(?:${rest.slice(open + 2, close)})`;
    rest = rest.slice(close + 2);
  }
  return new RegExp(source);
}

/**
 * Checks `output` against the directives; returns the failures (empty when
 * every directive holds), each naming the directive's line in `file`.
 */
export function fileCheck(directives: readonly Directive[], output: string, file = 'test'): string[] {
  const lines = output.split('\n');
  const failures: string[] = [];
  let from = 0;
  let pendingNot: Directive[] = [];
  const checkNots = (end: number): void => {
    for (const not of pendingNot) {
      const re = patternRegExp(not.pattern);
      for (let i = from; i < end; i++) {
        if (re.test(lines[i] as string)) {
          failures.push(`${file}:${not.line}: CHECK-NOT: '${not.pattern}' found on output line ${i + 1}: ${lines[i]}`);
          break;
        }
      }
    }
    pendingNot = [];
  };
  for (const directive of directives) {
    if (directive.kind === 'CHECK-NOT') {
      pendingNot.push(directive);
      continue;
    }
    const re = patternRegExp(directive.pattern);
    let found = -1;
    for (let i = from; i < lines.length; i++) {
      if (re.test(lines[i] as string)) {
        found = i;
        break;
      }
    }
    if (found < 0) {
      failures.push(`${file}:${directive.line}: CHECK: '${directive.pattern}' not found after output line ${from}`);
      pendingNot = [];
      continue;
    }
    checkNots(found);
    from = found + 1;
  }
  checkNots(lines.length);
  return failures;
}
