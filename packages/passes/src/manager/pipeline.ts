import type { OptionValue, Pass, PassOptions } from './pass.js';

/** A list of passes and pipelines, run in order. A named pipeline prints as its name. */
export interface Pipeline {
  readonly kind: 'pipeline';
  readonly name?: string;
  readonly items: readonly PipelineItem[];
}

// Options are checked at `with` time; the item list only needs to run and print them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPass = Pass<any>;
export type PipelineItem = AnyPass | Pipeline;

export function pipeline(items: readonly PipelineItem[], name?: string): Pipeline {
  if (name !== undefined && !/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new Error(`pipeline name '${name}' must be lowercase words joined by '-'`);
  }
  return Object.freeze({ kind: 'pipeline' as const, items: Object.freeze([...items]), ...(name ? { name } : {}) });
}

/** The passes of a pipeline in the order they run. */
export function flattenPipeline(item: PipelineItem): AnyPass[] {
  const out: AnyPass[] = [];
  const stack: PipelineItem[] = [item];
  while (stack.length > 0) {
    const next = stack.pop() as PipelineItem;
    if (next.kind === 'pass') out.push(next);
    else for (let i = next.items.length - 1; i >= 0; i--) stack.push(next.items[i] as PipelineItem);
  }
  return out;
}

/** Passes and named pipelines by name, so pipeline text can refer to them. */
export class PassRegistry {
  readonly #entries = new Map<string, PipelineItem>();

  constructor(items: readonly PipelineItem[] = []) {
    for (const item of items) this.register(item);
  }

  register(item: PipelineItem): this {
    const name = item.name;
    if (name === undefined) throw new Error('only named pipelines can be registered');
    if (this.#entries.has(name)) throw new Error(`'${name}' is already registered`);
    this.#entries.set(name, item);
    return this;
  }

  get(name: string): PipelineItem | undefined {
    return this.#entries.get(name);
  }

  names(): string[] {
    return [...this.#entries.keys()];
  }

  /** A new registry holding this one's entries and more. */
  extend(...items: PipelineItem[]): PassRegistry {
    return new PassRegistry([...this.#entries.values(), ...items]);
  }
}

function printValue(value: OptionValue): string {
  if (typeof value === 'string') return /^[A-Za-z0-9_.-]+$/.test(value) ? value : JSON.stringify(value);
  return String(value);
}

function printItem(item: PipelineItem, registry: PassRegistry | undefined): string {
  if (item.kind === 'pipeline') {
    if (item.name !== undefined) return item.name;
    return `(${item.items.map((i) => printItem(i, registry)).join(',')})`;
  }
  const defaults = (registry?.get(item.name) as Pass<PassOptions> | undefined)?.options;
  const changed = Object.entries(item.options as PassOptions).filter(([key, value]) => defaults?.[key] !== value);
  if (changed.length === 0) return item.name;
  return `${item.name}{${changed.map(([k, v]) => `${k}=${printValue(v)}`).join(',')}}`;
}

/**
 * The text form of a pipeline: `fold,cne,inline{maxSize=40},(fold,dne)`.
 * Options equal to the registered pass's defaults are left out; without a
 * registry every option is printed. Named pipelines print as their name.
 */
export function printPipeline(item: PipelineItem, registry?: PassRegistry): string {
  if (item.kind === 'pipeline' && item.name === undefined)
    return item.items.map((i) => printItem(i, registry)).join(',');
  return printItem(item, registry);
}

export class PipelineSyntaxError extends Error {
  constructor(
    message: string,
    readonly text: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset} in pipeline '${text}'\n  ${text}\n  ${' '.repeat(offset)}^`);
    this.name = 'PipelineSyntaxError';
  }
}

/**
 * Parses pipeline text against a registry. Grammar:
 *
 *     pipeline := item (',' item)*
 *     item     := name ('{' option (',' option)* '}')? | '(' pipeline ')'
 *     option   := key '=' value      value: number, true, false, bare word or "json string"
 *
 * Whitespace between tokens is ignored. Option values take the type of the
 * pass's default for that option.
 */
export function parsePipeline(text: string, registry: PassRegistry): Pipeline {
  let pos = 0;
  const fail = (message: string): never => {
    throw new PipelineSyntaxError(message, text, pos);
  };
  const skip = (): void => {
    while (pos < text.length && /\s/.test(text[pos] as string)) pos++;
  };
  const word = (what: string): string => {
    skip();
    const match = /^[A-Za-z0-9_.-]+/.exec(text.slice(pos));
    if (!match) return fail(`expected ${what}`);
    pos += match[0].length;
    return match[0];
  };
  const peek = (): string | undefined => {
    skip();
    return text[pos];
  };
  const expect = (char: string): void => {
    if (peek() !== char) fail(`expected '${char}'`);
    pos++;
  };
  const value = (): string => {
    if (peek() === '"') {
      const match = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(pos));
      if (!match) return fail('unterminated string');
      pos += match[0].length;
      return JSON.parse(match[0]) as string;
    }
    return word('an option value');
  };
  const item = (): PipelineItem => {
    if (peek() === '(') {
      pos++;
      const inner = list();
      expect(')');
      return pipeline(inner);
    }
    const start = pos;
    const name = word('a pass name');
    const entry = registry.get(name);
    if (!entry) {
      pos = start;
      return fail(`unknown pass '${name}' (known: ${registry.names().join(', ')})`);
    }
    if (peek() !== '{') return entry;
    if (entry.kind !== 'pass') return fail(`pipeline '${name}' takes no options`);
    pos++;
    const changes: Record<string, OptionValue> = {};
    for (;;) {
      const keyStart = pos;
      const key = word('an option name');
      expect('=');
      const raw = value();
      const current = (entry.options as PassOptions)[key];
      if (current === undefined) {
        pos = keyStart;
        fail(`pass '${name}' has no option '${key}' (options: ${Object.keys(entry.options).join(', ') || 'none'})`);
      }
      if (typeof current === 'number') {
        const n = Number(raw);
        if (raw === '' || Number.isNaN(n)) fail(`option '${key}' needs a number, got '${raw}'`);
        changes[key] = n;
      } else if (typeof current === 'boolean') {
        if (raw !== 'true' && raw !== 'false') fail(`option '${key}' needs true or false, got '${raw}'`);
        changes[key] = raw === 'true';
      } else changes[key] = raw;
      if (peek() === ',') {
        pos++;
        continue;
      }
      expect('}');
      break;
    }
    return entry.with(changes);
  };
  const list = (): PipelineItem[] => {
    const items = [item()];
    while (peek() === ',') {
      pos++;
      items.push(item());
    }
    return items;
  };
  const items = list();
  if (peek() !== undefined) fail('unexpected text');
  return pipeline(items);
}
