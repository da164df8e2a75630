// Columnar ratings input (issue 22): readRatings on the same N-row table (int32 userId and
// movieId, float32 rating, int64 timestamp) as CSV, Parquet (snappy, 1M-row row groups) and
// Feather (Arrow IPC, LZ4 frames), next to pyarrow reading each on one thread
// (bench/ref/columnar_pyarrow.py writes the files with pyarrow and times its readers).
// CPU seconds (the box is shared: wall time is noise), best of 3 (1 with --quick), each format in a fresh
// process so its peak RSS is its own.
//
//   node --import tsx bench/columnar-io.ts [rows=5000000] [--quick]   (python with pyarrow: $PYARROW_PYTHON, else /tmp/ref-venv/bin/python)
//   --quick: 500,000 rows and one read per format on each side (npm run bench -- --quick)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRatings } from '../src/io/ratings.js';
import { machine, table } from './util.js';

const self = fileURLToPath(import.meta.url);
const here = new URL('.', import.meta.url).pathname;
const python = process.env.PYARROW_PYTHON ?? (existsSync('/tmp/ref-venv/bin/python') ? '/tmp/ref-venv/bin/python' : 'python3');

async function child(path: string, reps: number): Promise<void> {
  let best = Infinity;
  let rows = 0;
  for (let rep = 0; rep < reps; rep++) {
    const c0 = process.cpuUsage();
    const r = await readRatings(path);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1e6);
    rows = r.size;
  }
  console.log(JSON.stringify({ cpu: best, rows, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, Number(args[2]));
  const quick = args.includes('--quick');
  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? (quick ? 500_000 : 5_000_000));
  const reps = quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-columnar-bench-'));
  try {
    const ref = spawnSync(python, [`${here}ref/columnar_pyarrow.py`, dir, String(n), String(reps)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (ref.status !== 0) {
      console.error(`reference failed (pyarrow needed): ${ref.stderr || ref.error}`);
      process.exit(1);
    }
    const py = JSON.parse(ref.stdout.trim().split('\n').pop()!) as Record<string, number>;
    const rows: (string | number)[][] = [];
    for (const [fmt, file] of [['csv', 'r.csv'], ['parquet', 'r.parquet'], ['feather', 'r.feather']] as const) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', join(dir, file), String(reps)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(r.stderr);
      const ours = JSON.parse(r.stdout.trim().split('\n').pop()!) as { cpu: number; rows: number; peakRssMiB: number };
      if (ours.rows !== n) throw new Error(`${fmt}: read ${ours.rows} rows, expected ${n}`);
      rows.push([fmt, ours.cpu, ours.peakRssMiB, py[fmt]!, ours.cpu / py[fmt]!]);
    }
    console.log(`columnar ratings input, ${n.toLocaleString('en')} rows; ${machine()}`);
    console.log(table(['format', 'lowrank readRatings CPU s', 'peak RSS MiB', 'pyarrow CPU s (1 thread)', 'ratio'], rows));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
