import { ordinal } from './signature.js';

export { CompileError } from '@rvsdg/frontend';

/** What a jitted function accepts for a parameter when no `signatures` restrict it. */
export const anyArgument = 'number, boolean, bigint, a TypedArray or an Array of numbers';

/**
 * A call a jitted function refuses before entering native code: wrong
 * argument count, an argument of a kind it cannot take, a TypedArray on a
 * detached, shared or resizable buffer, or a signature outside the
 * `signatures` option.
 */
export class JitTypeError extends TypeError {
  constructor(
    message: string,
    /** The jitted function's name. */
    readonly functionName: string,
    /** 0-based index of the offending parameter; undefined for a wrong argument count. */
    readonly parameterIndex?: number,
    /** Its name in the source (`#1` style when the source has a pattern there). */
    readonly parameterName?: string,
  ) {
    super(message);
    this.name = 'TypeError';
  }
}

export function parameterLabel(functionName: string, names: readonly string[], index: number): string {
  return `${functionName}: parameter '${names[index] ?? `#${index + 1}`}' (${ordinal(index + 1)})`;
}

export function argumentError(
  functionName: string,
  names: readonly string[],
  index: number,
  expected: string,
  got: string,
): JitTypeError {
  return new JitTypeError(
    `${parameterLabel(functionName, names, index)} expects ${expected}; got ${got}`,
    functionName,
    index,
    names[index],
  );
}

export function countError(functionName: string, names: readonly string[], got: number): JitTypeError {
  const list = names.length === 0 ? 'none' : names.join(', ');
  const plural = names.length === 1 ? 'argument' : 'arguments';
  return new JitTypeError(`${functionName}: expects ${names.length} ${plural} (${list}); got ${got}`, functionName);
}

const lineSuffix = / \(line (\d+)\)$/;

/**
 * Errors raised in native code carry ` (line N)` at the end of their message
 * (N counts lines of the jitted source). JavaScript would have thrown the
 * same class with the bare message, so the line moves into `line` and the
 * top of the stack, where debuggers and humans look for it.
 */
export function relocateNativeError(
  error: unknown,
  functionName: string,
  /** The entry's source lines, or undefined when other functions were compiled with it (the line could be theirs). */
  sourceLines: () => readonly string[] | undefined,
): unknown {
  if (!(error instanceof Error)) return error;
  const match = lineSuffix.exec(error.message);
  if (!match) return error;
  const line = Number(match[1]);
  const message = error.message.slice(0, match.index);
  const lines = sourceLines();
  const text = lines?.[line - 1]?.trim();
  const where = lines
    ? `line ${line}${text ? `: ${text}` : ''}`
    : `line ${line} of '${functionName}' or of a function compiled with it`;
  const frame = `    at ${functionName} (jitted source, ${where})`;
  error.message = message;
  const rest = (error.stack ?? '').split('\n').slice(1).join('\n');
  error.stack = `${error.name}: ${message}\n${frame}${rest ? `\n${rest}` : ''}`;
  Object.defineProperty(error, 'line', { value: line, enumerable: false, configurable: true, writable: true });
  return error;
}
