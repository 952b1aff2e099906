import fc from 'fast-check';
import {
  FuelExhausted,
  interpret,
  InterpreterError,
  ParseError,
  parseModule,
  printModule,
  verify,
  type IRValue,
  type Module,
} from '@rvsdg/ir';
import { arbArgsFor, exportType } from '@rvsdg/ir/testing';
import type { Outcome } from './protocol.js';

const fuel = 100_000;

function internal(stage: string, error: unknown, calls = 0): Outcome {
  const name = error instanceof Error ? error.name : typeof error;
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { kind: 'internal', calls, parsed: true, detail: `${name} (${stage}): ${stack}` };
}

/**
 * Feeds IR text through everything that reads a module: parse (a
 * ParseError is a fine answer), print -> parse -> print (must be the
 * identity on the text), verify (must never throw), and, when the module
 * verifies, interpret each exported function with fuel (may only throw
 * InterpreterError or FuelExhausted, the documented errors).
 */
export function runIrCase(text: string, seed: number): Outcome {
  let module: Module;
  try {
    module = parseModule(text);
  } catch (error) {
    if (error instanceof ParseError) return { kind: 'ok', calls: 0, parsed: false };
    return { ...internal('parse', error), parsed: false };
  }
  let printed: string;
  try {
    printed = printModule(module);
    let reread: Module;
    try {
      reread = parseModule(printed);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      // What the parser accepted, the printer wrote in a form the parser refuses (issue 10, defect 10).
      return {
        kind: 'divergence',
        calls: 0,
        parsed: true,
        detail: `the printed module does not parse back: ${error.message}`,
      };
    }
    const again = printModule(reread);
    if (again !== printed) {
      const lines = printed.split('\n');
      const other = again.split('\n');
      const at = lines.findIndex((line, i) => line !== other[i]);
      return {
        kind: 'divergence',
        calls: 0,
        parsed: true,
        detail: `print/parse round trip differs at line ${at + 1}: '${lines[at]}' printed back as '${other[at]}'`,
      };
    }
  } catch (error) {
    return internal('print/parse of printed text', error);
  }
  let clean: boolean;
  try {
    clean = verify(module).length === 0;
  } catch (error) {
    return internal('verify', error);
  }
  if (!clean) return { kind: 'ok', calls: 0, parsed: true };
  let calls = 0;
  for (const name of module.exports) {
    const type = exportType(module, name);
    if (type?.kind !== 'fn') continue;
    let args: IRValue[];
    try {
      args = fc.sample(arbArgsFor(module, name), { seed, numRuns: 1 })[0] as IRValue[];
    } catch {
      continue; // a parameter type with no value generator (a tuple, a function)
    }
    try {
      calls++;
      interpret(module, name, args, { fuel });
    } catch (error) {
      if (error instanceof InterpreterError || error instanceof FuelExhausted) continue;
      return internal(`interpret @${name}`, error, calls);
    }
  }
  return { kind: 'ok', calls, parsed: true };
}
