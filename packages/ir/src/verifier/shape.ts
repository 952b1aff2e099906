import type { Node } from '../nodes/node.js';
import type { Origin } from '../nodes/origin.js';
import type { Region } from '../nodes/region.js';
import type { AttrKind, OpDef } from '../ops/op.js';
import {
  array,
  bool,
  ctrl,
  float,
  fn,
  int,
  io,
  maxTypeNesting,
  isScalar,
  mem,
  tuple,
  typeToString,
  unknown,
  type Type,
} from '../types/type.js';

// Inputs are treated as untrusted data: every field is checked before use.

export type Loose = Record<string, unknown>;

export function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null;
}

export function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unprintable error';
  }
}

/** A short, never-throwing rendering of an arbitrary value for messages. */
export function show(value: unknown): string {
  try {
    if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
    if (typeof value === 'bigint') return `${value}n`;
    if (Array.isArray(value)) return `an array of length ${value.length}`;
    if (isObject(value)) return 'kind' in value ? `an object of kind ${show(value['kind'])}` : 'an object';
    return String(value);
  } catch {
    return 'an unprintable value';
  }
}

export const validTypes = new WeakSet<object>();
export const intBits = new Set([8, 16, 32, 64]);

/** The interned type structurally equal to `value`, or undefined when `value` is not shaped like a type. */
export function canonicalType(value: unknown, depth: number): Type | undefined {
  if (!isObject(value) || depth > maxTypeNesting) return undefined;
  const sub = (t: unknown): Type | undefined => (isValidTypeAt(t, depth + 1) ? t : undefined);
  const list = (ts: unknown): Type[] | undefined => {
    if (!Array.isArray(ts)) return undefined;
    const out: Type[] = [];
    for (const t of ts) {
      const c = sub(t);
      if (!c) return undefined;
      out.push(c);
    }
    return out;
  };
  switch (value['kind']) {
    case 'bool':
      return bool;
    case 'int': {
      const bits = value['bits'];
      const signed = value['signed'];
      if (typeof bits !== 'number' || !intBits.has(bits) || typeof signed !== 'boolean') return undefined;
      return int(bits as 8, signed);
    }
    case 'float':
      return value['bits'] === 32 || value['bits'] === 64 ? float(value['bits']) : undefined;
    case 'array': {
      const element = sub(value['element']);
      const rank = value['rank'];
      const layout = value['layout'];
      const clamped = value['clamped'];
      if (!element || !isScalar(element) || typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1) {
        return undefined;
      }
      if ((layout !== 'C' && layout !== 'F' && layout !== 'A') || typeof clamped !== 'boolean') return undefined;
      if (clamped && element !== int(8, false)) return undefined;
      return array(element, { rank, layout, clamped });
    }
    case 'tuple': {
      const elements = list(value['elements']);
      return elements && tuple(elements);
    }
    case 'fn': {
      const params = list(value['params']);
      const results = list(value['results']);
      return params && results && fn(params, results);
    }
    case 'ctrl': {
      const n = value['alternatives'];
      return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? ctrl(n) : undefined;
    }
    case 'state':
      return value['state'] === 'mem' ? mem : value['state'] === 'io' ? io : undefined;
    case 'unknown':
      return unknown;
    default:
      return undefined;
  }
}

export function isValidTypeAt(value: unknown, depth: number): value is Type {
  if (!isObject(value)) return false;
  if (validTypes.has(value)) return true;
  let ok: boolean;
  try {
    // Types are compared by identity everywhere, so a structurally right but
    // uninterned copy is as wrong as garbage.
    ok = (canonicalType(value, depth) as unknown) === value;
  } catch {
    ok = false;
  }
  if (ok) validTypes.add(value);
  return ok;
}

export function isValidType(value: unknown): value is Type {
  return isValidTypeAt(value, 0);
}

export function typeText(type: unknown): string {
  return isValidType(type) ? typeToString(type) : '<invalid type>';
}

export function typesText(types: readonly unknown[]): string {
  return `(${types.map(typeText).join(', ')})`;
}

