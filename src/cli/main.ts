#!/usr/bin/env node
/**
 * The `lowrank` executable (tsc's dist/cli/main.js; the bundled bin, dist/bin/lowrank.js,
 * does the same from a CommonJS launcher that scripts/build-cli.mjs writes): runs `lowrank
 * info A.npy` on a float file through the fast path, anything else through run.ts's `main` (full.ts).
 */

const argv = process.argv.slice(2);
// `lowrank info A.npy` on a float file runs without commander, the command modules and
// Node's stream modules (info-fast.ts: the same output): most of a short command's own time
// is loading code. Anything else, or any error there, runs the command line as usual.
let fast: number | undefined;
if (argv[0] === 'info') {
  const { infoFast, stdoutSync } = await import('./commands/info-fast.js');
  fast = infoFast(argv, stdoutSync);
}
if (fast !== undefined) process.exitCode = fast;
else await import('./full.js');
