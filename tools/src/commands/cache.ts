import { Command } from 'commander';
import { CliError } from '../cli-error.js';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

async function runtime(): Promise<typeof import('@rvsdg/runtime')> {
  return import('@rvsdg/runtime');
}

/** A bad RVSDG_CACHE_MAX_BYTES is a usage error (64), not an internal one. */
function settingsError(error: unknown): never {
  if (error instanceof RangeError) throw new CliError(error.message, 64);
  throw error;
}

export function cacheCommand(): Command {
  const cache = new Command('cache')
    .description("manage jit()'s on-disk cache of compiled machine code")
    .addHelpText(
      'after',
      [
        '',
        'The cache lives in $RVSDG_CACHE_DIR, else $XDG_CACHE_HOME/rvsdg, else ~/.cache/rvsdg.',
        'RVSDG_CACHE=0 keeps jit() off the disk; RVSDG_CACHE_MAX_BYTES caps its size (default 256M).',
      ].join('\n'),
    );
  cache
    .command('info')
    .description('show where the cache is, whether jit() uses it, how many entries and bytes it holds')
    .option('--json', 'print the figures as JSON')
    .action(async (options: { json?: boolean }) => {
      const { diskCacheInfo } = await runtime();
      let info: ReturnType<typeof diskCacheInfo>;
      try {
        info = diskCacheInfo();
      } catch (error) {
        settingsError(error);
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(info)}\n`);
        return;
      }
      const date = (ms: number | undefined): string => (ms === undefined ? '-' : new Date(ms).toISOString());
      process.stdout.write(
        [
          `directory: ${info.directory}`,
          `enabled:   ${info.enabled ? 'yes' : 'no (RVSDG_CACHE)'}`,
          `entries:   ${info.entries}`,
          `size:      ${size(info.bytes)} of at most ${size(info.maxBytes)}`,
          `newest:    ${date(info.newest)}`,
          `oldest:    ${date(info.oldest)}`,
          '',
        ].join('\n'),
      );
    });
  cache
    .command('clear')
    .description('remove every entry of the cache (processes running now recompile what they miss)')
    .action(async () => {
      const { clearDiskCache, diskCacheDirectory } = await runtime();
      const removed = clearDiskCache();
      process.stdout.write(`removed ${removed} ${removed === 1 ? 'entry' : 'entries'} from ${diskCacheDirectory()}\n`);
    });
  return cache;
}
