import { createRequire } from 'node:module';
import type * as CodeFrame from '@babel/code-frame';

let codeFrame: typeof CodeFrame | undefined;

// Loaded at the first error rather than at import: it costs ~20 ms of a fresh process's start.
function codeFrameColumns(...args: Parameters<typeof CodeFrame.codeFrameColumns>): string {
  codeFrame ??= createRequire(import.meta.url)('@babel/code-frame') as typeof CodeFrame;
  return codeFrame.codeFrameColumns(...args);
}

/**
 * JavaScript the frontend cannot compile. `line` and `column` are 1-based
 * positions in the source text of the function that contains the construct
 * (what `fn.toString()` returned, or the text given to `fromSource`); the
 * message names the construct and shows a code frame.
 */
export class CompileError extends Error {
  /** The source text the position refers to. */
  readonly source: string;
  /** The message without position and code frame. */
  readonly reason: string;

  constructor(
    reason: string,
    readonly construct: string,
    source: string,
    readonly line: number,
    readonly column: number,
    /** The function whose source contains the error, when known. */
    readonly functionName?: string,
  ) {
    const where = functionName ? ` in '${functionName}'` : '';
    const frame = codeFrameColumns(source, { start: { line, column } }, { highlightCode: false });
    super(`${reason} (line ${line}, column ${column}${where})\n${frame}`);
    this.name = 'CompileError';
    this.source = source;
    this.reason = reason;
  }
}
