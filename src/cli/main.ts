#!/usr/bin/env node
/** The `lowrank` executable: runs {@link main} on the process's arguments and exits with its code. */
import { cleanUpOnSignals } from '../io/write-chunks.js';
import { main } from './run.js';

// Ctrl-C or a kill during a write: the destination is untouched (writes are atomic), and the
// half-written temporary file goes too; at any other time the signal acts as usual.
cleanUpOnSignals();

// `lowrank info big.npy | head` closes the pipe early; that is not an error worth a trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
