/**
 * The fast path of `lowrank info` for the common call, `lowrank info A.npy [--json]` on a
 * little-endian float .npy file: the same output, bytes and exit code as the command, without
 * loading commander, the option tables or the other commands' code, and reading the file
 * synchronously in runs of 256 KiB into one buffer (`inspectNpySync`).
 *
 * Why: on a 32 MiB file the command took 0.19-0.26 s, of which Node's own start-up is
 * 0.10-0.11 s; loading the command-line machinery was 0.03-0.05 s of the rest
 * (BENCHMARKS.md, ".npy I/O"). Anything this path does not handle exactly as the command
 * would (another option or argument, another file kind, `LOWRANK_THREADS` set, any error,
 * which the command words and numbers) returns undefined before printing anything, and the
 * caller runs the command as usual.
 * @internal
 */
import { writeSync } from 'node:fs';
import { extname } from 'node:path';
import type { FileInfo } from '../../io/inspect.js';
import { inspectNpySync } from '../../io/npy-info.js';
import type { Writer } from '../output.js';
import { infoJson, infoText } from './info-format.js';

/**
 * Run `argv` (arguments after the program name) on the fast path when it is `info FILE.npy`
 * with at most `--json` besides, and FILE a float .npy file that reads without error.
 * @returns 0 when done (the report written to `stdout`), undefined when the command must run instead.
 */
export function infoFast(argv: readonly string[], stdout: Writer): number | undefined {
  // A set LOWRANK_THREADS is checked (and may be a usage error) before any command runs.
  if (argv[0] !== 'info' || process.env.LOWRANK_THREADS !== undefined) return undefined;
  let file: string | undefined;
  let json = false;
  for (const a of argv.slice(1)) {
    if (a === '--json') json = true;
    else if (a.startsWith('-') || file !== undefined) return undefined; // options, --, a second argument
    else file = a;
  }
  if (file === undefined || extname(file).toLowerCase() !== '.npy') return undefined;
  let info: FileInfo | undefined;
  try {
    info = inspectNpySync(file);
  } catch {
    return undefined; // the command reports it, in its words
  }
  if (info === undefined) return undefined;
  stdout.write(json ? JSON.stringify(infoJson(info)) + '\n' : infoText(info));
  return 0;
}

/**
 * stdout written with `writeSync(1, ...)`: creating `process.stdout` loads Node's stream
 * modules (4-5 ms, a tenth of the fast path's own time). A closed pipe (`| head`) ends the
 * output quietly, as the command line's EPIPE handler does; a non-blocking stdout that is
 * full gets the rest through `process.stdout`.
 */
export const stdoutSync: Writer = {
  write(text: string): void {
    const bytes = new TextEncoder().encode(text);
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(1, bytes, done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw e;
      process.stdout.write(bytes.subarray(done));
    }
  },
};
