// Mutation fuzzing of the command line: damaged npy, Matrix Market, CSV, ratings, .lrm and
// PNG files given to `info`, `convert`, `svd --rank 2`, `recommend train / predict` and
// `compress`. Whatever the bytes, the exit code is 0, 1 or 2, and a failure is exactly one
// `lowrank: ...` line on stderr: never 'internal error' (an unexpected exception) or a
// stack trace. fast-check drives the mutations with fixed seeds, so a failure reproduces
// from the seed and counterexample it prints. Each case is bounded in CPU time; a watchdog
// thread prints the case and kills this test process if one hangs (the parsers are
// synchronous, so nothing else could stop it).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { encodeMtx } from '../../src/io/mtx.js';
import { encodeNpy } from '../../src/io/npy.js';
import { encodePng } from '../../src/io/png.js';
import { encodeRatings } from '../../src/io/ratings.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { FunkSVD } from '../../src/models/recommend/algorithms/funk-svd.js';
import { crc32 } from '../../src/models/recommend/model/file.js';
import { syntheticRatings } from '../../src/models/recommend/data/synthetic.js';
import { run, type Run } from './harness.js';
import { applyEdits, type Edit } from '../fuzz-edits.js';
import { show, startWatchdog } from '../fuzz-watchdog.js';

// /dev/shm where there is one: the CLI fsyncs every file it writes, which a disk makes slow.
const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'lowrank-cli-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A case taking more CPU time than this fails. */
const SLOW_MS = 5000;
/** A case still running after this is a hang: the watchdog kills the process. */
const HANG_MS = 30_000;

const watchdog = startWatchdog(HANG_MS);


/**
 * Write `input` to `file`, run the CLI on it, and check the outcome: exit 0, 1 or 2; on
 * failure one `lowrank: ` line, no 'internal error', no stack trace; within SLOW_MS of CPU.
 */
async function cliSurvives(file: string, input: Uint8Array, argv: string[]): Promise<Run> {
  writeFileSync(file, input);
  watchdog.begin(`lowrank ${argv.join(' ')} on ${show(input, 1500)}`);
  const cpu0 = process.cpuUsage();
  let r: Run;
  try {
    r = await run(...argv);
  } finally {
    watchdog.end();
  }
  const d = process.cpuUsage(cpu0);
  const ms = (d.user + d.system) / 1000;
  const what = `lowrank ${argv.join(' ')} (exit ${r.code}, stderr ${JSON.stringify(r.err)}) on ${show(input)}`;
  assert.ok([0, 1, 2].includes(r.code), `exit code: ${what}`);
  assert.ok(!/internal error/i.test(r.err), `internal error: ${what}`);
  assert.ok(!/\n\s+at /.test(r.err), `stack trace: ${what}`);
  if (r.code !== 0) {
    assert.match(r.err, /^lowrank: [^\n]+\n$/, `not one 'lowrank: ' line: ${what}`);
    assert.equal(r.out, '', `stdout on failure: ${what}`);
  } else {
    assert.ok(r.err === '' || /^(lowrank: [^\n]*\n)+$/.test(r.err), `stray stderr on success: ${what}`);
  }
  assert.ok(ms < SLOW_MS, `took ${ms.toFixed(0)} ms of CPU: ${what}`);
  return r;
}

// ---------------------------------------------------------------------------------------
// Mutations (as in test/io/fuzz.test.ts).

function edits(focus: number, alphabet: string): fc.Arbitrary<Edit[]> {
  const at = fc.oneof(fc.nat({ max: focus }), fc.nat());
  const byte = fc.oneof(fc.nat({ max: 255 }), fc.constantFrom(...[...alphabet].map((c) => c.charCodeAt(0))));
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ op: fc.constant('flip' as const), at, bit: fc.nat({ max: 7 }) }),
    fc.record({ op: fc.constant('set' as const), at, byte }),
    fc.record({ op: fc.constant('cut' as const), at }),
    fc.record({ op: fc.constant('insert' as const), at, bytes: fc.array(byte, { minLength: 1, maxLength: 12 }).map((a) => Uint8Array.from(a)) }),
    fc.record({ op: fc.constant('delete' as const), at, count: fc.integer({ min: 1, max: 16 }) }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 3 });
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

// ---------------------------------------------------------------------------------------
// Valid inputs, damaged by the properties.

