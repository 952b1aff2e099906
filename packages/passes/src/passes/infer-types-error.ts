import type { SourceLoc } from '@rvsdg/ir';

/**
 * A program type inference cannot compile for the given argument types: a
 * value that has different types on different paths (a number on one,
 * `undefined` on another), or a construct the compiler does not support
 * for these types. `line` and `column` are the source position (1-based,
 * in the function's source text, as the frontend records them); the message
 * starts with them.
 */
export class InferenceError extends Error {
  /** The message without the position. */
  readonly reason: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    reason: string,
    loc: SourceLoc | undefined,
    /** The JavaScript function being specialized when the problem was found. */
    readonly functionName?: string,
  ) {
    const where = loc ? `line ${loc.line}, column ${loc.column}: ` : '';
    super(`${where}${reason}`);
    this.name = 'InferenceError';
    this.reason = reason;
    this.line = loc?.line;
    this.column = loc?.column;
  }
}
