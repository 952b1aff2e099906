import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { CompileError, fromFunction, fromSource, jsRegistry } from '@rvsdg/frontend';
import type { Module, Type } from '@rvsdg/ir';
import { PassCrashedError, PipelineError, defaultPipeline, runPipeline, type Instrumentation } from '@rvsdg/passes';
import { parseSignature, SignatureSyntaxError, type Signature } from '@rvsdg/runtime';
import { CliError } from '../cli-error.js';

/** A JavaScript function read from a file and turned into (untyped) RVSDG by the frontend. */
export interface JsFunction {
  readonly file: string;
  /** The file's text. */
  readonly text: string;
  /** The frontend's module (js dialect) and the export name of the function asked for. */
  readonly module: Module;
  readonly entry: string;
  /** Maps a position in the text the frontend saw to one in the file. */
  readonly toFile: (line: number, column: number) => { line: number; column: number };
  readonly frontendMs: number;
}

// CompileErrors that only say the file is not a plain script of function declarations.
const notAScript = new Set(['syntax error', 'top-level statement', 'not a function']);

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function positionMapper(fileText: string, functionText: string) {
  const offset = fileText.indexOf(functionText);
  if (offset < 0) return (line: number, column: number) => ({ line, column });
  const before = fileText.slice(0, offset).split('\n');
  const startLine = before.length;
  const startColumn = (before[before.length - 1] as string).length;
  return (line: number, column: number) => ({
    line: startLine + line - 1,
    column: line === 1 ? startColumn + column : column,
  });
}

/** The line of the file with a caret under the column, as compilers show it. */
function codeFrame(text: string, line: number, column: number): string {
  const source = text.split('\n')[line - 1];
  if (source === undefined) return '';
  const gutter = String(line);
  return `\n  ${gutter} | ${source}\n  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, column - 1))}^`;
}

/** A CliError (exit 65) saying where in FILE the frontend or type inference gave up, with the reason. */
export function compileFailure(error: unknown, fn: Pick<JsFunction, 'file' | 'text' | 'toFile'>): CliError {
  let cause = error;
  if (cause instanceof PassCrashedError) cause = cause.cause;
  const positioned = cause as { reason?: unknown; line?: unknown; column?: unknown; name?: string };
  if (
    cause instanceof Error &&
    typeof positioned.reason === 'string' &&
    typeof positioned.line === 'number' &&
    typeof positioned.column === 'number'
  ) {
    const at = fn.toFile(positioned.line, positioned.column);
    return new CliError(
      `${fn.file}:${at.line}:${at.column}: ${positioned.name ?? 'error'}: ${positioned.reason}` +
        codeFrame(fn.text, at.line, at.column),
      65,
    );
  }
  if (error instanceof PipelineError || cause instanceof Error) {
    return new CliError(`${fn.file}: ${errorText(cause)}`, 65);
  }
  return new CliError(`${fn.file}: ${String(cause)}`, 65);
}

/**
 * True when the text parses as a script made only of function declarations
 * (the frontend says so, even when it cannot compile one of them).
 */
function isScriptOfDeclarations(text: string): boolean {
  try {
    fromSource(text);
    return true;
  } catch (error) {
    return error instanceof CompileError && !notAScript.has(error.construct);
  }
}

/**
 * Reads FILE and compiles its function NAME with the frontend, together with
 * the functions it calls. A file made only of function declarations is
 * evaluated in a fresh context (which only defines them); any other file (an
 * ES module with exports, a CommonJS module) is imported, so its top level
 * runs. The other functions and values of the file (its exports, for a
 * module) are the scope the function's free identifiers resolve in, as with
 * `jit(fn, { scope })`.
 */
export async function loadJsFunction(file: string, name: string): Promise<JsFunction> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${errorText(error)}`, 66);
  }
  let exports: Record<string, unknown>;
  if (isScriptOfDeclarations(text)) {
    // Evaluating function declarations only defines them: nothing of the file runs.
    const sandbox: Record<string, unknown> = {};
    runInNewContext(text, sandbox, { filename: file });
    exports = sandbox;
  } else {
    try {
      exports = { ...((await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>) };
    } catch (error) {
      throw new CliError(`${file} could not be loaded: ${errorText(error)}`, 65);
    }
    const defaults = exports['default'];
    if (defaults && typeof defaults === 'object') exports = { ...(defaults as Record<string, unknown>), ...exports };
  }
  const fn = exports[name];
  if (typeof fn !== 'function') {
    const functions = Object.keys(exports).filter((k) => typeof exports[k] === 'function');
    throw new CliError(
      `${file} has no function '${name}'${functions.length > 0 ? `; its functions: ${functions.join(', ')}` : ''}`,
      64,
    );
  }
  const toFile = positionMapper(text, Function.prototype.toString.call(fn));
  const start = performance.now();
  try {
    const { module, entry } = fromFunction(fn as (...args: never[]) => unknown, { scope: exports });
    return { file, text, module, entry, toFile, frontendMs: performance.now() - start };
  } catch (error) {
    throw compileFailure(error, { file, text, toFile });
  }
}

/** `--signature` text to parameter types, exit 64 when it does not parse. */
export function signatureOption(text: string): Signature {
  try {
    return parseSignature(text);
  } catch (error) {
    if (error instanceof SignatureSyntaxError) throw new CliError(error.message, 64);
    throw error;
  }
}

/** The default pipeline (type inference for `params` first) on the frontend's module. */
export function runDefaultPipeline(
  fn: JsFunction,
  params: readonly Type[],
  options: { fastmath: boolean; instrumentation?: Instrumentation[] },
): Module {
  try {
    const pipeline = defaultPipeline({ entry: fn.entry, params, fastmath: options.fastmath });
    return runPipeline(pipeline, fn.module, {
      registry: jsRegistry,
      instrumentation: options.instrumentation ?? [],
    }).module;
  } catch (error) {
    throw compileFailure(error, fn);
  }
}
