// Fault injection for src/io/write-chunks.ts, through which every file lowrank writes goes:
// a producer that throws, SIGKILL and SIGTERM in the middle of a large write, a full disk,
// and symlinks / permission bits. In each case the old file must stay byte-identical and no
// temporary `.<name>.lowrank-<pid>-<rand>.tmp` may be left behind (a SIGKILLed process's is
// removed by the next write to the same target).
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { isTemporaryFileOf, writeChunks, writeChunksSync, writeFileAtomic, writeFileAtomicSync, type Chunk } from '../../src/io/write-chunks.js';
import { writeNpySync } from '../../src/io/npy.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { run } from '../cli/harness.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const WRITE_CHUNKS = fileURLToPath(new URL('../../src/io/write-chunks.ts', import.meta.url));
const OLD = Buffer.from('old contents: 1,2,3\n4,5,6\n');

let base: string;

before(() => {
  base = mkdtempSync(join(tmpdir(), 'lowrank-atomic-'));
});

after(() => {
  rmSync(base, { recursive: true, force: true });
});

/** A fresh folder holding `name` with the old contents; returns the file's path. */
function folderWithOld(tag: string, name = 'out.csv'): string {
  const dir = join(base, tag);
  mkdirSync(dir);
  const path = join(dir, name);
  writeFileSync(path, OLD);
  return path;
}

/** Temporary files of writes to `path` in its folder. */
function temporaries(path: string): string[] {
  const dir = join(path, '..');
  return readdirSync(dir).filter((n) => isTemporaryFileOf(path, n));
}

function assertOldIntact(path: string): void {
  assert.ok(readFileSync(path).equals(OLD), `${path} changed: ${readFileSync(path).subarray(0, 60).toString('latin1')}`);
}

/** Chunks of text; throws after `n` of them. */
function* failingAfter(n: number): Generator<Chunk> {
  for (let k = 0; k < n; k++) yield k % 2 ? `row ${k}\n` : new Uint8Array(64 * 1024).fill(65 + (k % 26));
  throw new Error('producer failed midway');
}

test('a producer that throws midway leaves the old file byte-identical and no temporary (sync and async)', async () => {
  const path = folderWithOld('throws');
  assert.throws(() => writeChunksSync(path, failingAfter(5)), /producer failed midway/);
  assertOldIntact(path);
  assert.deepEqual(temporaries(path), []);
  await assert.rejects(writeChunks(path, failingAfter(5)), /producer failed midway/);
  assertOldIntact(path);
  assert.deepEqual(temporaries(path), []);
  // Throwing before the first chunk, and a target that did not exist: nothing is created.
  await assert.rejects(writeChunks(path, failingAfter(0)), /producer failed midway/);
  const fresh = join(path, '..', 'fresh.npy');
  assert.throws(() => writeChunksSync(fresh, failingAfter(3)), /producer failed midway/);
  await assert.rejects(writeChunks(fresh, failingAfter(3)), /producer failed midway/);
  assert.deepEqual(readdirSync(join(path, '..')), ['out.csv']);
  assertOldIntact(path);
  // The same folder still takes a good write afterwards.
  await writeFileAtomic(path, 'new\n');
  assert.equal(readFileSync(path, 'utf8'), 'new\n');
  assert.deepEqual(readdirSync(join(path, '..')), ['out.csv']);
});