export function isOrigin(value: unknown): value is Origin {
  if (!isObject(value)) return false;
  const index = value['index'];
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) return false;
  if (value['kind'] === 'arg') return true;
  return value['kind'] === 'out' && typeof value['node'] === 'number' && Number.isSafeInteger(value['node']);
}

export function originText(origin: Origin): string {
  return origin.kind === 'arg' ? `%a${origin.index}` : `%${origin.node}.${origin.index}`;
}

export function isRegion(value: unknown): value is Region {
  return (
    isObject(value) &&
    Array.isArray(value['arguments']) &&
    Array.isArray(value['nodes']) &&
    Array.isArray(value['results'])
  );
}

export const nodeKinds = new Set(['simple', 'gamma', 'theta', 'lambda', 'delta', 'phi']);

/** What makes `raw` not shaped like a node, or undefined when it is (the common case allocates nothing). */
export function nodeProblems(raw: Loose): string[] | undefined {
  const kind = raw['kind'];
  const inputs = raw['inputs'];
  const outputs = raw['outputs'];
  const regions = raw['regions'];
  const loc = raw['loc'];
  const simple = kind === 'simple';
  const named = kind === 'lambda' || kind === 'delta';
  if (
    typeof kind === 'string' &&
    nodeKinds.has(kind) &&
    Array.isArray(inputs) &&
    Array.isArray(outputs) &&
    Array.isArray(regions) &&
    (!simple || (typeof raw['op'] === 'string' && isObject(raw['attrs']))) &&
    (!named || typeof raw['name'] === 'string') &&
    (loc === undefined || (isObject(loc) && typeof loc['line'] === 'number' && typeof loc['column'] === 'number'))
  ) {
    return undefined;
  }
  const problems: string[] = [];
  if (typeof kind !== 'string' || !nodeKinds.has(kind)) problems.push(`unknown node kind ${show(kind)}`);
  for (const [field, value] of [
    ['inputs', inputs],
    ['outputs', outputs],
    ['regions', regions],
  ] as const) {
    if (!Array.isArray(value)) problems.push(`'${field}' must be an array, got ${show(value)}`);
  }
  if (simple && typeof raw['op'] !== 'string') problems.push(`'op' must be a string, got ${show(raw['op'])}`);
  if (simple && !isObject(raw['attrs'])) problems.push(`'attrs' must be an object, got ${show(raw['attrs'])}`);
  if (named && typeof raw['name'] !== 'string') problems.push(`'name' must be a string, got ${show(raw['name'])}`);
  if (loc !== undefined && !(isObject(loc) && typeof loc['line'] === 'number' && typeof loc['column'] === 'number')) {
    problems.push(`'loc' must have a numeric line and column, got ${show(loc)}`);
  }
  return problems;
}

export function describeNode(node: Node): string {
  switch (node.kind) {
    case 'simple':
      return `${node.op} (node ${node.id})`;
    case 'lambda':
    case 'delta':
      return `${node.kind} ${JSON.stringify(node.name)} (node ${node.id})`;
    default:
      return `${node.kind} (node ${node.id})`;
  }
}

export interface AttrSpec {
  readonly name: string;
  readonly kind: AttrKind;
  readonly optional: boolean;
}

export const attrSpecCache = new WeakMap<OpDef, readonly AttrSpec[]>();

/** The attributes an op declares, parsed once per op (`name?` marks an optional one). */
export function attrSpecsOf(def: OpDef): readonly AttrSpec[] {
  let specs = attrSpecCache.get(def);
  if (!specs) {
    specs = Object.entries(def.attrs ?? {}).map(([key, kind]) => {
      const optional = key.endsWith('?');
      return { name: optional ? key.slice(0, -1) : key, kind, optional };
    });
    attrSpecCache.set(def, specs);
  }
  return specs;
}

export function attrMatches(kind: AttrKind, value: unknown): boolean {
  switch (kind) {
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'string':
      return typeof value === kind;
    case 'scalar':
      return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
    case 'type':
      return isValidType(value);
    default:
      return true;
  }
}
