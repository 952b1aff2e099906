import { Command } from 'commander';
import { jsRegistry } from '@rvsdg/frontend';
import { CliError } from '../cli-error.js';
import { opReference, opReferenceMarkdown, opReferenceText } from '../op-reference.js';

interface OpsOptions {
  dialect?: string;
  json?: boolean;
  markdown?: boolean;
}

export function opsCommand(): Command {
  return new Command('ops')
    .description(
      'list the ops of the default registry and the js dialect: operands, results, effects, attributes, summary',
    )
    .option('-d, --dialect <name>', 'only this dialect (builtin, arith, math, array, js)')
    .option('--json', 'print the reference as JSON')
    .option('--markdown', 'print the reference as Markdown (docs/ops.md)')
    .addHelpText('after', ['', 'Example:', '  rvsdg ops --dialect array'].join('\n'))
    .action((options: OpsOptions) => {
      if (options.json && options.markdown) throw new CliError('give --json or --markdown, not both', 64);
      let entries;
      try {
        entries = opReference(jsRegistry, options.dialect);
      } catch (error) {
        throw new CliError((error as Error).message, 64);
      }
      if (options.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      else if (options.markdown) process.stdout.write(opReferenceMarkdown(entries));
      else process.stdout.write(opReferenceText(entries));
    });
}
