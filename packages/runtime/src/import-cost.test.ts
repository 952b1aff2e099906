import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(packageDir, '..', '..');

// Lists every ES module a fresh process loads for `import('@rvsdg/runtime')`, the CommonJS
// modules in require's cache and the shared objects mapped, as JSON on stdout.
const child = `
import { register, createRequire } from 'node:module';
const loaded = [];
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => loaded.push(url));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(
  'let port; export function initialize(d) { port = d.port; }' +
  'export async function load(url, context, next) { port.postMessage(url); return next(url, context); }'
), { data: { port: port2 }, transferList: [port2] });
await import('@rvsdg/runtime');
await new Promise((resolve) => setTimeout(resolve, 50));
const cjs = Object.keys(createRequire(import.meta.url).cache);
const shared = process.report.getReport().sharedObjects;
console.log(JSON.stringify({ loaded, cjs, shared }));
`;

beforeAll(() => {
  // The child imports the built package.
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-b', packageDir], { cwd: repoRoot });
}, 120_000);

it('importing @rvsdg/runtime loads no test kit, no LLVM and no code-frame printer', () => {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', child], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const { loaded, cjs, shared } = JSON.parse(output) as { loaded: string[]; cjs: string[]; shared: string[] };
  expect(loaded.some((url) => url.includes('/packages/runtime/dist/'))).toBe(true);
  const everything = [...loaded, ...cjs, ...shared];
  for (const heavy of ['fast-check', 'llvm-bindings', '@babel/code-frame', 'libLLVM', 'rvsdg_llvm_engine']) {
    expect(everything.filter((path) => path.includes(heavy))).toEqual([]);
  }
}, 60_000);
