import { dialectOf, type Dialect, type OpDef } from './op.js';

/**
 * Op definitions by name, grouped by dialect. A registry may extend a parent
 * (usually the default registry), so a third party can add its dialect
 * without touching the built-in one.
 */
export class OpRegistry {
  readonly #ops = new Map<string, OpDef>();
  readonly #dialects = new Map<string, Dialect>();

  constructor(readonly parent?: OpRegistry) {}

  registerDialect(dialect: Dialect): this {
    if (this.hasDialect(dialect.name)) throw new Error(`dialect '${dialect.name}' is already registered`);
    for (const op of dialect.ops) {
      if (dialectOf(op.name) !== dialect.name) {
        throw new Error(`op '${op.name}' does not belong to dialect '${dialect.name}' (names are 'dialect.op')`);
      }
      if (this.get(op.name)) throw new Error(`op '${op.name}' is already registered`);
    }
    this.#dialects.set(dialect.name, dialect);
    for (const op of dialect.ops) this.#ops.set(op.name, op);
    return this;
  }

  get(name: string): OpDef | undefined {
    return this.#ops.get(name) ?? this.parent?.get(name);
  }

  hasDialect(name: string): boolean {
    return this.#dialects.has(name) || (this.parent?.hasDialect(name) ?? false);
  }

  dialects(): Dialect[] {
    return [...(this.parent?.dialects() ?? []), ...this.#dialects.values()];
  }

  /** A new registry that sees every op of this one plus the given dialects. */
  extend(...dialects: Dialect[]): OpRegistry {
    const child = new OpRegistry(this);
    for (const dialect of dialects) child.registerDialect(dialect);
    return child;
  }
}
