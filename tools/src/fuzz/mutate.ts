/**
 * Mutations of IR text, in the spirit of an outside fuzzer: character and
 * token edits, numbers replaced by huge, negative, fractional and
 * non-finite ones, deep nesting of types and regions, and swapped or
 * duplicated lines. Deterministic for a given random source.
 */

/** A small seeded generator (mulberry32): the same seed gives the same mutants. */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }
}

const tokens = [
  '%',
  '%a0',
  '%0.0',
  '%1.0',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  '<',
  '>',
  ',',
  ':',
  '=',
  '^',
  '?',
  '@',
  '"',
  '\\',
  '-',
  '->',
  'n',
  ' ',
  '\n',
  '//',
  'module',
  'yield',
  'lambda',
  'gamma',
  'theta',
  'phi',
  'delta',
  'import',
  'export',
  'loc(1:1)',
  'fn',
  'tuple',
  'ctrl<2>',
  'i64',
  'f64',
  'bool',
  'u8c[]',
  'f64[,:F]',
  'mem',
  'io',
  'NaN',
  'Infinity',
  '-Infinity',
  'true',
  '1e400',
  '-0',
];

const numbers = [
  '0',
  '-1',
  '-0',
  '1.5',
  '1e400',
  '-1e400',
  '1e21',
  '1e-7',
  '9007199254740991',
  '9007199254740992',
  '18446744073709551616',
  '1234567890123456789012',
  '9999999999999999999999999999999',
  '4294967296',
  '2147483648',
  '-9223372036854775808',
  '0.1',
  '00',
  '1e3',
];

const nestable = ['i64', 'f64', 'bool', 'i32', 'mem'];

function replaceAt(text: string, at: number, length: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + length);
}

/** Applies one random mutation. */
function mutateOnce(text: string, random: Random): string {
  const lines = text.split('\n');
  switch (random.below(10)) {
    case 9: {
      // give a node a source location, often with an awkward number (generated modules have none)
      const at = lines.findIndex((line, i) => i >= random.below(lines.length) && /^\s*%\d+ = .* : /.test(line));
      if (at < 0) return text;
      const line = lines[at] as string;
      const n = (): string => (random.below(2) === 0 ? String(1 + random.below(100)) : random.pick(numbers));
      const loc = ` loc(${n()}:${n()})`;
      lines[at] = line.endsWith(' {') ? `${line.slice(0, -2)}${loc} {` : `${line}${loc}`;
      return lines.join('\n');
    }
    case 0: {
      // delete a few characters
      const at = random.below(text.length + 1);
      return replaceAt(text, at, 1 + random.below(8), '');
    }
    case 1: {
      // insert a token
      return replaceAt(text, random.below(text.length + 1), 0, random.pick(tokens));
    }
    case 2:
    case 3: {
      // replace a number (an id, port, arity, loc, attribute value) with an awkward one
      const matches = [...text.matchAll(/\d+(\.\d+)?(e[+-]?\d+)?/g)];
      if (matches.length === 0) return text;
      const m = random.pick(matches);
      return replaceAt(text, m.index, m[0].length, random.pick(numbers));
    }
    case 4: {
      // nest a type deeply
      const matches = [...text.matchAll(new RegExp(`\\b(${nestable.join('|')})\\b`, 'g'))];
      if (matches.length === 0) return text;
      const m = random.pick(matches);
      const depth = random.pick([2, 10, 63, 64, 65, 200, 5000, 100_000]);
      const wrap = random.below(2) === 0 ? ['tuple<', '>'] : ['fn(', ') -> ()'];
      return replaceAt(
        text,
        m.index,
        m[0].length,
        `${(wrap[0] as string).repeat(depth)}${m[0]}${(wrap[1] as string).repeat(depth)}`,
      );
    }
    case 5: {
      // nest regions deeply: a gamma passing one value through, `depth` levels down
      const at = lines.findIndex((line) => /^\s*%\d+ = /.test(line) && !line.trimEnd().endsWith('{'));
      if (at < 0) return text;
      const depth = random.pick([3, 100, 999, 1000, 1001, 5000]);
      const open: string[] = [];
      const close: string[] = [];
      for (let k = 0; k < depth; k++) {
        open.push(
          `%${900000 + 2 * k} = match(%a0) {alternatives = 2} : ctrl<2>`,
          `%${900001 + 2 * k} = gamma(%${900000 + 2 * k}.0, %a0) : i64 {`,
          '^(%a0: i64)',
        );
        close.push('} {', '^(%a0: i64)', 'yield (%a0)', '}', `yield (%${900001 + 2 * (depth - 1 - k)}.0)`);
      }
      const inner = [...open, 'yield (%a0)', ...close.slice(0, -1), '}'];
      return [...lines.slice(0, at), ...inner, ...lines.slice(at)].join('\n');
    }
    case 6: {
      // swap two lines
      const i = random.below(lines.length);
      const j = random.below(lines.length);
      [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
      return lines.join('\n');
    }
    case 7: {
      // duplicate or delete a line
      const i = random.below(lines.length);
      if (random.below(2) === 0) lines.splice(i, 0, lines[i] as string);
      else lines.splice(i, 1);
      return lines.join('\n');
    }
    default: {
      // replace a word (op, type, keyword) with another token
      const matches = [...text.matchAll(/[A-Za-z_][A-Za-z0-9_.]*/g)];
      if (matches.length === 0) return text;
      const m = random.pick(matches);
      return replaceAt(text, m.index, m[0].length, random.pick(tokens));
    }
  }
}

/** One to four random mutations of `text` (mostly one). */
export function mutateIrText(text: string, random: Random): string {
  let out = text;
  // Mostly one edit, so that many mutants still parse and reach print, verify and the interpreter.
  const count = random.pick([1, 1, 1, 1, 2, 2, 3, 4]);
  for (let k = 0; k < count; k++) out = mutateOnce(out, random);
  return out;
}
