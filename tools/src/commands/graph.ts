import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Command, Option } from 'commander';
import { toDot } from '@rvsdg/ir';
import { CliError } from '../cli-error.js';

const formats = ['svg', 'png', 'pdf', 'dot'] as const;
type Format = (typeof formats)[number];

interface GraphOptions {
  function: string;
  signature?: string;
  beforePasses?: boolean;
  fastmath?: boolean;
  output?: string;
  format?: Format;
}

/** EX_UNAVAILABLE from sysexits.h: a program this command needs is not installed. */
export const missingDotExitCode = 69;

function formatOf(options: GraphOptions): Format {
  if (options.format) return options.format;
  const ext = options.output ? extname(options.output).slice(1).toLowerCase() : '';
  return (formats as readonly string[]).includes(ext) ? (ext as Format) : 'svg';
}

/** Renders DOT text with Graphviz's `dot`; exit 69 with the remedy when it is not installed. */
function render(dot: string, format: Exclude<Format, 'dot'>): Buffer {
  const result = spawnSync('dot', [`-T${format}`], { input: dot, maxBuffer: 1 << 30 });
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(
        "rvsdg graph needs Graphviz's `dot`: apt-get install graphviz (or write DOT without it: -o out.dot)",
        missingDotExitCode,
      );
    }
    throw new CliError(`could not run dot: ${result.error.message}`, 70);
  }
  if (result.status !== 0) throw new CliError(`dot failed: ${result.stderr.toString().trim()}`, 70);
  return result.stdout;
}

export function graphCommand(): Command {
  return new Command('graph')
    .description(
      'draw the RVSDG of a function of a JavaScript file (after the default passes, or as the frontend built it)',
    )
    .argument('<file>', 'a JavaScript file: an ES module exporting the function, or a script of function declarations')
    .requiredOption('-f, --function <name>', 'the function to draw')
    .option('-s, --signature <types>', 'parameter types for type inference and the passes, e.g. "(f64[], f64[])"')
    .option('--before-passes', 'draw the frontend output (untyped, needs no signature)')
    .option('--fastmath', 'run the passes as jit(fn, { fastmath: true }) would')
    .option('-o, --output <file>', 'output file; its extension picks the format (.svg, .png, .pdf, .dot)')
    .addOption(new Option('-T, --format <format>', 'output format (default: from --output, else svg)').choices(formats))
    .addHelpText(
      'after',
      [
        '',
        "SVG, PNG and PDF are rendered by Graphviz's `dot` (Debian: apt-get install graphviz); DOT needs nothing.",
        'Exit codes: 0 ok, 64 usage error, 65 the function cannot be compiled, 66 unreadable file, 69 no `dot`.',
        '',
        'Example:',
        '  rvsdg graph kernels.js --function dot --signature "(f64[], f64[])" -o dot.svg',
      ].join('\n'),
    )
    .action(async (file: string, options: GraphOptions) => {
      if (!options.beforePasses && options.signature === undefined) {
        throw new CliError('the passes need parameter types: give --signature "(...)", or use --before-passes', 64);
      }
      const { loadJsFunction, runDefaultPipeline, signatureOption } = await import('./js-function.js');
      const signature = options.signature === undefined ? undefined : signatureOption(options.signature);
      const fn = await loadJsFunction(file, options.function);
      const module =
        options.beforePasses || !signature
          ? fn.module
          : runDefaultPipeline(fn, signature.params, { fastmath: options.fastmath ?? false });
      const dot = toDot(module);
      const format = formatOf(options);
      const output = format === 'dot' ? Buffer.from(dot) : render(dot, format);
      if (options.output === undefined) process.stdout.write(output);
      else writeFileSync(options.output, output);
    });
}
