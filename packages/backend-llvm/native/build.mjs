// Builds the native engine (build/Release/rvsdg_llvm_engine.node) with
// node-gyp. Runs as the package's install script, so a missing prerequisite
// is reported here by name rather than as a compiler error deep in a log.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  console.error(`@rvsdg/backend-llvm: cannot build the native engine: ${message}`);
  process.exit(1);
}

try {
  const includeDir = execFileSync('llvm-config-14', ['--includedir']).toString().trim();
  if (!existsSync(join(includeDir, 'llvm-c', 'LLJIT.h')))
    fail(`${includeDir}/llvm-c/LLJIT.h not found (apt-get install llvm-14-dev)`);
} catch {
  fail('llvm-config-14 not found (apt-get install llvm-14-dev)');
}

// npm passes its bundled node-gyp to lifecycle scripts; outside npm, look for
// one next to this node or on the PATH.
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  try {
    candidates.push(createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate)) return [process.execPath, [candidate]];
  }
  return ['node-gyp', []];
}

// Only the npm registry may be reachable, so node-gyp must not try to
// download headers: use the ones installed with this node when present.
const args = ['rebuild'];
const nodeDir = resolve(dirname(process.execPath), '..');
if (existsSync(join(nodeDir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodeDir}`);

const [command, prefix] = findNodeGyp();
const result = spawnSync(command, [...prefix, ...args], { cwd: packageDir, stdio: 'inherit' });
if (result.error) fail(`could not run node-gyp (${result.error.message}); install it with npm install -g node-gyp`);
if (result.status !== 0) fail(`node-gyp ${args.join(' ')} exited with status ${result.status}`);
