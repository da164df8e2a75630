// Rank-64 compression of a 2048 x 2048 float32 weight stored as safetensors, the whole
// pipeline (read the file, randomized SVD, split the singular values into A and B, measure
// ||W - B A||_F / ||W||_F, write the factors as safetensors), against scikit-learn's
// randomized_svd with the same file read by Python's safetensors in the same invocation
// (bench/ref/weights_sklearn.py). Both sides use scikit-learn's defaults: 10 oversampling
// columns, 7 power iterations with LU re-normalization, float32 throughout. The weight has a
// trained layer's kind of spectrum: a power-law decay over a noise floor.
//
// Also timed: the CLI end to end as a user runs it (`node dist/cli/main.js weights compress
// model.safetensors --rank 64 --out small.safetensors`, process start to exit), when dist/ is built.
//
// Usage: npx tsx bench/weights.ts [--rounds N] [--quick]   (--quick: one round, one call per side, one end-to-end run)
//   (python with numpy, scikit-learn and safetensors: $SKLEARN_PYTHON, else /tmp/ref-venv/bin/python, else python3)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSafetensors, writeSafetensors } from '../src/io/safetensors.js';
import { kernels } from '../src/kernels/index.js';
import { matmul } from '../src/linalg/matmul.js';
import { qr } from '../src/linalg/qr.js';
import { Matrix } from '../src/matrix/matrix.js';
import { compressWeight } from '../src/models/weights/compress.js';
import { machine, table } from './util.js';

const here = new URL('.', import.meta.url).pathname;
const root = new URL('..', import.meta.url).pathname;
const python = process.env.SKLEARN_PYTHON ?? (existsSync('/tmp/ref-venv/bin/python') ? '/tmp/ref-venv/bin/python' : 'python3');
const roundsArg = process.argv.indexOf('--rounds');
const QUICK = process.argv.includes('--quick');
const ROUNDS = roundsArg >= 0 ? Number(process.argv[roundsArg + 1]) : QUICK ? 1 : 3;
/** Calls per side in a round (best kept), and end-to-end runs. */
const REPEATS = QUICK ? 1 : 3;
const N = 2048;
const RANK = 64;
const dir = mkdtempSync(join(tmpdir(), 'lowrank-weights-bench-'));
const input = join(dir, 'model.safetensors');

kernels();
// W = U diag(s) V^T + noise with s_i = 20 i^-0.6 over 256 directions and a 0.01 floor.
{
  const k = 256;
  const U = qr(Matrix.random(N, k, { seed: 1, distribution: 'normal', dtype: 'float32' })).Q;
  const V = qr(Matrix.random(N, k, { seed: 2, distribution: 'normal', dtype: 'float32' })).Q;
  const US = U.map((v, _i, j) => v * 20 * (j + 1) ** -0.6);
  const W = matmul(US, V, { transB: true }).add(Matrix.random(N, N, { seed: 3, distribution: 'normal', dtype: 'float32' }).scale(0.01 / Math.sqrt(N) * 30));
  await writeSafetensors(input, [{ name: 'layer.weight', dtype: 'F32', shape: [N, N], data: W }], { metadata: { format: 'pt' } });
}

/** Our pipeline, once: seconds per stage and the relative error. */
async function ours(out: string): Promise<{ total: number; read: number; svd: number; write: number; error: number }> {
  const t0 = performance.now();
  const st = await openSafetensors(input);
  const W = await st.readMatrix('layer.weight');
  await st.close();
  const t1 = performance.now();
  const c = compressWeight(W, { rank: RANK }); // randomized (min(out, in) > 512), error measured inside
  const t2 = performance.now();
  await writeSafetensors(out, [
    { name: 'layer.weight.lowrank_A', dtype: 'F32', shape: [c.A.rows, c.A.cols], data: c.A },
    { name: 'layer.weight.lowrank_B', dtype: 'F32', shape: [c.B.rows, c.B.cols], data: c.B },
  ]);
  const t3 = performance.now();
  if (c.method !== 'randomized') throw new Error(`expected the randomized method, got ${c.method}`);
  return { total: (t3 - t0) / 1000, read: (t1 - t0) / 1000, svd: (t2 - t1) / 1000, write: (t3 - t2) / 1000, error: c.relativeError };
}

