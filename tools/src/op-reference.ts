import type { AttrKind, Effect, OperandSpec, OpRegistry } from '@rvsdg/ir';
import { dialectOf } from '@rvsdg/ir';

/** One op as the reference shows it; the JSON form of `rvsdg ops --json`. */
export interface OpReferenceEntry {
  readonly name: string;
  readonly dialect: string;
  readonly summary: string;
  /** Undefined when the op declares no signature (only its `typeOf` knows). */
  readonly operands?: readonly OperandSpec[];
  readonly results?: readonly OperandSpec[];
  readonly where?: string;
  readonly effects: readonly Effect[];
  readonly attrs: Readonly<Record<string, AttrKind>>;
}

/** The ops of a registry (its parents' first), optionally of one dialect, in registration order. */
export function opReference(registry: OpRegistry, dialect?: string): OpReferenceEntry[] {
  const dialects = registry.dialects().filter((d) => dialect === undefined || d.name === dialect);
  if (dialect !== undefined && dialects.length === 0) {
    const known = registry.dialects().map((d) => d.name);
    throw new Error(`unknown dialect '${dialect}' (known: ${known.join(', ')})`);
  }
  return dialects.flatMap((d) =>
    d.ops.map((op) => ({
      name: op.name,
      dialect: dialectOf(op.name),
      summary: op.summary,
      ...(op.signature
        ? {
            operands: op.signature.operands,
            results: op.signature.results,
            ...(op.signature.where === undefined ? {} : { where: op.signature.where }),
          }
        : {}),
      effects: op.effects,
      attrs: op.attrs ?? {},
    })),
  );
}

function spec(operand: OperandSpec): string {
  return `${operand.variadic ? '...' : ''}${operand.name}: ${operand.type}`;
}

/** `arith.add(a: T, b: T) -> (result: T)`. */
export function signatureLine(entry: OpReferenceEntry): string {
  if (!entry.operands || !entry.results) return `${entry.name}(...) -> (...)`;
  return `${entry.name}(${entry.operands.map(spec).join(', ')}) -> (${entry.results.map(spec).join(', ')})`;
}

function effectsText(entry: OpReferenceEntry): string {
  return entry.effects.length === 0 ? 'none (pure)' : entry.effects.join(', ');
}

function attrsText(entry: OpReferenceEntry, quote: (s: string) => string): string {
  const attrs = Object.entries(entry.attrs);
  return attrs.length === 0 ? 'none' : attrs.map(([name, kind]) => `${quote(name)} (${kind})`).join(', ');
}

/** The terminal form: a signature line, then the summary, effects and attributes indented. */
export function opReferenceText(entries: readonly OpReferenceEntry[]): string {
  const lines: string[] = [];
  let dialect: string | undefined;
  for (const entry of entries) {
    if (entry.dialect !== dialect) {
      if (dialect !== undefined) lines.push('');
      lines.push(`dialect ${entry.dialect}`, '');
      dialect = entry.dialect;
    }
    lines.push(`  ${signatureLine(entry)}`);
    if (entry.where) lines.push(`      where ${entry.where}`);
    lines.push(`      ${entry.summary}`);
    lines.push(`      effects: ${effectsText(entry)}; attributes: ${attrsText(entry, (s) => s)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The command that writes docs/ops.md, named by the test that checks it is current. */
export const regenerateOpsDoc = 'npm run docs:ops';

/** docs/ops.md. */
export function opReferenceMarkdown(entries: readonly OpReferenceEntry[]): string {
  const code = (s: string): string => `\`${s}\``;
  const lines: string[] = [
    '# Op reference',
    '',
    `<!-- Generated from the op definitions by \`${regenerateOpsDoc}\`: edit the ops' \`summary\` and \`signature\`, not this file. -->`,
    '',
    'Every op of the default registry of `@rvsdg/ir` and of the `js` dialect of',
    '`@rvsdg/frontend`, as `rvsdg ops` prints them (`rvsdg ops --json` gives the',
    'same as data). A signature lists the operands in order and the results;',
    'single capital letters are type variables that its `where` constrains, `?`',
    "is the untyped value of the frontend's output, and an attribute's name in a",
    'type position stands for the type that attribute holds. Ops with an effect',
    'take the memory state `mem` (or a state `S`) as their last operand and',
    'return it as their last result, which orders them with the other effects.',
    "The typing rule the verifier applies is the op's `typeOf`; the semantics",
    'are in [semantics.md](semantics.md).',
  ];
  let dialect: string | undefined;
  for (const entry of entries) {
    if (entry.dialect !== dialect) {
      lines.push('', `## Dialect ${code(entry.dialect)}`);
      dialect = entry.dialect;
    }
    lines.push('', `### ${code(entry.name)}`, '', code(signatureLine(entry)), '', entry.summary, '');
    if (entry.where) lines.push(`- where: ${entry.where}`);
    lines.push(`- effects: ${effectsText(entry)}`);
    lines.push(`- attributes: ${attrsText(entry, code)}`);
  }
  return `${lines.join('\n')}\n`;
}
