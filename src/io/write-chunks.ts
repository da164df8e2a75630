/**
 * Atomic file writes. Every file lowrank writes goes through this module: the bytes go to a
 * temporary file in the destination's folder, which is flushed (fsync) and then renamed over
 * the destination. A full disk, an exception in the producer or a signal therefore leaves
 * the old file untouched and no partial file behind (rename is atomic within one file system,
 * POSIX rename(2)). Writers produce chunks, so large files are written a few megabytes at a
 * time instead of being built in memory first.
 *
 * Temporary names are `.<name>.lowrank-<pid>-<random>.tmp`. A process killed with SIGKILL
 * cannot remove its own; the next write to the same destination removes those whose process
 * is gone. With {@link cleanUpOnSignals} (the CLI turns it on), SIGINT, SIGTERM and SIGHUP
 * during a write remove the temporary file and then end the process as the signal would have.
 */
import {
  chmodSync,
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { chmod, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A piece of a file: text (written as UTF-8) or bytes. */
export type Chunk = string | Uint8Array;

const utf8 = new TextEncoder();
const TMP_SUFFIX = '.tmp';
const TMP_TAG = '.lowrank-';

/** Temporary files this process has open, removed by {@link removeTemporaryFiles}. */
const live = new Set<string>();

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let signalCleanup = false;

// Handlers are installed only while a temporary file exists: a handler replaces the signal's
// default action, and outside a write (during a long synchronous computation, say) the
// default (end the process at once) is what a user pressing Ctrl-C wants.
function onSignal(signal: NodeJS.Signals): void {
  removeTemporaryFiles();
  // Re-raise with the default action, so the exit status says which signal ended us.
  process.kill(process.pid, signal);
}

function track(tmp: string): void {
  if (signalCleanup && live.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  live.add(tmp);
}

function untrack(tmp: string): void {
  live.delete(tmp);
  if (signalCleanup && live.size === 0) for (const s of SIGNALS) process.off(s, onSignal);
}

/**
 * Remove this process's temporary files when SIGINT, SIGTERM or SIGHUP arrives during a write,
 * then let the signal end the process as usual. For programs (the CLI) rather than libraries:
 * it adds signal listeners, but only for as long as a write is in progress.
 */
export function cleanUpOnSignals(): void {
  signalCleanup = true;
}

/** Where the bytes really go: the target of a symlink, so a link is written through, not replaced. */
function resolveTarget(path: string): { target: string; mode: number | undefined } {
  let target = path;
  try {
    target = realpathSync(path);
  } catch {
    // The destination does not exist yet (or a dangling link): write the path as given.
  }
  let mode: number | undefined;
  try {
    const st = statSync(target);
    if (st.isFile()) mode = st.mode & 0o7777;
  } catch {
    mode = undefined;
  }
  return { target, mode };
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove temporary files for `target` left by processes that no longer exist (killed mid-write). */
function sweepStale(target: string): void {
  const dir = dirname(target);
  const prefix = `.${basename(target)}${TMP_TAG}`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TMP_SUFFIX)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || processAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Someone else removed it, or it is not ours to remove: leave it.
    }
  }
}

function temporaryName(target: string): string {
  const rand = Math.floor(Math.random() * 0x100000000).toString(36);
  return join(dirname(target), `.${basename(target)}${TMP_TAG}${process.pid}-${rand}${TMP_SUFFIX}`);
}

/**
 * Whether `candidate` names a temporary file of an atomic write to `path`
 * (`.<name>.lowrank-<pid>-<random>.tmp`); for tests and clean-up tools.
 */
export function isTemporaryFileOf(path: string, candidate: string): boolean {
  const prefix = `.${basename(path)}${TMP_TAG}`;
  const name = basename(candidate);
  return name.startsWith(prefix) && name.endsWith(TMP_SUFFIX);
}

/** Remove every temporary file this process is writing (on a signal, see {@link cleanUpOnSignals}). */
function removeTemporaryFiles(): void {
  for (const tmp of [...live]) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    untrack(tmp);
  }
}

/** Flush the folder's entry for the rename to disk; not every platform allows it (then skip). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows and some file systems refuse fsync on a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Write every chunk, in order, to `path` atomically: the old file (if any) stays whole until
 * the new one is complete and flushed. A symlink is written through; an existing file's
 * permission bits are kept.
 * @throws the file system error (ENOSPC, EACCES, ...) or the producer's error; the temporary
 *   file is removed first.
 */
export function writeChunksSync(path: string, chunks: Iterable<Chunk>): void {
  const { target, mode } = resolveTarget(path);
  sweepStale(target);
  const tmp = temporaryName(target);
  track(tmp);
  let fd: number | undefined = openSync(tmp, 'wx', mode ?? 0o666);
  try {
    for (const chunk of chunks) {
      // Text is encoded first: a short write (a disk filling up) returns a byte count, which
      // only a byte loop can resume from.
      const c = typeof chunk === 'string' ? utf8.encode(chunk) : chunk;
      for (let off = 0; off < c.length; ) off += writeSync(fd, c, off, c.length - off);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (mode !== undefined) chmodSync(tmp, mode);
    renameSync(tmp, target);
    untrack(tmp);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never created or already gone
    }
    untrack(tmp);
    throw e;
  }
  syncDir(dirname(target));
}

/**
 * {@link writeChunksSync} without blocking the event loop. The chunks may also come from an
 * async iterable (a producer that itself reads a file, such as a safetensors copy), so a
 * file is streamed from source to destination without being held in memory.
 */
export async function writeChunks(path: string, chunks: Iterable<Chunk> | AsyncIterable<Chunk>): Promise<void> {
  const { target, mode } = resolveTarget(path);
  sweepStale(target);
  const tmp = temporaryName(target);
  track(tmp);
  let handle: Awaited<ReturnType<typeof open>> | undefined = await open(tmp, 'wx', mode ?? 0o666);
  try {
    // The iterator may reuse its buffer for the next chunk, so each write completes
    // before the next chunk is requested.
    for await (const chunk of chunks) {
      const c = typeof chunk === 'string' ? utf8.encode(chunk) : chunk;
      for (let off = 0; off < c.length; ) off += (await handle.write(c, off, c.length - off)).bytesWritten;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, target);
    untrack(tmp);
  } catch (e) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    untrack(tmp);
    throw e;
  }
  syncDir(dirname(target));
}

/** Write `data` (text as UTF-8, or bytes) to `path` atomically; see {@link writeChunks}. */
export function writeFileAtomic(path: string, data: Chunk): Promise<void> {
  return writeChunks(path, [data]);
}

/** Synchronous {@link writeFileAtomic}. */
export function writeFileAtomicSync(path: string, data: Chunk): void {
  writeChunksSync(path, [data]);
}
