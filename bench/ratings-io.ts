// Ratings file parsing: lines per second and peak memory of readRatings on a synthetic
// MovieLens-10M-shaped file (default 10M lines `user,item,rating,timestamp`), next to
// numpy.loadtxt on the same file (pandas is not installed here). Each parse runs in a fresh
// process so its peak RSS is its own. Best of 3; the machine is shared, timings are noisy.
//
//   node --import tsx bench/ratings-io.ts [lines=10000000] [--keep]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRatings, writeRatings } from '../src/io/ratings.js';
import { syntheticRatings } from '../src/models/recommend/data/synthetic.js';
import { machine, runPython, table } from './util.js';

const self = fileURLToPath(import.meta.url);

async function child(path: string): Promise<void> {
  let best = Infinity;
  let size = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    const r = await readRatings(path);
    best = Math.min(best, (performance.now() - t0) / 1000);
    size = r.size;
  }
  console.log(JSON.stringify({ seconds: best, rows: size, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!);
  // --quick: 1M lines instead of 10M.
  const lines = Number(args.find((a) => /^\d+$/.test(a)) ?? (args.includes('--quick') ? 1_000_000 : 10_000_000));
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-ratings-bench-'));
  const path = join(dir, 'ratings.csv');
  try {
    const t0 = performance.now();
    const r = syntheticRatings({ users: 69_878, items: 10_677, ratings: lines, timestamps: true, seed: 1 });
    const tGen = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await writeRatings(path, r, { header: false });
    const tWrite = (performance.now() - t1) / 1000;
    const mb = statSync(path).size / 2 ** 20;
    console.log(`# ratings-io: ${lines} lines, ${mb.toFixed(0)} MiB (${machine()})`);
    console.log(`synthetic generation ${tGen.toFixed(2)} s, writeRatings ${tWrite.toFixed(2)} s (${(lines / tWrite / 1e6).toFixed(2)} M lines/s)`);
    const ours = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', path], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (ours.status !== 0) throw new Error(ours.stderr);
    const o = JSON.parse(ours.stdout.trim().split('\n').pop()!) as { seconds: number; rows: number; peakRssMiB: number };
    const ref = runPython(join(self, '../ref/ratings_loadtxt.py'), [path, '1']);
    const rows: (string | number)[][] = [['lowrank readRatings', o.seconds, lines / o.seconds / 1e6, o.peakRssMiB]];
    if (ref) rows.push(['numpy.loadtxt (f64)', ref.seconds!, lines / ref.seconds! / 1e6, ref.peakRssMiB!]);
    console.log(table(['parser', 'seconds (best)', 'M lines/s', 'peak RSS MiB'], rows));
    if (ref) console.log(`speedup vs numpy.loadtxt: ${(ref.seconds! / o.seconds).toFixed(1)}x`);
  } finally {
    if (!args.includes('--keep') && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
