import type { ScopedFunction, ScopeLookup } from '@rvsdg/frontend';
import { freeName } from './free-names.js';

/**
 * Every function `jit` compiles resolves its free identifiers in its own
 * scope, as Numba reads a function's globals: first the `scope` option of
 * `jit` (for a jitted function), then the closure, module and script
 * bindings where the function was defined, read through the inspector
 * (free-names.ts). Scopes are never merged, so the same name may mean
 * different things in a function and in its callees.
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

function refusal(name: string): string {
  return (
    `'${name}' is a binding that can change after compilation (not a const, and assigned somewhere in its script, ` +
    'or a top-level binding another script can assign), ' +
    `so compiled code could go stale: declare it const, or pass its value as jit(fn, { scope: { ${name} } })`
  );
}

function inspectorLookup(fn: (...args: never[]) => unknown): (identifier: string) => ScopeLookup | undefined {
  return (identifier) => {
    const found = freeName(fn, identifier);
    if (!found.found) return undefined;
    if (!found.fixed) return { refused: refusal(identifier) };
    return { value: found.value };
  };
}

/** How the frontend sees a function value: a jitted one as its original with its `scope` option, each with its own bindings. */
export function functionScope(value: (...args: never[]) => unknown): ScopedFunction {
  const info = jittedInfo(value);
  const fn = info ? info.original : value;
  return { fn, ...(info ? { scope: info.scope() } : {}), lookup: inspectorLookup(fn) };
}

function sameBinding(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  const ja = jittedInfo(a)?.original ?? a;
  const jb = jittedInfo(b)?.original ?? b;
  return ja === jb;
}

/**
 * The flat scope of earlier versions (kept for callers of the package API;
 * `jit` resolves each function in its own scope, see functionScope): every value of `scope` (read now, so
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
