/**
 * Tokens of the IR text format (grammar in docs/ir-text-format.md). The
 * lexer is pull-based so parsing a large module never holds all tokens at
 * once, and it tracks line and column itself so every error can point at
 * the exact character.
 */

export type TokenKind =
  | 'ident' // bare words: keywords, op names, type names, NaN, Infinity
  | 'number' // a JavaScript number literal (decimal, optional fraction and exponent, or -Infinity)
  | 'bigint' // digits followed by `n`
  | 'string' // a JSON string literal
  | 'name' // @ident or @"string": lambda, delta, import and export names
  | 'arg' // %a<k>: region argument k
  | 'out' // %<node>.<port>: a node output
  | 'def' // %<node>: the id a node definition introduces
  | 'punct'
  | 'eof';

export class Token {
  constructor(
    readonly kind: TokenKind,
    readonly source: string,
    readonly offset: number,
    readonly end: number,
    /** Decoded payload: the string of `string`/`name`, the index of `arg`, the id of `def`/`out`. */
    readonly value: string | number,
    /** Port of an `out` token. */
    readonly port: number,
    readonly line: number,
    readonly column: number,
  ) {}

  /** The source text of the token, sliced only when asked for (most value tokens never are). */
  get text(): string {
    return this.source.slice(this.offset, this.end);
  }
}

/** A syntax error in IR text, with the 1-based position of the offending character. */
export class ParseError extends Error {
  constructor(
    /** The message without position and code frame. */
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    source: string,
  ) {
    super(`${line}:${column}: ${reason}\n${codeFrame(source, line, column)}`);
    this.name = 'ParseError';
  }
}

const codeFrameWidth = 160;

/** The offending line with a caret under the column, gutter numbered like editors do. */
export function codeFrame(source: string, line: number, column: number): string {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = source.indexOf('\n', start);
    if (nl < 0) break;
    start = nl + 1;
  }
  let end = source.indexOf('\n', start);
  if (end < 0) end = source.length;
  let text = source.slice(start, end).replace(/\r$/, '');
  let before = text.slice(0, Math.max(0, column - 1));
  // A very long line (generated text) is cut to a window around the column.
  if (text.length > codeFrameWidth) {
    const from = Math.max(0, column - 1 - codeFrameWidth / 2);
    const to = Math.min(text.length, from + codeFrameWidth);
    const lead = from > 0 ? '...' : '';
    before = lead + text.slice(from, Math.max(from, column - 1));
    text = lead + text.slice(from, to) + (to < text.length ? '...' : '');
  }
  const gutter = String(line);
  // Tabs are kept in the padding so the caret lines up under them.
  const pad = before.replace(/[^\t]/g, ' ');
  return ` ${gutter} | ${text}\n ${' '.repeat(gutter.length)} | ${pad}^`;
}

/** Bare words: identifiers, dotted op names (`arith.add`), type names. */
export const bareWord = /^[A-Za-z_$][A-Za-z0-9_$.]*$/;

const isWordStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 /* _ */ || c === 36; /* $ */
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isWordChar = (c: number): boolean => isWordStart(c) || isDigit(c) || c === 46; /* . */

const punctuation = new Set(['(', ')', '{', '}', '[', ']', '<', '>', ',', ':', '=', '^', '?']);

export class Lexer {
  #pos = 0;
  #line = 1;
  #lineStart = 0;
  #peeked: Token | undefined;

  constructor(readonly source: string) {}

  peek(): Token {
    this.#peeked ??= this.#scan();
    return this.#peeked;
  }

  next(): Token {
    const token = this.peek();
    this.#peeked = undefined;
    return token;
  }

  error(reason: string, at: { readonly line: number; readonly column: number }): ParseError {
    return new ParseError(reason, at.line, at.column, this.source);
  }

