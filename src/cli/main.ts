#!/usr/bin/env node
/** The `lowrank` executable: runs {@link main} on the process's arguments and exits with its code. */
import { removeTemporaryFiles } from '../io/write-chunks.js';
import { main } from './run.js';

// Ctrl-C or a kill during a write: the destination is untouched (writes are atomic), and the
// half-written temporary file goes too. Exit codes follow the shell's 128 + signal number.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(signal, () => {
    removeTemporaryFiles();
    process.exit(code);
  });
}

// `lowrank info big.npy | head` closes the pipe early; that is not an error worth a trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
