/**
 * Write a file from a sequence of chunks, so writers can produce large files a few
 * megabytes at a time instead of building the whole file in memory first.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** A piece of a file: text (written as UTF-8) or bytes. */
export type Chunk = string | Uint8Array;

/** Create or truncate `path` and write every chunk, in order. */
export function writeChunksSync(path: string, chunks: Iterable<Chunk>): void {
  const fd = openSync(path, 'w');
  try {
    for (const c of chunks) {
      if (typeof c === 'string') writeSync(fd, c);
      else for (let off = 0; off < c.length; ) off += writeSync(fd, c, off, c.length - off);
    }
  } finally {
    closeSync(fd);
  }
}

/** Create or truncate `path` and write every chunk, in order, without blocking the event loop. */
export async function writeChunks(path: string, chunks: Iterable<Chunk>): Promise<void> {
  const handle = await open(path, 'w');
  try {
    // The iterator may reuse its buffer for the next chunk, so each write completes
    // before the next chunk is requested.
    for (const c of chunks) {
      if (typeof c === 'string') await handle.write(c);
      else for (let off = 0; off < c.length; ) off += (await handle.write(c, off, c.length - off)).bytesWritten;
    }
  } finally {
    await handle.close();
  }
}