  #skipTrivia(): void {
    const src = this.source;
    for (;;) {
      const c = src.charCodeAt(this.#pos);
      if (c === 10) {
        this.#pos++;
        this.#line++;
        this.#lineStart = this.#pos;
      } else if (c === 32 || c === 9 || c === 13) {
        this.#pos++;
      } else if (c === 47 && src.charCodeAt(this.#pos + 1) === 47) {
        // `//` comment to the end of the line
        const nl = src.indexOf('\n', this.#pos);
        this.#pos = nl < 0 ? src.length : nl;
      } else {
        return;
      }
    }
  }

  #token(kind: TokenKind, start: number, value: string | number = '', port = 0): Token {
    return new Token(kind, this.source, start, this.#pos, value, port, this.#line, start - this.#lineStart + 1);
  }

  #fail(reason: string, offset: number): never {
    throw new ParseError(reason, this.#line, offset - this.#lineStart + 1, this.source);
  }

  #digits(): boolean {
    const from = this.#pos;
    while (isDigit(this.source.charCodeAt(this.#pos))) this.#pos++;
    return this.#pos > from;
  }

  /**
   * The value of the digits in `from..#pos` (ids and indices; no string is
   * allocated). Beyond 2^53 - 1 a number no longer holds every integer, and
   * from 1e21 on it does not even print as digits, so such a value could not
   * be printed back: it is an error at the first digit.
   */
  #digitValue(from: number, what: string): number {
    let n = 0;
    for (let i = from; i < this.#pos; i++) n = n * 10 + (this.source.charCodeAt(i) - 48);
    if (!Number.isSafeInteger(n)) this.#fail(`${what} is too large (the limit is ${Number.MAX_SAFE_INTEGER})`, from);
    return n;
  }

  #scan(): Token {
    this.#skipTrivia();
    const src = this.source;
    const start = this.#pos;
    if (start >= src.length) return this.#token('eof', start);
    const c = src.charCodeAt(start);
    const ch = src[start] as string;

    if (isWordStart(c)) {
      this.#pos++;
      while (isWordChar(src.charCodeAt(this.#pos))) this.#pos++;
      return this.#token('ident', start);
    }
    if (isDigit(c) || (c === 45 /* - */ && src.charCodeAt(start + 1) !== 62) /* not -> */) {
      return this.#number(start);
    }
    if (c === 34 /* " */) {
      const value = this.#string(start);
      return this.#token('string', start, value);
    }
    if (c === 64 /* @ */) {
      this.#pos++;
      const d = src.charCodeAt(this.#pos);
      if (d === 34) {
        const value = this.#string(this.#pos);
        return this.#token('name', start, value);
      }
      if (!isWordStart(d)) this.#fail(`expected a name or a string after '@'`, this.#pos);
      while (isWordChar(src.charCodeAt(this.#pos))) this.#pos++;
      return this.#token('name', start, src.slice(start + 1, this.#pos));
    }
    if (c === 37 /* % */) return this.#value(start);
    if (c === 45 /* -> */) {
      this.#pos += 2;
      return this.#token('punct', start);
    }
    if (punctuation.has(ch)) {
      this.#pos++;
      return this.#token('punct', start);
    }
    this.#fail(`unexpected character ${JSON.stringify(ch)}`, start);
  }

  #number(start: number): Token {
    const src = this.source;
    if (src.charCodeAt(this.#pos) === 45) this.#pos++;
    if (src.startsWith('Infinity', this.#pos)) {
      this.#pos += 'Infinity'.length;
    } else {
      if (!this.#digits()) this.#fail(`expected a digit after '-'`, this.#pos);
      let integral = true;
      if (src.charCodeAt(this.#pos) === 46 /* . */) {
        this.#pos++;
        if (!this.#digits()) this.#fail('expected a digit after the decimal point', this.#pos);
        integral = false;
      }
      const e = src.charCodeAt(this.#pos);
      if (e === 101 || e === 69 /* e E */) {
        this.#pos++;
        const sign = src.charCodeAt(this.#pos);
        if (sign === 43 || sign === 45) this.#pos++;
        if (!this.#digits()) this.#fail('expected a digit in the exponent', this.#pos);
        integral = false;
      }
      if (src.charCodeAt(this.#pos) === 110 /* n */) {
        if (!integral) this.#fail('a bigint literal must be an integer', start);
        this.#pos++;
        this.#noWordAfter();
        return this.#token('bigint', start);
      }
    }
    this.#noWordAfter();
    return this.#token('number', start);
  }

  #noWordAfter(): void {
    if (isWordChar(this.source.charCodeAt(this.#pos))) this.#fail('unexpected character after number', this.#pos);
  }

  /** Scans a JSON string starting at the quote at `start`; returns its decoded value. */
  #string(start: number): string {
    const src = this.source;
    let i = start + 1;
    for (;;) {
      const c = src.charCodeAt(i);
      if (Number.isNaN(c) || c === 10) this.#fail('unterminated string', start);
      if (c === 92 /* \ */) i += 2;
      else if (c === 34) break;
      else i++;
    }
    this.#pos = i + 1;
    const literal = src.slice(start, this.#pos);
    try {
      return JSON.parse(literal) as string;
    } catch {
      return this.#fail('invalid string literal (strings use JSON syntax and escapes)', start);
    }
  }

  #value(start: number): Token {
    const src = this.source;
    this.#pos++;
    if (src.charCodeAt(this.#pos) === 97 /* a */) {
      this.#pos++;
      const from = this.#pos;
      if (!this.#digits()) this.#fail(`expected an argument number after '%a'`, this.#pos);
      this.#noWordAfter();
      return this.#token('arg', start, this.#digitValue(from, 'an argument number'));
    }
    const negative = src.charCodeAt(this.#pos) === 45;
    if (negative) this.#pos++;
    const from = this.#pos;
    if (!this.#digits()) this.#fail(`expected a node id or 'a' after '%'`, this.#pos);
    // `0 - value` so that `%-0` is node 0, not -0 (which would print back as `%0`).
    const id = negative ? 0 - this.#digitValue(from, 'a node id') : this.#digitValue(from, 'a node id');
    if (src.charCodeAt(this.#pos) === 46 /* . */) {
      this.#pos++;
      const portFrom = this.#pos;
      if (!this.#digits()) this.#fail('expected an output number after the node id', this.#pos);
      this.#noWordAfter();
      return this.#token('out', start, id, this.#digitValue(portFrom, 'an output number'));
    }
    this.#noWordAfter();
    return this.#token('def', start, id);
  }
}
