#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { irCommand } from './commands/ir.js';
import { compileCommand } from './commands/compile.js';
import { graphCommand } from './commands/graph.js';
import { cacheCommand } from './commands/cache.js';
import { opsCommand } from './commands/ops.js';
import { CliError } from './cli-error.js';

/** The `rvsdg` command line; `main` is exported so tests can run it in process too. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('rvsdg')
    .description('rvsdg compiler toolkit: inspect, verify, run and compile RVSDG modules')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  program.addCommand(irCommand());
  program.addCommand(compileCommand());
  program.addCommand(graphCommand());
  program.addCommand(cacheCommand());
  program.addCommand(opsCommand());
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      process.stderr.write(`rvsdg: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

/** Runs the command line on this process's arguments and sets the exit code. */
export function runCli(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `rvsdg: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 70;
    },
  );
}

// `node tools/dist/cli.js ...` runs it directly; the installed `rvsdg` command goes through bin/rvsdg.js.
const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'));
if (invokedDirectly) runCli();
