/**
 * The command line proper, after the `info` fast path declined: every command through
 * commander ({@link main} in run.ts) on the process's arguments, its exit code set on the
 * process. Imported by the executables (src/cli/main.ts; the bundled bin's launcher).
 */

// `lowrank info big.mtx | head` closes the pipe early; that is not an error worth a trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
// Ctrl-C or a kill during a write: the destination is untouched (writes are atomic), and
// the half-written temporary file goes too; at any other time the signal acts as usual.
(await import('../io/write-chunks.js')).cleanUpOnSignals();
process.exitCode = await (await import('./run.js')).main(process.argv.slice(2));

export {};
