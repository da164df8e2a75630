/**
 * Example 10: compress a trained neural network with low-rank factors, and see what it costs.
 *
 * The model: a 64-128-128-10 multilayer perceptron trained with numpy on scikit-learn's
 * handwritten digits (scripts/train-digits-mlp.py; its weights are a safetensors file as
 * PyTorch would save them, fc<i>.weight out x in). Each weight matrix W is replaced by the
 * truncated SVD B A (A = S^(1/2) V^T, r x in; B = U S^(1/2), out x r): a layer y = W x + b
 * becomes y = B (A x) + b, r (out + in) numbers instead of out x in.
 *
 * 1. the spectra: stable rank and the ranks that keep 90% / 99% of each layer's energy;
 * 2. plain compression at energy targets: parameters against test accuracy;
 * 3. the same ranks chosen data-aware (SVD-LLM: whiten by the Cholesky factor of X^T X of
 *    each layer's inputs on the training images), which minimizes the error of the layer's
 *    outputs rather than of its weights;
 * 4. the compressed model written as safetensors (fc1.weight.lowrank_A, ...), read back and
 *    run from the file.
 *
 * Run: npx tsx examples/10-compress-a-model.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressWeight, Matrix, matmul, openSafetensors, readNpy, readSafetensors, tensorToMatrix, weightSpectrum, writeSafetensors, type SafetensorsEntry } from '../src/index.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const modelPath = join(root, 'test/fixtures/safetensors/digits-mlp.safetensors');

// ---------------------------------------------------------------- the model and the data
const { metadata, tensors } = await readSafetensors(modelPath);
const byName = new Map(tensors.map((t) => [t.name, t]));
const LAYERS = ['fc1', 'fc2', 'fc3'];
const weights = LAYERS.map((l) => tensorToMatrix(byName.get(`${l}.weight`)!)); // out x in, float32
const biases = LAYERS.map((l) => byName.get(`${l}.bias`)!.data as Float32Array);
console.log(`model: ${tensors.map((t) => `${t.name} [${t.shape.join('x')}] ${t.dtype}`).join(', ')}`);

const X = (await readNpy(join(root, 'data/digits/digits.npy'))).matrix.scale(1 / 16); // 1797 x 64
const y = (await readNpy(join(root, 'data/digits/target.npy'))).matrix;
const TRAIN = 1437; // rows 0..1436 trained on, 1437..1796 held out (as the training script)
const Xtrain = X.rowRange(0, TRAIN);
const Xtest = X.rowRange(TRAIN, X.rows);
const ytest = Array.from({ length: Xtest.rows }, (_, i) => y.get(TRAIN + i, 0));

/** A layer as the network uses it: the full W, or the factors B (A x). */
type Layer = { W: Matrix } | { A: Matrix; B: Matrix };

/** x W^T + b (rows are samples), through the factors when there are some. */
function dense(H: Matrix, layer: Layer, b: Float32Array): Matrix {
  const Z = 'W' in layer ? matmul(H, layer.W, { transB: true }) : matmul(matmul(H, layer.A, { transB: true }), layer.B, { transB: true });
  return Z.map((v, _i, j) => v + b[j]!);
}

/** The inputs of every layer for the images X (the first is X itself) and the logits. */
function forward(layers: Layer[], input: Matrix): Matrix[] {
  const acts = [input];
  let H = input;
  layers.forEach((layer, i) => {
    H = dense(H, layer, biases[i]!);
    if (i < layers.length - 1) H = H.map((v) => Math.max(v, 0));
    acts.push(H);
  });
  return acts;
}

function accuracy(layers: Layer[]): number {
  const logits = forward(layers, Xtest).at(-1)!;
  let right = 0;
  for (let i = 0; i < logits.rows; i++) {
    let best = 0;
    for (let j = 1; j < logits.cols; j++) if (logits.get(i, j) > logits.get(i, best)) best = j;
    if (best === ytest[i]) right++;
  }
  return right / logits.rows;
}

const full: Layer[] = weights.map((W) => ({ W }));
const params = (layers: Layer[]) => layers.reduce((a, l) => a + ('W' in l ? l.W.size : l.A.size + l.B.size), 0);
const baseAcc = accuracy(full);
console.log(`test accuracy of the trained model: ${(100 * baseAcc).toFixed(2)}% on ${Xtest.rows} held-out digits (metadata says ${(100 * Number(metadata!.test_accuracy)).toFixed(2)}%), ${params(full)} weights`);

// ---------------------------------------------------------------- 1. spectra
console.log('\nlayer        shape     stable rank  rank 90%  rank 99%  full rank');
LAYERS.forEach((l, i) => {
  const sp = weightSpectrum(weights[i]!);
  const [m, n] = sp.shape;
  console.log(`${`${l}.weight`.padEnd(12)} ${`${m}x${n}`.padEnd(9)} ${sp.stableRank.toFixed(2).padStart(11)}  ${String(sp.rankForEnergy(0.9)).padStart(8)}  ${String(sp.rankForEnergy(0.99)).padStart(8)}  ${String(Math.min(m, n)).padStart(9)}`);
});

