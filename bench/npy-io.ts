// .npy I/O as a user meets it: whole-process wall and CPU time of `lowrank info` on a 32 MiB
// .npy (2048 x 2048 float64) and of `lowrank convert A.npy B.npy` from C- and Fortran-order
// files, next to numpy doing the same in one Python process (bench/ref/npy_io.py), plus
// the bare start-up of each (`node -e 0`, `python -c "import numpy"`). Every timing is a
// fresh process timed from here (CPU = user + system of the child, through /usr/bin/time
// where it exists); rounds alternate lowrank and numpy, and the best of the rounds is kept
// for each column (the machine is shared: say in BENCHMARKS.md whether it was quiet; CPU
// time suffers less from the load than wall time). The CLI runs from dist/ as the `lowrank`
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
  // best[task][side] = [wall, cpu], side 0 lowrank, 1 numpy
  const best = tasks.map(() => [
    [Infinity, Infinity],
    [Infinity, Infinity],
  ]);
  for (let r = 0; r < rounds; r++) {
    tasks.forEach((t, i) => {
      // Alternate which side goes first, so neither always meets a warmer page cache.
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const side of order) {
        const [wall, cpu] = side === 0 ? t.ours() : t.theirs();
        const b = best[i]![side]!;
        b[0] = Math.min(b[0]!, wall);
        b[1] = Math.min(b[1]!, cpu);
      }
    });
  }
  const f = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  console.log(`# npy-io: whole process, best of ${rounds} alternating rounds (${machine()}); CLI ${cli}`);
  console.log(
    table(
      ['task', 'lowrank wall s', 'numpy wall s', 'ratio (wall)', 'lowrank CPU s', 'numpy CPU s', 'ratio (CPU)', 'target'],
      tasks.map((t, i) => {
        const [[ow, oc], [tw, tc]] = best[i]! as [[number, number], [number, number]];
        return [t.name, f(ow), f(tw), (ow / tw).toFixed(2) + 'x', f(oc), f(tc), Number.isFinite(oc / tc) ? (oc / tc).toFixed(2) + 'x' : 'n/a', t.target ?? ''];
      }),
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
