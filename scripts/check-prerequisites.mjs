// Runs before `npm ci` installs anything, so a missing system package is
// reported by name instead of as a compiler failure deep in a log.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const missing = [];
function has(command, args = ['--version']) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!has('llvm-config-14')) {
  missing.push(['llvm-14-dev', 'llvm-config-14 not found (LLVM 14 headers and libraries)']);
} else {
  const includeDir = execFileSync('llvm-config-14', ['--includedir']).toString().trim();
  if (!existsSync(`${includeDir}/llvm-c/LLJIT.h`)) {
    missing.push(['llvm-14-dev', `${includeDir}/llvm-c/LLJIT.h not found`]);
  }
}
if (!has('g++')) missing.push(['g++', 'g++ not found (builds the native addons)']);
if (!has('make')) missing.push(['make', 'make not found (builds the native addons)']);
if (!has('python3'))
  missing.push(['python3', 'python3 not found (node-gyp, which builds the native engine, runs on it)']);

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  missing.push(['nodejs', `Node.js ${process.versions.node} is too old; 20.19 or newer is needed`]);
}

if (missing.length > 0) {
  console.error('rvsdg: missing system prerequisites:');
  for (const [pkg, why] of missing) console.error(`  - ${why}  ->  apt-get install ${pkg}`);
  console.error(`Install them with: apt-get install ${[...new Set(missing.map(([p]) => p))].join(' ')}`);
  process.exit(1);
}
