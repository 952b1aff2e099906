#!/usr/bin/env node
// The installed `rvsdg` command. It lives outside dist/ so npm can link it at
// install time, before the TypeScript build has produced dist/cli.js.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('rvsdg: the command line is not built yet; run `npm run build` at the repository root\n');
  process.exit(69);
}
const { runCli } = await import(cli.href);
runCli();