// ---------------------------------------------------------------- 2. plain compression by energy
// Every layer compressed to the rank that keeps the energy share, unless its factors would
// not be smaller (then it stays whole, as `lowrank weights compress` does).
function compressAll(energy: number): { layers: Layer[]; ranks: string } {
  const ranks: string[] = [];
  const layers = weights.map((W): Layer => {
    const c = compressWeight(W, { energy });
    ranks.push(c.smaller ? String(c.rank) : 'full');
    return c.smaller ? { A: c.A, B: c.B } : { W };
  });
  return { layers, ranks: ranks.join('/') };
}
console.log('\nplain truncated SVD, every layer at an energy target:');
console.log('energy   ranks fc1/fc2/fc3   weights   kept    test accuracy');
for (const e of [0.99, 0.95, 0.9, 0.8, 0.7, 0.5]) {
  const { layers, ranks } = compressAll(e);
  const p = params(layers);
  console.log(`${`${100 * e}%`.padStart(5)}    ${ranks.padEnd(18)}  ${String(p).padStart(7)}  ${`${(100 * p / params(full)).toFixed(1)}%`.padStart(6)}   ${(100 * accuracy(layers)).toFixed(2)}%`);
}

// ---------------------------------------------------------------- 3. data-aware at the same ranks
// Calibration: each layer's inputs on the training images, from the original network.
const calib = forward(full, Xtrain);
console.log('\nsame rank for fc1 and fc2 (fc3 whole): plain SVD vs data-aware (SVD-LLM whitening)');
console.log('rank   weights   plain: out err fc2   accuracy   data-aware: out err fc2   accuracy');
for (const r of [4, 6, 8, 12, 16]) {
  const plain: Layer[] = [];
  const aware: Layer[] = [];
  const errs: number[][] = [];
  weights.forEach((W, i) => {
    if (i === 2) {
      plain.push({ W });
      aware.push({ W });
      return;
    }
    const p = compressWeight(W, { rank: r });
    const a = compressWeight(W, { rank: r, activations: calib[i]! });
    plain.push({ A: p.A, B: p.B });
    aware.push({ A: a.A, B: a.B });
    // Output error of the plain factors on the same activations, for comparison.
    const out = matmul(calib[i]!, W, { transB: true });
    const plainOut = matmul(matmul(calib[i]!, p.A, { transB: true }), p.B, { transB: true });
    errs.push([out.sub(plainOut).norm('fro') / out.norm('fro'), a.outputRelativeError!]);
  });
  const [pe, ae] = errs[1]!;
  console.log(`${String(r).padStart(4)}  ${String(params(plain)).padStart(8)}   ${pe!.toFixed(4).padStart(18)}   ${`${(100 * accuracy(plain)).toFixed(2)}%`.padStart(8)}   ${ae!.toFixed(4).padStart(23)}   ${`${(100 * accuracy(aware)).toFixed(2)}%`.padStart(8)}`);
}

// ---------------------------------------------------------------- 4. write, read back, run
const dir = mkdtempSync(join(tmpdir(), 'lowrank-example-'));
try {
  const out = join(dir, 'digits-mlp-small.safetensors');
  const entries: SafetensorsEntry[] = [];
  LAYERS.forEach((l, i) => {
    const c = compressWeight(weights[i]!, { energy: 0.9 });
    if (c.smaller) {
      entries.push({ name: `${l}.weight.lowrank_A`, dtype: 'F32', shape: [c.A.rows, c.A.cols], data: c.A });
      entries.push({ name: `${l}.weight.lowrank_B`, dtype: 'F32', shape: [c.B.rows, c.B.cols], data: c.B });
    } else {
      entries.push(byName.get(`${l}.weight`)!);
    }
    entries.push(byName.get(`${l}.bias`)!);
  });
  await writeSafetensors(out, entries, { metadata });
  const st = await openSafetensors(out);
  const fromFile: Layer[] = [];
  for (const l of LAYERS) {
    fromFile.push(st.has(`${l}.weight`) ? { W: await st.readMatrix(`${l}.weight`) } : { A: await st.readMatrix(`${l}.weight.lowrank_A`), B: await st.readMatrix(`${l}.weight.lowrank_B`) });
  }
  await st.close();
  console.log(`\nwritten: ${st.tensors.map((t) => `${t.name} [${t.shape.join('x')}]`).join(', ')}`);
  console.log(`file: ${statSync(out).size} bytes (the original: ${statSync(modelPath).size}); test accuracy run from the file: ${(100 * accuracy(fromFile)).toFixed(2)}%`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
