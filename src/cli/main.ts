#!/usr/bin/env node
/** The `lowrank` executable: runs {@link main} on the process's arguments and exits with its code. */

const argv = process.argv.slice(2);
// `lowrank info A.npy` on a float file runs without commander, the command modules and
// Node's stream modules (info-fast.ts: the same output; in the bundled bin one file, built
// apart): most of a short command's own time is loading code. Anything else, or any error
// there, runs the command line as usual.
let fast: number | undefined;
if (argv[0] === 'info') {
  const { infoFast, stdoutSync } = await import('./commands/info-fast.js');
  fast = infoFast(argv, stdoutSync);
}
if (fast !== undefined) process.exitCode = fast;
else {
  // `lowrank info big.mtx | head` closes the pipe early; that is not an error worth a trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  // Ctrl-C or a kill during a write: the destination is untouched (writes are atomic), and
  // the half-written temporary file goes too; at any other time the signal acts as usual.
  (await import('../io/write-chunks.js')).cleanUpOnSignals();
  process.exitCode = await (await import('./run.js')).main(argv);
}
