import { CommanderError, InvalidArgumentError, type Command } from 'commander';

/**
 * The error an option's argument parser throws for a value it refuses:
 * commander prints `error: option '--x <n>' argument 'v' is invalid. <message>`
 * and exits with 64, the usage-error status of tools/README.md (commander's
 * own default would be 1).
 */
export function invalidOptionValue(message: string): InvalidArgumentError {
  const error = new InvalidArgumentError(message);
  error.exitCode = 64;
  return error;
}

/**
 * Commander argument parser for options that count something (`--fuel`,
 * `--rounds`, `--seconds`): plain decimal digits, a safe integer of at least
 * 1. `Number` alone would let `abc` through as NaN (no limit at all) and
 * `-5`, `1.5` or `` (0) through as numbers.
 */
export function positiveInteger(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw invalidOptionValue(`expected a positive integer (at most ${Number.MAX_SAFE_INTEGER}), got '${text}'`);
  }
  return value;
}

/**
 * Parses a script's options with commander's exits turned into return
 * values: the exit code when commander stopped (help, a usage error), or
 * undefined when the script should run.
 */
export function parseOrExitCode(program: Command, argv: readonly string[]): number | undefined {
  try {
    program.exitOverride().parse(argv, { from: 'user' });
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
}
