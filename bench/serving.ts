// Serving at catalogue scale (issue 22): the top 10 of one user over 1,000,000 items x 100
// factors (`model.recommend`), the same on a MovieLens-sized catalogue (8,364 items), and the
// top 10 of every user (`model.recommendBatch`, what `lowrank recommend top --all` runs:
// Spark's recommendForAllUsers), against numpy on the same factors in the same invocation
// (bench/ref/serving_numpy.py: Q @ p + b, argpartition, argsort of the n; batched products
// for every user). One thread on both sides (setThreads(1), OPENBLAS_NUM_THREADS=1). Times
// are CPU time (process.cpuUsage, Python's time.process_time): on this shared 2-core VM wall
// time measures the other processes. Rounds alternate numpy and lowrank; each side keeps
// its best. The scalar loop lowrank used before (every item scored in float64 by a
// TypeScript loop, then a heap) is timed too, and lowrank's lists are checked against it
// (they must be equal) and compared with numpy's (float32 sums: near-ties may swap).
// Usage: npx tsx bench/serving.ts [--items 1000000] [--factors 100] [--users 20]
//          [--all-items 100000] [--all-users 2000] [--rounds 2] [--no-ref]
//        --quick: 200,000 items, 10 users, 500 users x 20,000 items for every user, one round
// (python with numpy: $NUMPY_PYTHON, else /tmp/ref-venv/bin/python, else python3)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernels, setThreads } from '../src/kernels/index.js';
import { mapIdSpace } from '../src/models/recommend/data/id-space.js';
import { LatentFactorModel } from '../src/models/recommend/model/latent-factor-model.js';
import type { FactorModelState } from '../src/models/recommend/model/state.js';
import { topN } from '../src/models/recommend/model/top-n.js';
import { machine, table } from './util.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string): number => {
  const i = args.indexOf(name);
  return Number(i >= 0 ? args[i + 1]! : def);
};
const quick = args.includes('--quick');
const ITEMS = opt('--items', quick ? '200000' : '1000000');
const F = opt('--factors', '100');
const USERS = opt('--users', quick ? '10' : '20');
const ALL_ITEMS = opt('--all-items', quick ? '20000' : '100000');
const ALL_USERS = opt('--all-users', quick ? '500' : '2000');
const ROUNDS = opt('--rounds', quick ? '1' : '2');
const N = 10;
const SEEN = 50;
const noRef = args.includes('--no-ref');
const here = new URL('.', import.meta.url).pathname;
const python = process.env.NUMPY_PYTHON ?? (existsSync('/tmp/ref-venv/bin/python') ? '/tmp/ref-venv/bin/python' : 'python3');
const dir = mkdtempSync(join(tmpdir(), 'lowrank-serving-bench-'));

// xorshift32 uniforms in [-0.5, 0.5): 10^8 values in well under a second.
function filler(seed: number): (a: Float32Array, scale: number) => void {
  let s = seed >>> 0 || 1;
  return (a, scale) => {
    for (let i = 0; i < a.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      a[i] = ((s >>> 0) / 4294967296 - 0.5) * scale;
    }
  };
}

/** An explicit, biased model of `users` x `items` with random factors and SEEN seen items per user. */
function makeState(users: number, items: number, seed: number): FactorModelState {
  const fill = filler(seed);
  const P = new Float32Array(users * F);
  const Q = new Float32Array(items * F);
  const bu = new Float32Array(users);
  const bi = new Float32Array(items);
  fill(P, 0.4);
  fill(Q, 0.4);
  fill(bu, 0.6);
  fill(bi, 0.6);
  const indptr = new Int32Array(users + 1);
  const seen = new Int32Array(users * SEEN + items);
  let r = (seed * 2654435761) >>> 0 || 1;
  for (let u = 0; u < users; u++) {
    for (let k = 0; k < SEEN; k++) {
      r ^= r << 13;
      r ^= r >>> 17;
      r ^= r << 5;
      seen[u * SEEN + k] = (r >>> 0) % items;
    }
    indptr[u + 1] = (u + 1) * SEEN;
  }
  // Every item has a training rating (from the last user, so it is not excluded for the others).
  for (let j = 0; j < items; j++) seen[users * SEEN + j] = j;
  indptr[users] = seen.length;
  const ids = mapIdSpace(Array.from({ length: users }, (_, i) => String(i)), Array.from({ length: items }, (_, i) => String(i)));
  return {
    algorithm: 'als', kind: 'explicit', ids, factors: F, globalMean: 3.5, userBias: bu, itemBias: bi,
    userFactors: P, itemFactors: Q, ratingScale: [0.5, 5], seenIndptr: indptr, seenItems: seen, hyperparameters: {},
  };
}