const A = Matrix.from([
  [1, -2.5, 3],
  [0.25, 5, 1e-3],
  [7, 8, -9],
  [2, 0, 1],
]);
const matrices: Record<string, { ext: string; bytes: Uint8Array }> = {
  npy: { ext: 'npy', bytes: encodeNpy(A) },
  'npy-f4': { ext: 'npy', bytes: encodeNpy(A, { dtype: '<f4' }) },
  'mtx-array': { ext: 'mtx', bytes: text(encodeMtx(A)) },
  'mtx-coordinate': { ext: 'mtx', bytes: text(encodeMtx(A, { format: 'coordinate' })) },
  csv: { ext: 'csv', bytes: text('a,b,c\n1,-2.5,3\n0.25,5,0.001\n7,8,-9\n2,0,1\n') },
  tsv: { ext: 'tsv', bytes: text('1\t2\t3\n4\t5\t6\n7\t8\t10\n') },
};
const MATRIX_ALPHABET = "0123456789 \t\n\r-+.eE%,;\"'#()[]{}:<>|fFiuTrueFalseshapedescrMatrixMarketcoordinatearrayrealgeneralsymmetric";

const runs = (seed: number, numRuns: number): fc.Parameters<unknown> => ({ seed, numRuns, includeErrorInReport: true });

test('info, convert and svd --rank 2 on damaged npy, mtx and csv files', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...Object.keys(matrices)),
      fc.oneof(edits(140, MATRIX_ALPHABET), fc.constant([] as Edit[])),
      fc.constantFrom('info', 'convert', 'svd'),
      fc.constantFrom('npy', 'csv', 'mtx'),
      async (name, list, command, outExt) => {
        const src = matrices[name]!;
        const input = applyEdits(src.bytes, list);
        const file = join(dir, `in.${src.ext}`);
        const argv =
          command === 'info' ? ['info', file] : command === 'convert' ? ['convert', file, join(dir, `out.${outExt}`)] : ['svd', file, '--rank', '2'];
        const r = await cliSurvives(file, input, argv);
        // The undamaged files are read by every command.
        if (list.length === 0) assert.equal(r.code, 0, `${name}: ${r.err}`);
      },
    ),
    runs(404, 300),
  );
});

/** Exit code and streams of one CLI run in the child of {@link runIsolated}, with its CPU time. */
interface IsolatedRun extends Run {
  argv: string[];
  cpuMs: number;
}

/**
 * Run each argv through the CLI's `main` in one child process, so a case that allocates
 * gigabytes or never ends can be stopped (SIGKILL after `limitMs` of wall time on one case)
 * without taking this test process down. Resolves with the finished runs and the argv of the
 * case that was killed, if any.
 */
