/**
 * The frontend resolves the free identifiers of every function it compiles
 * together in one scope. A jitted function in a scope contributes its plain
 * JavaScript original (whose source the frontend can read) and its own
 * scope, merged in; the same name bound to two different values cannot be
 * expressed and is an error.
 */

/** Marks the functions `jit` returns; the value is what scope resolution needs from them. */
export const jittedMarker: unique symbol = Symbol('rvsdg.jitted');

export interface JittedInfo {
  readonly original: (...args: never[]) => unknown;
  scope(): Readonly<Record<string, unknown>>;
}

export function jittedInfo(value: unknown): JittedInfo | undefined {
  if (typeof value !== 'function') return undefined;
  return (value as { [jittedMarker]?: JittedInfo })[jittedMarker];
}

function sameBinding(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  const ja = jittedInfo(a)?.original ?? a;
  const jb = jittedInfo(b)?.original ?? b;
  return ja === jb;
}

/**
 * The scope handed to the frontend: every value of `scope` (read now, so
 * getters and objects filled in after `jit()` work), jitted functions
 * replaced by their originals, and the scopes of those functions merged in.
 */
export function resolveScope(functionName: string, scope: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  const seen = new Set<unknown>();
  // Breadth first: a function's own bindings are taken before those of its callees.
  const queue: [string, Readonly<Record<string, unknown>>][] = [[`'${functionName}'`, scope]];
  const visit = (owner: string, entries: Readonly<Record<string, unknown>>): void => {
    for (const name of Object.keys(entries)) {
      const value = entries[name];
      const info = jittedInfo(value);
      const plain = info ? info.original : value;
      if (Object.prototype.hasOwnProperty.call(resolved, name)) {
        if (!sameBinding(resolved[name], plain)) {
          throw new Error(
            `${functionName}: '${name}' means different things in the scope of ${origin.get(name)} and of ${owner}; ` +
              'functions compiled together share one scope, so rename one of them',
          );
        }
      } else {
        resolved[name] = plain;
        origin.set(name, owner);
      }
      if (info && !seen.has(info)) {
        seen.add(info);
        queue.push([`'${name}'`, info.scope()]);
      }
    }
  };
  for (let next = queue.shift(); next; next = queue.shift()) visit(next[0], next[1]);
  return resolved;
}

function valueKey(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? 'n-0' : `n${value}`;
    case 'bigint':
      return `g${value}`;
    case 'boolean':
      return `b${value}`;
    case 'function':
      return `f${Function.prototype.toString.call(value)}`;
    default:
      return `?${typeof value}`;
  }
}

/**
 * A text that determines what the frontend produces from a resolved scope:
 * the functions' sources and the constants' values. Identical keys compile
 * to identical code, which is what lets jitted functions share a cache.
 */
export function scopeKey(resolved: Readonly<Record<string, unknown>>): string | undefined {
  const parts: string[] = [];
  for (const name of Object.keys(resolved).sort()) {
    const value = resolved[name];
    // An object in the scope is an error the frontend reports by name; do not share anything about it.
    if (typeof value === 'object' || typeof value === 'symbol' || typeof value === 'string') return undefined;
    parts.push(`${name}=${valueKey(value)}`);
  }
  return parts.join('\u0000');
}
