// Limits the command line enforces before working: the thread count from LOWRANK_THREADS,
// and memory a command would need (issue 15). Out of memory is exit 1 with one line naming
// the need, never "internal error".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { OutOfMemoryError } from '../../src/errors.js';
import { encodeNpy } from '../../src/io/npy.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { asMemoryError } from '../../src/cli/run.js';
import { tempDir } from '../io/util.js';
import { assertFails, run } from './harness.js';

const ROOT = new URL('../../', import.meta.url).pathname;

// The executable in a child process: LOWRANK_THREADS is read once per process.
function lowrank(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

/** A .npy file of the given shape with no data (every dimension product is 0). */
function emptyNpy(path: string, shape: string): void {
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`;
  const text = dict + ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64) + '\n';
  const out = Buffer.alloc(10 + text.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  out.writeUInt16LE(text.length, 8);
  out.write(text, 10, 'latin1');
  writeFileSync(path, out);
}

const dir = tempDir();
const small = join(dir, 'small.mtx');
writeFileSync(small, '%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n');
// Issue 15's 74-byte file (82 with this banner): 50,000,000 x 50,000,000 with two entries.
const huge = join(dir, 'huge.mtx');
writeFileSync(huge, '%%MatrixMarket matrix coordinate real general\n50000000 50000000 2\n1 1 1.0\n2 2 2.0\n');
const wide = join(dir, 'tall0.npy');
emptyNpy(wide, '(2147483647, 0)');

test('LOWRANK_THREADS that is not an integer >= 1 is a usage error (exit 2) naming the variable', () => {
  for (const value of ['abc', '0', '-1', '1.5']) {
    const r = lowrank({ LOWRANK_THREADS: value }, 'info', small);
    assert.equal(r.status, 2, `${value}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^lowrank: LOWRANK_THREADS must be an integer >= 1 [^\n]*\n$/, value);
    assert.ok(r.stderr.includes(`got '${value}'`), r.stderr);
  }
  // --help and --version run no command, so they do not look at it.
  assert.equal(lowrank({ LOWRANK_THREADS: 'abc' }, '--version').status, 0);
});

test('LOWRANK_THREADS above the core count: one warning line, clamped, the command runs', () => {
  const cores = availableParallelism();
  const r = lowrank({ LOWRANK_THREADS: '1000' }, 'info', small, '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, `lowrank: warning: LOWRANK_THREADS=1000 is more than the ${cores} cores of this machine; using ${cores} threads\n`);
  assert.ok(JSON.parse(r.stdout));
  // Within the cores: nothing to say.
  const ok = lowrank({ LOWRANK_THREADS: '1' }, 'info', small, '--json');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stderr, '');
});

test('svd --full of a 2147483647 x 0 npy: exit 1, one line naming U and its size', async () => {
  assertFails(await run('svd', '--full', wide), 1, /svd --full of 2147483647 x 0 needs U of 2147483647 x 2147483647 = 3\.7e19 bytes \(37 EB\); one array can hold at most 2\^32 elements/);
  assertFails(await run('qr', '--complete', wide), 1, /qr --complete of 2147483647 x 0 needs Q of 2147483647 x 2147483647 = 3\.7e19 bytes/);
  // The thin SVD of the same file needs nothing and runs.
  const thin = await run('svd', wide, '--json');
  assert.equal(thin.code, 0, thin.err);
});

test('a coordinate .mtx declaring 50,000,000 x 50,000,000: densifying is refused, the sparse svd --rank estimates first', async () => {
  // Without --rank, svd is dense: the file would have to be densified.
  assertFails(
    await run('svd', huge),
    1,
    /huge\.mtx: densifying this 50000000 x 50000000 coordinate matrix with 2 stored entries needs a dense array of 50000000 x 50000000 = 2\.0e16 bytes .*read it as a sparse matrix instead/,
  );
  // --rank 100: a Krylov basis of 50,000,000 x 201 is more than one array holds, on any machine.
  assertFails(await run('svd', '--rank', '100', huge), 1, /svd --rank 100 \(lanczos\) of 50000000 x 50000000 needs the right Krylov basis of 50000000 x 202 = 8\.1e10 bytes \(81 GB\); one array can hold at most 2\^32 elements/);
  // --rank 1 (the command): 2.7e10 bytes of bases, vectors and row pointers, more
  // than machines with less memory have (where there is more, it is a legitimate run).
  const need = 5e7 * (22 + 21 + 21) * 8 + 2 * 5e7 * 8 + (5e7 + 1) * 4;
  if (totalmem() >= need) return;
  assertFails(await run('svd', '--rank', '1', huge), 1, /svd --rank 1 \(lanczos\) of 50000000 x 50000000 needs 2\.7e10 bytes \(27 GB\) in all \(.*the left Krylov basis 50000000 x 21.*\); this machine has .* of memory/);
});

test('svd --rank on a tall coordinate .mtx is judged from its header, before 2^31 row pointers are built', async () => {
  const tall = join(dir, 'tall.mtx');
  writeFileSync(tall, '%%MatrixMarket matrix coordinate real general\n2147483647 3 1\n5 2 1\n');
  const t0 = performance.now();
  assertFails(await run('svd', tall, '--rank', '2'), 1, /svd --rank 2 \(lanczos\) of 2147483647 x 3 needs the left Krylov basis of 2147483647 x 3 = 5\.2e10 bytes \(52 GB\); one array can hold at most 2\^32 elements/);
  // Reading the file as CSR first would take 8.6 GB and tens of seconds.
  assert.ok(performance.now() - t0 < 5000, `refused after ${(performance.now() - t0).toFixed(0)} ms`);
  // Files that fit pass the header check and run, .npy (header read) as .mtx (banner read).
  const f4 = join(dir, 'small-f4.npy');
  writeFileSync(f4, encodeNpy(Matrix.from([[3, 0], [0, 1]], { dtype: 'float32' })));
  const ok = await run('svd', f4, '--rank', '1', '--json');
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual(JSON.parse(ok.out).factors, { U: [2, 1], s: [1], Vt: [1, 2] });
  const mtx = await run('svd', small, '--rank', '1', '--json');
  assert.equal(mtx.code, 0, mtx.err);
});

test('allocation failures from the engine become OutOfMemoryError, other RangeErrors do not', () => {
  for (const message of ['Array buffer allocation failed', 'Invalid typed array length: 10000000000', 'Invalid array length', 'WebAssembly.Memory.grow(): Maximum memory size exceeded']) {
    const e = asMemoryError(new RangeError(message));
    assert.ok(e instanceof OutOfMemoryError, message);
    assert.match(e.message, new RegExp(`^out of memory: ${message.replace(/[.()]/g, '\\$&')}`));
  }
  const other = new RangeError('seed must be finite, got Infinity');
  assert.equal(asMemoryError(other), other);
});