function runIsolated(cases: string[][], limitMs: number): Promise<{ done: IsolatedRun[]; killed?: string[] }> {
  const code = `
const { main } = await import(${JSON.stringify(new URL('../../src/cli/run.ts', import.meta.url).href)});
for (const argv of ${JSON.stringify(cases)}) {
  process.stdout.write(JSON.stringify({ start: argv }) + '\\n');
  let out = '';
  let err = '';
  const cpu0 = process.cpuUsage();
  const code = await main(argv, { stdout: { write: (s) => void (out += s) }, stderr: { write: (s) => void (err += s) } });
  const d = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ argv, code, out, err, cpuMs: (d.user + d.system) / 1000 }) + '\\n');
}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    const done: IsolatedRun[] = [];
    let current: string[] | undefined;
    let killed: string[] | undefined;
    let timer: NodeJS.Timeout | undefined;
    let buffered = '';
    let stderr = '';
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        killed = current;
        child.kill('SIGKILL');
      }, limitMs);
    };
    arm(); // the child's start-up counts against the first case
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const msg = JSON.parse(buffered.slice(0, nl)) as { start?: string[] } & IsolatedRun;
        buffered = buffered.slice(nl + 1);
        if (msg.start) {
          current = msg.start;
          arm();
        } else done.push(msg);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (killed === undefined && code !== 0) reject(new Error(`the CLI driver exited ${code}: ${stderr}`));
      else resolve({ done, killed });
    });
  });
}

test('info, convert and svd on files declaring huge sizes fail with one line, without allocating for them', async () => {
  let npyHeader = "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483648, 2147483648), }";
  while ((11 + npyHeader.length) % 64 !== 0) npyHeader += ' ';
  const npyPre = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  new DataView(npyPre.buffer).setUint16(8, npyHeader.length + 1, true);
  const files: [string, Uint8Array][] = [
    ['huge.npy', Buffer.concat([npyPre, text(`${npyHeader}\n`), new Uint8Array(64)])],
    ['huge-coordinate.mtx', text('%%MatrixMarket matrix coordinate real general\n50000000 50000000 1\n1 1 1\n')],
    ['huge-array.mtx', text('%%MatrixMarket matrix array real general\n50000000 50000000\n1\n')],
    ['tall.mtx', text('%%MatrixMarket matrix coordinate real general\n2147483647 3 1\n5 2 1\n')],
  ];
  const cases: string[][] = [];
  for (const [name, bytes] of files) {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    cases.push(['info', file], ['convert', file, join(dir, 'huge-out.npy')], ['svd', file, '--rank', '2']);
  }
  const { done, killed } = await runIsolated(cases, 30_000);
  const problems: string[] = [];
  if (killed) problems.push(`lowrank ${killed.join(' ')}: still running after 30 s (killed)`);
  for (const r of done) {
    const what = `lowrank ${r.argv.join(' ')}: exit ${r.code}, ${r.cpuMs.toFixed(0)} ms of CPU, stderr ${JSON.stringify(r.err)}, stdout ${JSON.stringify(r.out.slice(0, 80))}`;
    // `info` may describe the file (it reads the size line only); everything else must refuse.
    const described = r.argv[0] === 'info' && r.code === 0;
    if (!described && !(r.code === 1 && /^lowrank: [^\n]+\n$/.test(r.err) && !/internal error/.test(r.err) && r.out === '')) problems.push(what);
    else if (r.cpuMs > SLOW_MS) problems.push(`${what}: too slow`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('recommend train on damaged ratings files', async () => {
  const synthetic = syntheticRatings({ users: 10, items: 8, ratings: 30, seed: 2 });
  const sources: Record<string, Uint8Array> = {
    synthetic: Buffer.concat([...encodeRatings(synthetic)].map((c) => c.slice())),
    movielens: text('1::1193::5::978300760\n1::661::3::978302109\n2::1357::5::978298709\n2::661::4::978298710\n'),
  };
  const file = join(dir, 'ratings.csv');
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...Object.keys(sources)), edits(60, '0123456789,:;\t| "\n\r.-eEuseritemrating'), async (name, list) => {
      await cliSurvives(file, applyEdits(sources[name]!, list), ['recommend', 'train', '--ratings', file, '--algo', 'baseline', '--out', join(dir, 'trained.lrm')]);
    }),
    runs(77, 120),
  );
});

test('recommend predict --model on damaged .lrm files', async () => {
  const model = new FunkSVD({ factors: 3, epochs: 2, seed: 1, threads: 1 }).fit(syntheticRatings({ users: 12, items: 9, ratings: 50, seed: 6 }));
  const bytes = model.toBytes();
  const file = join(dir, 'model.lrm');
  // The undamaged model predicts.
  const ok = await cliSurvives(file, bytes, ['recommend', 'predict', '--model', file, '--user', '1', '--item', '2']);
  assert.equal(ok.code, 0);
  await fc.assert(
    fc.asyncProperty(edits(300, '0123456789.,:[]{}"-eE'), async (list) => {
      await cliSurvives(file, applyEdits(bytes, list), ['recommend', 'predict', '--model', file, '--user', '1', '--item', '2']);
    }),
    runs(88, 250),
  );
  // Declared sizes far beyond the file: the u64 length, and the metadata length.
  for (const [at, value] of [
    [8, 0xffffffff],
    [12, 0x001fffff],
    [20, 0xfffffff0],
  ] as const) {
    const b = bytes.slice();
    new DataView(b.buffer).setUint32(at, value, true);
    const r = await cliSurvives(file, b, ['recommend', 'predict', '--model', file, '--user', '1', '--item', '2']);
    assert.equal(r.code, 1, `u32 at ${at} = ${value}`);
  }
});

test('compress --rank 2 on damaged PNG files', async () => {
  const ramp = (n: number, mul: number): Uint8Array => Uint8Array.from({ length: n }, (_, k) => (k * mul) & 255);
  const sources: Record<string, Uint8Array> = {
    gray: encodePng({ width: 6, height: 5, channels: 1, data: ramp(30, 9) }),
    rgba: encodePng({ width: 5, height: 4, channels: 4, data: ramp(80, 7) }),
    rgb16: encodePng({ width: 4, height: 3, channels: 3, data: Uint16Array.from({ length: 36 }, (_, k) => k * 1800) }),
  };
  const file = join(dir, 'image.png');
  const out = join(dir, 'image-2.png');
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...Object.keys(sources)), fc.oneof(edits(60, 'IHDRIDATIENDPLTEtRNS'), fc.constant([] as Edit[])), fc.boolean(), async (name, list, write) => {
      const r = await cliSurvives(file, applyEdits(sources[name]!, list), ['compress', file, '--rank', '2', ...(write ? ['--out', out] : [])]);
      if (list.length === 0) assert.equal(r.code, 0, `${name}: ${r.err}`);
    }),
    runs(99, 250),
  );
  // 20000 x 20000 declared: refused with one line, before anything is decompressed.
  const big = Buffer.from(sources['gray']!);
  big.writeUInt32BE(20000, 16);
  big.writeUInt32BE(20000, 20);
  big.writeUInt32BE(crc32(big.subarray(12, 29)), 29);
  const r = await cliSurvives(file, big, ['compress', file, '--rank', '2']);
  assert.equal(r.code, 1);
  assert.match(r.err, /20000/);
});