function writeRaw(prefix: string, s: FactorModelState, users: number): void {
  const w = (name: string, a: ArrayBufferView) => writeFileSync(join(dir, prefix + name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  w('Q.f32', s.itemFactors);
  w('b.f32', s.itemBias);
  // The benchmarked users only (not the last one, whose row marks every item as trained).
  w('P.f32', s.userFactors.subarray(0, users * F));
  w('bu.f32', s.userBias.subarray(0, users));
  w('seen_indptr.i32', s.seenIndptr.subarray(0, users + 1));
  w('seen.i32', s.seenItems.subarray(0, users * SEEN));
}

/** The scalar loop lowrank ranked with before (float64 scores of every item, then topN). */
function scalarTop(s: FactorModelState, u: number): Int32Array {
  const ni = s.ids.itemIds.length;
  const scores = new Float64Array(ni);
  const xs = new Float64Array(F);
  for (let a = 0; a < F; a++) xs[a] = s.userFactors[u * F + a]!;
  const base = s.globalMean + s.userBias[u]!;
  for (let j = 0; j < ni; j++) {
    let d = 0;
    for (let a = 0; a < F; a++) d += xs[a]! * s.itemFactors[j * F + a]!;
    scores[j] = base + s.itemBias[j]! + d;
  }
  const skip = new Uint8Array(ni);
  for (let p = s.seenIndptr[u]!; p < s.seenIndptr[u + 1]!; p++) skip[s.seenItems[p]!] = 1;
  return topN(scores, N, skip);
}

function cpuMs<T>(f: () => T): [number, T] {
  const c0 = process.cpuUsage();
  const out = f();
  const c = process.cpuUsage(c0);
  return [(c.user + c.system) / 1000, out];
}

interface Ref {
  single_ms_best?: number;
  single_ms_median?: number;
  single_lists?: number[][];
  all_seconds?: number;
  all_batch?: number;
  all_lists?: number[][];
}

function reference(parts: string[]): Ref {
  if (noRef) return {};
  const r = spawnSync(python, [`${here}ref/serving_numpy.py`, dir, String(N), ...parts], {
    encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (r.status !== 0) {
    console.error(`reference failed: ${r.stderr || r.error}`);
    return {};
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Ref;
}

const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, k) => v === b[k]);

kernels();
setThreads(1);
console.log(`# serving: top-${N} recommendations — ${machine()}, backend ${kernels().name}, one thread each, CPU time, ${ROUNDS} rounds alternating numpy and lowrank`);

try {
  // ---- one user at a time: a MovieLens-sized catalogue, then ITEMS items.
  const rows: (string | number)[][] = [];
  for (const items of [8364, ITEMS]) {
    const s = makeState(USERS + 1, items, 7 + items);
    const model = new LatentFactorModel(s);
    writeRaw('', s, USERS);
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ items, users: USERS, factors: F, mu: s.globalMean, single_users: USERS, all_items: 0, all_users: 0 }));
    const [firstMs] = cpuMs(() => model.recommend('0', { n: N }));
    let ours = Infinity;
    let oursMed = Infinity;
    let refBest = Infinity;
    let refMed = Infinity;
    let refLists: number[][] = [];
    let lists: Int32Array[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const ref = reference(['single']);
      if (ref.single_ms_best !== undefined) {
        refBest = Math.min(refBest, ref.single_ms_best);
        refMed = Math.min(refMed, ref.single_ms_median!);
        refLists = ref.single_lists!;
      }
      const times: number[] = [];
      lists = [];
      for (let u = 0; u < USERS; u++) {
        const [ms, rec] = cpuMs(() => model.recommend(String(u), { n: N }));
        times.push(ms);
        lists.push(Int32Array.from(rec, (r) => Number(r.item)));
      }
      ours = Math.min(ours, Math.min(...times));
      oursMed = Math.min(oursMed, median(times));
    }
    // The scalar loop of before, on a few users, and the check that the lists agree with it.
    const scalarTimes: number[] = [];
    let equalScalar = 0;
    const checkUsers = Math.min(USERS, items > 100000 ? 3 : USERS);
    for (let u = 0; u < checkUsers; u++) {
      const [ms, top] = cpuMs(() => scalarTop(s, u));
      scalarTimes.push(ms);
      if (same(top, lists[u]!)) equalScalar++;
    }
    const equalNumpy = refLists.filter((l, u) => same(l, lists[u]!)).length;
    rows.push([
      `${items.toLocaleString('en-US')} x ${F}`, firstMs.toFixed(1), ours.toFixed(2), oursMed.toFixed(2), Math.min(...scalarTimes).toFixed(2),
      Number.isFinite(refBest) ? refBest.toFixed(2) : '-', Number.isFinite(refMed) ? refMed.toFixed(2) : '-',
      Number.isFinite(refMed) ? (oursMed / refMed).toFixed(2) : '-', `${equalScalar}/${checkUsers}`, refLists.length ? `${equalNumpy}/${refLists.length}` : '-',
    ]);
  }
  console.log(`\none user, top ${N} of the unseen items (${SEEN} seen), ms of CPU per user over ${USERS} users:`);
  console.log(table(['items x factors', 'first call (copy)', 'lowrank best', 'lowrank median', 'scalar loop (before)', 'numpy best', 'numpy median', 'ratio (median)', 'lists = scalar loop', 'lists = numpy'], rows));

  // ---- every user.
  const s = makeState(ALL_USERS + 1, ALL_ITEMS, 99);
  const model = new LatentFactorModel(s);
  writeRaw('all_', s, ALL_USERS);
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ items: 0, users: 0, factors: F, mu: s.globalMean, single_users: 0, all_items: ALL_ITEMS, all_users: ALL_USERS }));
  const users = Int32Array.from({ length: ALL_USERS }, (_, u) => u);
  model.recommend('0', { n: N }); // the one-time copy, timed above
  let ours = Infinity;
  let refAll = Infinity;
  let refLists: number[][] = [];
  let first: Int32Array[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ref = reference(['all']);
    if (ref.all_seconds !== undefined) {
      refAll = Math.min(refAll, ref.all_seconds);
      refLists = ref.all_lists!;
    }
    const [ms, res] = cpuMs(() => {
      // In chunks of 1024 users, as the CLI streams them.
      const out: Int32Array[] = [];
      for (let u0 = 0; u0 < users.length; u0 += 1024) for (const r of model.recommendBatch(users.subarray(u0, u0 + 1024), { n: N })) out.push(r.items);
      return out;
    });
    ours = Math.min(ours, ms / 1000);
    first = res;
  }
  let equalScalar = 0;
  for (let u = 0; u < 5; u++) if (same(scalarTop(s, u), first[u]!)) equalScalar++;
  const equalNumpy = refLists.filter((l, u) => same(l, first[u]!)).length;
  console.log(`\nevery user: ${ALL_USERS.toLocaleString('en-US')} users x ${ALL_ITEMS.toLocaleString('en-US')} items x ${F} factors, top ${N} each, CPU seconds:`);
  console.log(table(['lowrank recommendBatch', 'numpy batched argpartition', 'ratio', 'lists = scalar loop (5 users)', 'lists = numpy (5 users)'], [[
    ours.toFixed(2), Number.isFinite(refAll) ? refAll.toFixed(2) : '-', Number.isFinite(refAll) ? (ours / refAll).toFixed(2) : '-', `${equalScalar}/5`, refLists.length ? `${equalNumpy}/${refLists.length}` : '-',
  ]]));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