/** Resolve with the first stdout line of `child` that matches, reject when it exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what}: timed out; stdout ${out} stderr ${err}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (d) => (err += String(d)));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what}: exited early (${code ?? signal}); stdout ${out} stderr ${err}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

test('SIGKILL in the middle of a large write: the old file is intact; the next write succeeds and removes the dead temporary', async () => {
  const path = folderWithOld('sigkill', 'big.bin');
  const script = join(base, 'kill-writer.mts');
  // Writes up to 2000 x 256 KiB through writeChunksSync, says 'ready' after the third chunk,
  // then slows down so the kill surely lands mid-write.
  writeFileSync(
    script,
    `import { writeSync } from 'node:fs';
import { writeChunksSync } from ${JSON.stringify(pathToFileURL(WRITE_CHUNKS).href)};
const pause = new Int32Array(new SharedArrayBuffer(4));
function* chunks() {
  for (let k = 0; k < 2000; k++) {
    if (k === 3) writeSync(1, 'ready\\n');
    if (k >= 3) Atomics.wait(pause, 0, 0, 5);
    yield new Uint8Array(256 * 1024).fill(k & 255);
  }
}
writeChunksSync(process.argv[2], chunks());
writeSync(1, 'finished\\n');
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script, path], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await waitForLine(child, /ready/, 'writer');
    const tmp = temporaries(path);
    assert.equal(tmp.length, 1, `one temporary while writing: ${tmp.join(', ')}`);
    assert.match(tmp[0]!, new RegExp(`^\\.big\\.bin\\.lowrank-${child.pid}-[0-9a-z]+\\.tmp$`));
    assert.ok(statSync(join(path, '..', tmp[0]!)).size >= 3 * 256 * 1024, 'the temporary holds the chunks written so far');
    child.kill('SIGKILL');
    const end = await exitOf(child);
    assert.equal(end.signal, 'SIGKILL');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  assertOldIntact(path);
  // SIGKILL cannot clean up: the temporary is still there until the next write to the target.
  assert.equal(temporaries(path).length, 1);
  // A write to another file in the folder leaves it alone (it is not that file's temporary).
  writeFileAtomicSync(join(path, '..', 'other.bin'), 'x');
  assert.equal(temporaries(path).length, 1);
  writeChunksSync(path, ['new ', new Uint8Array([1, 2, 3])]);
  assert.deepEqual([...readFileSync(path)], [...Buffer.from('new '), 1, 2, 3]);
  assert.deepEqual(readdirSync(join(path, '..')).sort(), ['big.bin', 'other.bin']);
});

test('SIGTERM of `lowrank convert` during the write leaves the old output and no temporary', async () => {
  const dir = join(base, 'sigterm');
  mkdirSync(dir);
  const input = join(dir, 'big.npy');
  // 30 000 x 100 float64 (24 MB): its CSV, about 57 MB of text, goes out in four chunks of
  // 8192 rows, each a fraction of a second to format, so the write lasts a while.
  writeNpySync(input, Matrix.random(30_000, 100, { seed: 3 }));
  const out = join(dir, 'out.csv');
  writeFileSync(out, OLD);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'convert', input, out], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  try {
    // Wait until the temporary exists and has its first chunk: the write is under way.
    const t0 = Date.now();
    for (;;) {
      const tmp = temporaries(out);
      if (tmp.length === 1 && statSync(join(dir, tmp[0]!), { throwIfNoEntry: false })?.size) break;
      assert.ok(child.exitCode === null, `convert finished before it could be interrupted: ${stderr}`);
      assert.ok(Date.now() - t0 < 20_000, 'no temporary file appeared');
      await new Promise((r) => setTimeout(r, 2));
    }
    child.kill('SIGTERM');
    const end = await exitOf(child);
    // The temporary is removed, then the signal is re-raised with its default action.
    assert.ok(end.signal === 'SIGTERM' || end.code === 143, `exit ${end.code ?? end.signal}; stderr ${stderr}`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  assertOldIntact(out);
  assert.deepEqual(readdirSync(dir).sort(), ['big.npy', 'out.csv']);
});

test('a full disk: `lowrank convert` fails with one line, exit 1, old file intact, no temporary', async (t) => {
  const dir = join(base, 'tmpfs');
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    t.skip(`cannot mount tmpfs: ${String((e as { stderr?: unknown }).stderr ?? (e as Error).message).trim()}`);
    return;
  }
  try {
    const input = join(base, 'full-in.npy');
    writeNpySync(input, Matrix.random(400, 400, { seed: 4 })); // 1.28 MB as npy, more as csv
    for (const name of ['out.npy', 'out.csv']) {
      const out = join(dir, name);
      writeFileSync(out, OLD);
      const r = await run('convert', input, out);
      assert.equal(r.code, 1, `${name}: exit ${r.code}; ${r.err}`);
      assert.equal(r.out, '');
      assert.match(r.err, /^lowrank: [^\n]+\n$/, `one line: ${JSON.stringify(r.err)}`);
      assert.match(r.err, /no space/i);
      assertOldIntact(out);
      assert.deepEqual(temporaries(out), []);
    }
    assert.deepEqual(readdirSync(dir).sort(), ['out.csv', 'out.npy']);
    // The library directly: one text chunk larger than the free space (a short write of a
    // string must not be taken for the whole string), and bytes; sync and async.
    const out = join(dir, 'out.csv');
    const text = '0.123456789,'.repeat(200_000); // 2.4 MB
    const bytes = new Uint8Array(2_400_000).fill(7);
    for (const chunk of [text, bytes]) {
      const kind = typeof chunk === 'string' ? 'text' : 'bytes';
      assert.throws(() => writeChunksSync(out, [chunk]), { code: 'ENOSPC' }, `sync ${kind}`);
      assertOldIntact(out);
      await assert.rejects(writeChunks(out, ['head\n', chunk]), { code: 'ENOSPC' }, `async ${kind}`);
      assertOldIntact(out);
      assert.deepEqual(temporaries(out), []);
    }
    // The space is given back: a small write to the same target now succeeds.
    const small = join(base, 'small.npy');
    writeNpySync(small, Matrix.from([[1, 2]]));
    assert.equal((await run('convert', small, join(dir, 'out.csv'))).code, 0);
    assert.equal(readFileSync(join(dir, 'out.csv'), 'utf8').trim().split(/\r?\n/).length, 1);
  } finally {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  }
});

test('a symlink is written through, not replaced; an existing file keeps its permission bits', async () => {
  const dir = join(base, 'links');
  mkdirSync(join(dir, 'real'), { recursive: true });
  const real = join(dir, 'real', 'data.csv');
  writeFileSync(real, OLD);
  chmodSync(real, 0o640);
  const link = join(dir, 'link.csv');
  symlinkSync(join('real', 'data.csv'), link); // relative link
  await writeFileAtomic(link, 'through the link\n');
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
  assert.equal(realpathSync(link), realpathSync(real));
  assert.equal(readFileSync(real, 'utf8'), 'through the link\n');
  assert.equal(statSync(real).mode & 0o7777, 0o640);
  assert.deepEqual(readdirSync(dir).sort(), ['link.csv', 'real']);
  assert.deepEqual(readdirSync(join(dir, 'real')), ['data.csv']);

  // Through the CLI too, and the bits survive a sync write of a plain file.
  const src = join(dir, 'm.npy');
  writeNpySync(src, Matrix.from([[1, 2], [3, 4]]));
  const r = await run('convert', src, link);
  assert.equal(r.code, 0, r.err);
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.deepEqual(readFileSync(real, 'utf8').trim().split(/\r?\n/), ['1,2', '3,4']);
  assert.equal(statSync(real).mode & 0o7777, 0o640);
  const plain = join(dir, 'plain.txt');
  writeFileSync(plain, OLD);
  chmodSync(plain, 0o600);
  writeFileAtomicSync(plain, 'x');
  assert.equal(statSync(plain).mode & 0o7777, 0o600);
  chmodSync(plain, 0o755);
  writeChunksSync(plain, ['y']);
  assert.equal(statSync(plain).mode & 0o7777, 0o755);
  assert.equal(readFileSync(plain, 'utf8'), 'y');
});
