// .npy I/O as a user meets it: whole-process wall and CPU time of `lowrank info` on a 32 MiB
// .npy (2048 x 2048 float64) and of `lowrank convert A.npy B.npy` from C- and Fortran-order
// files, next to numpy doing the same in one Python process (bench/ref/npy_io.py), plus
// the bare start-up of each (`node -e 0`, `python -c "import numpy"`). Every timing is a
// fresh process timed from here (CPU = user + system of the child, through /usr/bin/time
// where it exists); rounds alternate lowrank and numpy, and each column shows the best and
// the median of the rounds (the machine is shared: say in BENCHMARKS.md whether it was
// quiet; CPU time suffers less from the load than wall time). `info` on a float .npy runs
// the CLI's fast path (src/cli/commands/info-fast.ts); the last row is its time beyond
// Node's own start-up (median info minus median `node -e 0`), the part lowrank controls. The CLI runs from dist/ as the `lowrank`
// command does (dist/bin/lowrank.js, the bundle): run `npm run build:ts` first.
//
//   node --import tsx bench/npy-io.ts [--rounds N] [--n 2048] [--quick] [--cli path/to/main.js]
//   (--cli dist/cli/main.js: tsc's unbundled output, or a copy of dist/ from before a change;
//    python with numpy: $NUMPY_PYTHON, else /tmp/ref-venv/bin/python, else python3)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNpySync } from '../src/io/npy.js';
import { Matrix } from '../src/matrix/matrix.js';
import { machine, table } from './util.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const ref = join(here, 'ref/npy_io.py');
const python = process.env.NUMPY_PYTHON ?? (existsSync('/tmp/ref-venv/bin/python') ? '/tmp/ref-venv/bin/python' : 'python3');

const args = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const quick = args.includes('--quick');
const rounds = flag('--rounds', quick ? 3 : 7);
const n = flag('--n', 2048);
// --cli PATH: another build of the CLI (e.g. a copy of dist/ from before a change).
const cli = args.includes('--cli') ? args[args.indexOf('--cli') + 1]! : join(here, '../dist/bin/lowrank.js');

const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME);

/** Wall and CPU seconds (user + system; NaN without /usr/bin/time) of one process. */
function run(cmd: string, argv: string[]): [number, number] {
  const t0 = performance.now();
  const r = haveTime
    ? spawnSync(TIME, ['-f', 'CPU %U %S', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 24 })
    : spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const t = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return [t, m ? Number(m[1]) + Number(m[2]) : NaN];
}

if (!existsSync(cli)) {
  console.error('bench/npy-io.ts runs the CLI from dist/: run `npm run build:ts` first');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'lowrank-npy-io-'));
try {
  // A seeded pseudo-random matrix (values in [-1, 1)), written in both orders.
  const data = new Float64Array(n * n);
  let s = 12345;
  for (let k = 0; k < data.length; k++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[k] = s / 2 ** 31 - 1;
  }
  const A = new Matrix(data, n, n);
  const fileC = join(dir, 'A_C.npy');
  const fileF = join(dir, 'A_F.npy');
  writeNpySync(fileC, A, { fortranOrder: false });
  writeNpySync(fileF, A, { fortranOrder: true });
  const out = join(dir, 'B.npy');
  const outRef = join(dir, 'B_ref.npy');

  const tasks: { name: string; ours: () => [number, number]; theirs: () => [number, number]; target?: string }[] = [
    { name: 'start-up (node -e 0 / import numpy)', ours: () => run(process.execPath, ['-e', '0']), theirs: () => run(python, [ref, 'startup']) },
    { name: `info, ${n} x ${n} f8, C order`, ours: () => run(process.execPath, [cli, 'info', fileC]), theirs: () => run(python, [ref, 'info', fileC]), target: '< 0.15 s' },
    { name: `convert C-order ${n} x ${n} f8`, ours: () => run(process.execPath, [cli, 'convert', fileC, out]), theirs: () => run(python, [ref, 'convert', fileC, outRef]), target: '<= 1.3x' },
    { name: `convert F-order ${n} x ${n} f8`, ours: () => run(process.execPath, [cli, 'convert', fileF, out]), theirs: () => run(python, [ref, 'convert', fileF, outRef]), target: '<= 1.3x' },
  ];
  // samples[task][side] = [[wall, cpu], ...], side 0 lowrank, 1 numpy
  const samples = tasks.map(() => [[], []] as [number, number][][]);
  for (let r = 0; r < rounds; r++) {
    tasks.forEach((t, i) => {
      // Alternate which side goes first, so neither always meets a warmer page cache.
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const side of order) samples[i]![side]!.push(side === 0 ? t.ours() : t.theirs());
    });
  }
  const best = (xs: number[]): number => Math.min(...xs);
  const median = (xs: number[]): number => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
  };
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  const col = (i: number, side: number, k: number): number[] => samples[i]![side]!.map((s) => s[k]!);
  console.log(`# npy-io: whole process, best / median of ${rounds} alternating rounds (${machine()}); CLI ${cli}`);
  const rows = tasks.map((t, i) => {
    const [ow, tw, oc, tc] = [col(i, 0, 0), col(i, 1, 0), col(i, 0, 1), col(i, 1, 1)];
    return [
      t.name,
      `${f(best(ow))} / ${f(median(ow))}`,
      `${f(best(tw))} / ${f(median(tw))}`,
      (median(ow) / median(tw)).toFixed(2) + 'x',
      `${f(best(oc))} / ${f(median(oc))}`,
      `${f(best(tc))} / ${f(median(tc))}`,
      Number.isFinite(median(oc) / median(tc)) ? (median(oc) / median(tc)).toFixed(2) + 'x' : 'n/a',
      t.target ?? '',
    ];
  });
  const own = (k: number): string => f(median(col(1, 0, k)) - median(col(0, 0, k)));
  rows.push(['info beyond node -e 0 (median)', own(0), '', '', own(1), '', '', '< ~0.04 s']);
  console.log(table(['task', 'lowrank wall s (best / median)', 'numpy wall s', 'ratio (medians)', 'lowrank CPU s', 'numpy CPU s', 'ratio (CPU medians)', 'target'], rows));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
