// TT-SVD (Oseledets 2011, Algorithm 1) of 8^8 tensors (16.8M entries, 134 MB), lowrank's
// ttSvd against the same algorithm in numpy on one thread (bench/ref/tt_svd.py, run with
// OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS=1 in the same invocation): the
// textbook version with np.linalg.svd of each unfolding (as ttpy and TensorLy), and, for
// reference, numpy with the Gram-matrix steps lowrank takes when eps allows.
// Tensors (written by the reference): "inv", 1/(1 + x_1 + ... + x_8) on linspace(0, 1, 8)^8;
// "tt12", a random TT of ranks 12 plus noise of relative size 1e-9.
// lowrank runs on one thread (setThreads(1)) and with the default threads; each side keeps
// its best of --reps runs (default 3; the first lowrank run also pays the WASM memory growth).
// Memory: each case also runs once in a fresh process (--memory FILE EPS), which reports the
// peak of the kernels' memory allocated during one ttSvd call (where all its large buffers live).
// Usage: npx tsx bench/tt.ts [--reps N] [--quick]   (--quick: one repetition)   (python with numpy: $SKLEARN_PYTHON, else /tmp/ref-venv/bin/python, else python3)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTensor } from '../src/io/npy.js';
import { activeWasm, getThreads, kernels, setThreads } from '../src/kernels/index.js';
import { ttSvd, type TtSvdResult } from '../src/models/tensor/tt-svd.js';
import { Tensor } from '../src/tensor/tensor.js';
import { machine, table } from './util.js';

const here = new URL('.', import.meta.url).pathname;
const python = process.env.SKLEARN_PYTHON ?? (existsSync('/tmp/ref-venv/bin/python') ? '/tmp/ref-venv/bin/python' : 'python3');
const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg >= 0 ? Number(process.argv[repsArg + 1]) : process.argv.includes('--quick') ? 1 : 3;

const memArg = process.argv.indexOf('--memory');
if (memArg >= 0) {
  // Child mode: one call in a fresh process, after a small warm-up call; prints the peak of
  // the kernels' memory allocated during the call (every large buffer of ttSvd lives there)
  // and the growth of the resident set, in MB.
  const T = await readTensor(process.argv[memArg + 1]!);
  ttSvd(Tensor.random([8, 8, 8, 8, 8, 8], { seed: 1 }), { eps: 1e-12 });
  const heap = activeWasm()!.heap;
  const base = heap.allocated;
  let peak = 0;
  const malloc = heap.malloc.bind(heap);
  heap.malloc = (bytes: number) => {
    const p = malloc(bytes);
    peak = Math.max(peak, heap.allocated - base);
    return p;
  };
  const rss0 = process.memoryUsage().rss;
  const { tt } = ttSvd(T, { eps: Number(process.argv[memArg + 2]) });
  const MB = 2 ** 20;
  console.log(JSON.stringify({ peakMB: peak / MB, rssMB: (process.memoryUsage().rss - rss0) / MB, workMB: (tt.ranks[1]! * (T.size / T.shape[0]!) * 8) / MB }));
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'lowrank-tt-bench-'));

interface Variant { seconds: number; ranks: number[]; relative_error: number }
interface RefRow { case: string; eps: number; svd: Variant; gram: Variant }

kernels();
const defaultThreads = getThreads();
console.log(`# TT-SVD of 8^8 tensors — ${machine()}, backend ${kernels().name}; numpy on 1 thread, best of ${REPS}`);
const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
const ref = spawnSync(python, [`${here}ref/tt_svd.py`, dir, String(REPS)], { encoding: 'utf8', env, maxBuffer: 1 << 24 });
if (ref.status !== 0) {
  console.error(`reference failed: ${ref.stderr || ref.error}`);
  process.exit(1);
}
const refs = (JSON.parse(ref.stdout.trim().split('\n').pop()!) as { numpy: string; results: RefRow[] });

function best(eps: number, threads: number, T: Tensor): [number, TtSvdResult] {
  setThreads(threads);
  let t = Infinity;
  let out: TtSvdResult | undefined;
  for (let k = 0; k < REPS; k++) {
    const t0 = performance.now();
    out = ttSvd(T, { eps });
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return [t, out!];
}

const rows: (string | number)[][] = [];
for (const r of refs.results) {
  const T = await readTensor(join(dir, `${r.case}.npy`));
  const [t1, res] = best(r.eps, 1, T);
  const [tn] = best(r.eps, defaultThreads, T);
  const mem = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--memory', join(dir, `${r.case}.npy`), String(r.eps)], { encoding: 'utf8' });
  const { peakMB, workMB } = JSON.parse(mem.stdout.trim().split('\n').pop()!) as { peakMB: number; workMB: number };
  rows.push([
    r.case, r.eps.toExponential(0),
    res.tt.ranks.slice(1, -1).join(','), r.svd.ranks.slice(1, -1).join(','),
    `${res.relativeError.toExponential(2)} / ${r.svd.relative_error.toExponential(2)}`,
    r.svd.seconds, r.gram.seconds, t1, tn, (t1 / r.svd.seconds).toFixed(3), (t1 / r.gram.seconds).toFixed(2),
    `${workMB.toFixed(0)} MB`, `${peakMB.toFixed(0)} MB`,
  ]);
}
setThreads(defaultThreads);
console.log(table(
  ['tensor', 'eps', 'ranks lowrank', 'ranks numpy', 'rel. error lowrank / numpy', 'numpy svd (s)', 'numpy gram (s)', 'lowrank 1 thread (s)', `lowrank ${defaultThreads} threads (s)`, 'ratio vs numpy svd', 'ratio vs numpy gram', 'work array', 'peak extra memory'],
  rows.map((row) => row.map((v) => (typeof v === 'number' ? Number(v.toPrecision(3)) : v))),
));
console.log(`\nnumpy ${refs.numpy}; each tensor is 128 MB. Work array: the r_1 x N_1 remainder after the first step, worked on in place; peak extra memory: the most of the kernels' memory allocated at once during one call (work array plus chunk buffers), in a fresh process after a small warm-up call.`);
rmSync(dir, { recursive: true, force: true });
