import { InvalidArgumentError } from 'commander';

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
