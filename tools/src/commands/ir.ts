import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import {
  interpret,
  memToken,
  ioToken,
  parseModule,
  printModule,
  toDot,
  typeToString,
  typedArrayConstructor,
  verify,
  type IRValue,
  type Module,
  type Type,
} from '@rvsdg/ir';
import {
  parsePipeline,
  PassRefusedError,
  PipelineError,
  PipelineSyntaxError,
  runPipeline,
  standardPasses,
  type Pipeline,
} from '@rvsdg/passes';
import { CliError } from '../cli-error.js';
import { positiveInteger } from '../cli-options.js';

function readModule(file: string): Module {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 66);
  }
  try {
    return parseModule(text);
  } catch (error) {
    throw new CliError(`${file}:${(error as Error).message}`, 65);
  }
}

function checkedModule(file: string): Module {
  const module = readModule(file);
  const diagnostics = verify(module);
  if (diagnostics.length > 0) {
    throw new CliError(
      `${file}: ${diagnostics.length} verifier diagnostic(s):\n` +
        diagnostics.map((d) => `  [${d.rule}] ${d.path}: ${d.message}`).join('\n'),
      65,
    );
  }
  return module;
}

/** Converts a command-line word to a value of the parameter's type. */
export function parseArgument(text: string, type: Type, position: number): IRValue {
  const fail = (): never => {
    throw new CliError(`argument ${position} ('${text}') is not a valid ${typeToString(type)}`, 64);
  };
  switch (type.kind) {
    case 'bool':
      return text === 'true' ? true : text === 'false' ? false : fail();
    case 'int': {
      if (!/^-?\d+n?$/.test(text)) fail();
      const digits = text.replace(/n$/, '');
      if (type.bits === 64) return BigInt(digits);
      return Number(digits);
    }
    case 'float': {
      const value = Number(text);
      if (Number.isNaN(value) && text !== 'NaN') fail();
      return type.bits === 32 ? Math.fround(value) : value;
    }
    case 'array': {
      const Ctor = typedArrayConstructor(type);
      const items = text === '' || text === '[]' ? [] : text.replace(/^\[|\]$/g, '').split(',');
      const array = new Ctor(items.length);
      items.forEach((item, i) => {
        (array as unknown as IRValue[])[i] = parseArgument(item.trim(), type.element, position);
      });
      return array;
    }
    case 'state':
      return type.state === 'mem' ? memToken : ioToken;
    default:
      throw new CliError(`parameters of type ${typeToString(type)} cannot be given on the command line`, 64);
  }
}

export function formatValue(value: IRValue): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (ArrayBuffer.isView(value))
    return `[${Array.from(value as ArrayLike<number | bigint>, (v) => formatValue(v)).join(', ')}]`;
  if (Array.isArray(value)) return `(${value.map(formatValue).join(', ')})`;
  if (typeof value === 'object' && value !== null && 'kind' in value)
    return value.kind === 'state' ? value.state : `<function ${value.name}>`;
  return String(value);
}

function entryParams(module: Module, entry: string): readonly Type[] {
  const index = module.exports.indexOf(entry);
  if (index < 0) {
    throw new CliError(`no export named '${entry}'; exports: ${module.exports.join(', ') || '(none)'}`, 64);
  }
  const origin = module.region.results[index];
  const node = origin?.kind === 'out' ? module.region.nodes.find((n) => n.id === origin.node) : undefined;
  const type = node?.outputs[origin?.kind === 'out' ? origin.index : 0];
  if (!type || type.kind !== 'fn') throw new CliError(`export '${entry}' is not a function`, 64);
  return type.params;
}

export function irCommand(): Command {
  const ir = new Command('ir').description('work with modules in the RVSDG text format (docs/ir-text-format.md)');
  ir.command('fmt')
    .description('parse FILE and print it in canonical form (to stdout, or back into FILE with --write)')
    .argument('<file>')
    .option('-w, --write', 'rewrite the file in place')
    .action((file: string, options: { write?: boolean }) => {
      const text = printModule(readModule(file));
      if (options.write) writeFileSync(file, text);
      else process.stdout.write(text);
    });
  ir.command('verify')
    .description('check every structural and typing rule; prints diagnostics and exits 65 when there are any')
    .argument('<file>')
    .action((file: string) => {
      checkedModule(file);
      process.stdout.write(`${file}: ok\n`);
    });
  ir.command('run')
    .description('interpret an exported function on the given arguments (arrays as comma-separated lists)')
    .argument('<file>')
    .argument('[args...]')
    .requiredOption('-e, --entry <name>', 'the exported function to run')
    .option('--fuel <n>', 'maximum number of node evaluations (a positive integer)', positiveInteger, 100_000_000)
    .action((file: string, args: string[], options: { entry: string; fuel: number }) => {
      const module = checkedModule(file);
      const params = entryParams(module, options.entry);
      const valueParams = params.filter((t) => t.kind !== 'state');
      if (args.length !== valueParams.length) {
        throw new CliError(
          `'${options.entry}' takes ${valueParams.length} argument(s) (${valueParams.map(typeToString).join(', ')}), got ${args.length}`,
          64,
        );
      }
      let next = 0;
      const values = params.map((type) =>
        type.kind === 'state' ? parseArgument('', type, 0) : parseArgument(args[next++] as string, type, next),
      );
      let results: readonly IRValue[];
      try {
        results = interpret(module, options.entry, values, { fuel: options.fuel });
      } catch (error) {
        const name = (error as { errorName?: string }).errorName ?? (error as Error).name;
        throw new CliError(`${options.entry} raised ${name}: ${(error as Error).message}`, 1);
      }
      for (const result of results) {
        if (typeof result === 'object' && result !== null && 'kind' in result && result.kind === 'state') continue;
        process.stdout.write(`${formatValue(result)}\n`);
      }
    });
  ir.command('opt')
    .description(
      'run passes on FILE with every condition checked after each pass, and print the resulting module ' +
        '(pipeline text as in parsePipeline: fold,cne,dne or inline{maxSize=40},simplify)',
    )
    .argument('<file>')
    .requiredOption(
      '-p, --passes <pipeline>',
      `the passes, comma-separated (known: ${standardPasses.names().join(', ')})`,
    )
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((file: string, options: { passes: string; output?: string }) => {
      let passes: Pipeline;
      try {
        passes = parsePipeline(options.passes, standardPasses);
      } catch (error) {
        if (error instanceof PipelineSyntaxError) throw new CliError(`--passes: ${error.message}`, 64);
        throw error;
      }
      const module = checkedModule(file);
      let optimized: Module;
      try {
        optimized = runPipeline(passes, module, { check: true }).module;
      } catch (error) {
        // A refusal means the input lacks what a pass requires; any other pipeline error is a pass's bug.
        if (error instanceof PassRefusedError) throw new CliError(`${file}: ${error.message}`, 65);
        if (error instanceof PipelineError) throw new CliError(`${file}: ${error.message}`, 70);
        throw error;
      }
      const text = printModule(optimized);
      if (options.output) writeFileSync(options.output, text);
      else process.stdout.write(text);
    });
  ir.command('dot')
    .description('print the module as a Graphviz digraph')
    .argument('<file>')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((file: string, options: { output?: string }) => {
      const dot = toDot(readModule(file));
      if (options.output) writeFileSync(options.output, dot);
      else process.stdout.write(dot);
    });
  return ir;
}