function reference(): Record<string, number> {
  const r = spawnSync(python, [`${here}ref/weights_sklearn.py`, input, join(dir, 'ref.safetensors'), 'layer.weight', String(RANK), String(REPEATS)], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`reference failed: ${r.stderr || r.error}`);
    process.exit(1);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

/** Wall time of one command, process start to exit. */
function wall(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: root });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

console.log(`# weights compress: rank ${RANK} of a ${N} x ${N} float32 weight (safetensors in and out) — ${machine()}, backend ${kernels().name}, default threads, best of ${REPEATS} per round, ${ROUNDS} rounds alternating scikit-learn and lowrank`);
let best = { total: Infinity, read: Infinity, svd: Infinity, write: Infinity, error: NaN };
let ref: Record<string, number> = { total: Infinity };
await ours(join(dir, 'warm.safetensors')); // WASM compile and first-touch of the heap
for (let round = 0; round < ROUNDS; round++) {
  const r = reference();
  if (r.total! < ref.total!) ref = r;
  await new Promise((res) => setTimeout(res, 1000));
  for (let k = 0; k < REPEATS; k++) {
    const o = await ours(join(dir, 'small.safetensors'));
    if (o.total < best.total) best = o;
  }
  console.error(`round ${round + 1}: lowrank ${best.total.toFixed(3)} s, scikit-learn ${ref.total!.toFixed(3)} s`);
}
const rows: (string | number)[][] = [
  ['read', best.read, ref.read!, best.read / ref.read!],
  ['randomized SVD + factors (lowrank: + error)', best.svd, ref.svd! + ref.error!, best.svd / (ref.svd! + ref.error!)],
  ['write', best.write, ref.write!, best.write / ref.write!],
  ['whole pipeline', best.total, ref.total!, best.total / ref.total!],
];
console.log(table(['stage', 'lowrank s', 'sklearn s', 'ratio'], rows));
console.log(`relative error ||W - B A||_F / ||W||_F: lowrank ${best.error.toPrecision(6)}, scikit-learn ${ref.relative_error!.toPrecision(6)}`);

const cli = join(root, 'dist/cli/main.js');
if (existsSync(cli)) {
  const script = `import sys, numpy as np\nfrom safetensors.numpy import load_file, save_file\nfrom sklearn.utils.extmath import randomized_svd\nW = load_file(sys.argv[1])['layer.weight']\nU, s, Vt = randomized_svd(W, ${RANK}, random_state=0)\nh = np.sqrt(s).astype(W.dtype)\nA = np.ascontiguousarray(h[:, None] * Vt); B = np.ascontiguousarray(U * h[None, :])\nerr = np.linalg.norm(W - B @ A) / np.linalg.norm(W)\nsave_file({'layer.weight.lowrank_A': A, 'layer.weight.lowrank_B': B}, sys.argv[2])\nprint(err)`;
  let ourWall = Infinity;
  let refWall = Infinity;
  for (let k = 0; k < REPEATS; k++) {
    refWall = Math.min(refWall, wall(python, ['-c', script, input, join(dir, 'p.safetensors')]));
    ourWall = Math.min(ourWall, wall(process.execPath, [cli, 'weights', 'compress', input, '--rank', String(RANK), '--out', join(dir, 'c.safetensors')]));
  }
  console.log(`\nend to end, process start to exit (best of ${REPEATS}): lowrank CLI ${ourWall.toFixed(3)} s, python script ${refWall.toFixed(3)} s, ratio ${(ourWall / refWall).toFixed(2)}`);
} else {
  console.log('\n(dist/ not built: `npm run build:ts` to time the CLI end to end)');
}
rmSync(dir, { recursive: true, force: true });
