import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { printModule, typeToString, type Module, type Type } from '@rvsdg/ir';
import type { Instrumentation } from '@rvsdg/passes';
import type { OptLevel } from '@rvsdg/backend-llvm';
import { CliError } from '../cli-error.js';
import { invalidOptionValue } from '../cli-options.js';

const emitKinds = ['rvsdg', 'llvm', 'llvm-unoptimized', 'asm', 'node'] as const;
type EmitKind = (typeof emitKinds)[number];

interface CompileOptions {
  function: string;
  signature: string;
  emit: EmitKind;
  output?: string;
  optLevel: OptLevel;
  fastmath?: boolean;
  printAfterAll?: boolean;
  printAfterChange?: boolean;
  timePasses?: boolean;
}

function optLevel(text: string): OptLevel {
  // A regular expression, not Number: Number('') and Number(' 2') are numbers too.
  if (!/^[0-3]$/.test(text)) throw invalidOptionValue(`expected 0, 1, 2 or 3, got '${text}'`);
  return Number(text) as OptLevel;
}

/** The non-state results of the exported function `entry`. */
function entryResults(module: Module, entry: string): readonly Type[] {
  const index = module.exports.indexOf(entry);
  const origin = module.region.results[index];
  const node = origin?.kind === 'out' ? module.region.nodes.find((n) => n.id === origin.node) : undefined;
  const type = node?.outputs[origin?.kind === 'out' ? origin.index : 0];
  return type?.kind === 'fn' ? type.results.filter((t) => t.kind !== 'state') : [];
}

function write(text: string, output: string | undefined): void {
  if (output === undefined) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  else writeFileSync(output, text);
}

export function compileCommand(): Command {
  return new Command('compile')
    .description(
      'compile a function of a JavaScript file the way jit() does, and show each stage: the RVSDG after each pass, ' +
        'the LLVM IR, the assembly, or an ahead-of-time Node addon (.node)',
    )
    .argument('<file>', 'a JavaScript file: an ES module exporting the function, or a script of function declarations')
    .requiredOption('-f, --function <name>', 'the function to compile')
    .requiredOption(
      '-s, --signature <types>',
      'parameter types, e.g. "(f64[], f64[]) -> f64" or "(Float64Array, number)"',
    )
    .addOption(
      new Option('-e, --emit <what>', 'what to write to stdout (or to --output)').choices(emitKinds).default('rvsdg'),
    )
    .option('-o, --output <file>', 'write the emitted output to a file (required for --emit node)')
    .option('-O, --opt-level <n>', "LLVM's default<On> pipeline level", optLevel, 3 as OptLevel)
    .option('--fastmath', 'allow value-changing float optimizations, as jit(fn, { fastmath: true })')
    .option('--print-after-all', 'print the RVSDG after every pass (to stderr)')
    .option('--print-after-change', 'print the RVSDG after every pass that changed it (to stderr)')
    .option('--time-passes', 'print the time of the frontend, each pass and the LLVM stages (to stderr)')
    .addHelpText(
      'after',
      [
        '',
        'The emitted output goes to stdout (or --output); pass dumps and timings go to stderr.',
        'Exit codes: 0 ok, 64 usage error, 65 the function cannot be compiled, 66 unreadable file, 70 internal error.',
        '',
        'Example:',
        '  rvsdg compile kernels.js --function dot --signature "(f64[], f64[]) -> f64" --emit asm',
        '  rvsdg compile kernels.js -f dot -s "(f64[], f64[])" --emit node -o dot.node',
      ].join('\n'),
    )
    .action(async (file: string, options: CompileOptions) => {
      if (options.emit === 'node' && options.output === undefined) {
        throw new CliError('--emit node writes a binary: give the output file with -o out.node', 64);
      }
      // Loaded here so that the other commands start without LLVM.
      const { compileFailure, loadJsFunction, runDefaultPipeline, signatureOption } = await import('./js-function.js');
      const { printAfterPasses, timePasses } = await import('@rvsdg/passes');
      const signature = signatureOption(options.signature);
      const fn = await loadJsFunction(file, options.function);
      const timings = timePasses();
      const instrumentation: Instrumentation[] = [timings];
      if (options.printAfterAll || options.printAfterChange) {
        instrumentation.push(
          printAfterPasses((text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`), {
            onlyChanged: !options.printAfterAll,
          }),
        );
      }
      const typed = runDefaultPipeline(fn, signature.params, {
        fastmath: options.fastmath ?? false,
        instrumentation,
      });
      const results = entryResults(typed, fn.entry);
      if (signature.results && signature.results.map(typeToString).join() !== results.map(typeToString).join()) {
        throw new CliError(
          `${file}: '${fn.entry}' returns (${results.map(typeToString).join(', ')}) for these parameters, ` +
            `not (${signature.results.map(typeToString).join(', ')}) as the signature says`,
          65,
        );
      }
      const backendTimes: [string, number][] = [];
      const timed = <T>(label: string, run: () => T): T => {
        const start = performance.now();
        const value = run();
        backendTimes.push([label, performance.now() - start]);
        return value;
      };
      if (options.emit === 'rvsdg') {
        write(printModule(typed), options.output);
      } else {
        const { NativeEngine, buildNodeAddon, defaultLowerings, lowerModule, v8MathLowerings, withFastMathFlags } =
          await import('@rvsdg/backend-llvm');
        // As jit() does: exact semantics call V8's own Math functions; fastmath may use libm.
        const lowerings = options.fastmath ? defaultLowerings : v8MathLowerings;
        const lowered = timed('llvm lowering', () => {
          try {
            return lowerModule(typed, { lowerings, moduleName: fn.entry });
          } catch (error) {
            throw compileFailure(error, fn);
          }
        });
        // Like jit(), fastmath also allows reassociating float arithmetic.
        const irText = options.fastmath ? withFastMathFlags(lowered.irText) : lowered.irText;
        const engine = NativeEngine.shared();
        const codegen = { optLevel: options.optLevel };
        switch (options.emit) {
          case 'llvm-unoptimized':
            write(irText, options.output);
            break;
          case 'llvm':
            write(
              timed(`llvm default<O${options.optLevel}>`, () => engine.optimize(irText, codegen)),
              options.output,
            );
            break;
          case 'asm':
            write(
              timed('llvm optimization and codegen', () => engine.assembly(irText, codegen)),
              options.output,
            );
            break;
          case 'node': {
            const out = resolve(options.output as string);
            timed('llvm object and link', () => buildNodeAddon(irText, lowered.wrappers, out, codegen));
            process.stderr.write(
              `wrote ${out}: require(${JSON.stringify(out)}).${fn.entry}(...) calls the compiled function\n`,
            );
            break;
          }
        }
      }
      if (options.timePasses) {
        const rows: [string, string][] = [
          ['frontend', ''],
          ...timings.entries.map((e): [string, string] => [e.pass, e.changed ? '' : '  (unchanged)']),
          ...backendTimes.map(([label]): [string, string] => [label, '']),
        ];
        const times = [fn.frontendMs, ...timings.entries.map((e) => e.ms), ...backendTimes.map(([, ms]) => ms)];
        const width = Math.max(...rows.map(([label]) => label.length), 'total'.length);
        const line = (label: string, ms: number, note = '') =>
          `${label.padEnd(width)}  ${ms.toFixed(2).padStart(9)} ms${note}`;
        process.stderr.write(
          [
            '// time per stage',
            ...rows.map(([label, note], i) => line(label, times[i] as number, note)),
            line(
              'total',
              times.reduce((a, b) => a + b, 0),
            ),
            '',
          ].join('\n'),
        );
      }
    });
}
