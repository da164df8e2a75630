/**
 * Example 14: extract a LoRA adapter from a fine-tuned model, and see what rank it needs.
 *
 * The models: the 64-128-128-10 digits MLP of example 10 (base), and the same network
 * fine-tuned with numpy on the digits shifted one pixel to the right, weights only, biases
 * frozen (scripts/gen-lora-fixtures.py writes test/fixtures/lora/digits-mlp-shifted.safetensors).
 * The fine-tune is a full update of every weight matrix, not a LoRA: how well do rank-r
 * adapters reproduce it?
 *
 * 1. the updates dW = W_tuned - W_base: their size and how much energy the top ranks hold;
 * 2. extractLora at ranks 1..64: the truncated SVD of each update, as PEFT factors with
 *    (alpha / r) B A = dW_r; the merged model's accuracy on shifted and original digits;
 * 3. the rank-8 adapter written as a PEFT folder (adapter_model.safetensors +
 *    adapter_config.json), read back, inspected, and merged from the files.
 *
 * Run: npx tsx examples/14-extract-a-lora.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  extractLora,
  inspectLora,
  Matrix,
  matmul,
  mergeLora,
  openSafetensors,
  readLoraAdapter,
  readNpy,
  readSafetensors,
  tensorToMatrix,
  weightSource,
  weightSpectrum,
  writeLoraAdapter,
} from '../src/index.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const basePath = join(root, 'test/fixtures/safetensors/digits-mlp.safetensors');
const tunedPath = join(root, 'test/fixtures/lora/digits-mlp-shifted.safetensors');

// ---------------------------------------------------------------- models and data
const base = await readSafetensors(basePath);
const tuned = await readSafetensors(tunedPath);
const matrices = (t: typeof base) => Object.fromEntries(t.tensors.map((x) => [x.name, tensorToMatrix(x)]));
const B0 = matrices(base);
const T0 = matrices(tuned);
const LAYERS = ['fc1', 'fc2', 'fc3'];
const biases = LAYERS.map((l) => B0[`${l}.bias`]!.data as Float32Array); // frozen: the same in both

const X = (await readNpy(join(root, 'data/digits/digits.npy'))).matrix.scale(1 / 16); // 1797 x 64
const y = (await readNpy(join(root, 'data/digits/target.npy'))).matrix;
const TRAIN = 1437; // rows 1437..1796 are held out, as in training
const shifted = X.map((_v, i, j) => (j % 8 === 0 ? 0 : X.get(i, j - 1))); // each 8x8 image one pixel right
const labels = Array.from({ length: X.rows - TRAIN }, (_, i) => y.get(TRAIN + i, 0));

function accuracy(weights: Record<string, Matrix>, images: Matrix): number {
  let H = images.rowRange(TRAIN, images.rows);
  LAYERS.forEach((l, i) => {
    H = matmul(H, weights[`${l}.weight`]!, { transB: true }).map((v, _r, c) => v + biases[i]![c]!);
    if (i < 2) H = H.map((v) => Math.max(v, 0));
  });
  let right = 0;
  for (let r = 0; r < H.rows; r++) {
    let best = 0;
    for (let c = 1; c < H.cols; c++) if (H.get(r, c) > H.get(r, best)) best = c;
    if (best === labels[r]) right++;
  }
  return right / H.rows;
}
const pct = (a: number) => `${(100 * a).toFixed(2)}%`;
console.log(`base:  ${pct(accuracy(B0, X))} on the held-out digits, ${pct(accuracy(B0, shifted))} on the same digits shifted one pixel right`);
console.log(`tuned: ${pct(accuracy(T0, X))} on the held-out digits, ${pct(accuracy(T0, shifted))} shifted (full fine-tune of the 3 weight matrices)`);

// ---------------------------------------------------------------- 1. the updates
console.log('\nthe updates dW = W_tuned - W_base:');
for (const l of LAYERS) {
  const W = B0[`${l}.weight`]!;
  const dW = T0[`${l}.weight`]!.sub(W);
  const sp = weightSpectrum(dW);
  const e = (r: number) => `${(100 * sp.energyKept(r)).toFixed(0)}%`;
  console.log(`  ${l} ${W.rows}x${W.cols}: ||dW|| / ||W|| = ${(sp.frobeniusNorm / W.norm()).toFixed(3)}, stable rank ${sp.stableRank.toFixed(2)}; energy in rank 1 / 4 / 16: ${e(1)} / ${e(4)} / ${e(16)}`);
}

// ---------------------------------------------------------------- 2. rank against accuracy
console.log('\nrank-r LoRA of the fine-tune (truncated SVD of each update), merged into the base:');
console.log('   r  adapter params  rel. error of dW  shifted acc.  original acc.');
const baseSt = await openSafetensors(basePath);
const tunedSt = await openSafetensors(tunedPath);
const baseSource = weightSource(Object.fromEntries(LAYERS.map((l) => [`${l}.weight`, B0[`${l}.weight`]!])));
for (const r of [1, 2, 4, 8, 16, 32, 64]) {
  const { adapter, modules } = await extractLora(baseSt, tunedSt, { rank: r, alpha: r });
  const merged = { ...B0, ...Object.fromEntries(await mergeLora(baseSource, adapter)) };
  const params = adapter.modules.reduce((a, m) => a + m.A.size + m.B.size, 0);
  // Pooled over the layers: sqrt(sum ||dW - update||^2 / sum ||dW||^2).
  const num = modules.reduce((a, m) => a + (m.relativeError * m.deltaNorm) ** 2, 0);
  const den = modules.reduce((a, m) => a + m.deltaNorm ** 2, 0);
  console.log(`  ${String(r).padStart(2)}  ${String(params).padStart(14)}  ${Math.sqrt(num / den).toFixed(4).padStart(16)}  ${pct(accuracy(merged, shifted)).padStart(12)}  ${pct(accuracy(merged, X)).padStart(13)}`);
}
console.log(`  (the full update has ${LAYERS.reduce((a, l) => a + B0[`${l}.weight`]!.size, 0)} numbers; fc3 is 10 x 128: from r = 10 on its update is exact, and its factors are padded to r)`);

// ---------------------------------------------------------------- 3. a PEFT folder
const dir = mkdtempSync(join(tmpdir(), 'lowrank-lora-'));
try {
  const { adapter, unchanged } = await extractLora(baseSt, tunedSt, { rank: 8, alpha: 16 });
  const files = await writeLoraAdapter(join(dir, 'adapter'), adapter);
  console.log(`\nrank-8 adapter (alpha 16): ${statSync(files.weights).size} bytes of factors against ${statSync(basePath).size} bytes of model; config: peft_type ${adapter.config.peft_type}, r ${adapter.config.r}, lora_alpha ${adapter.config.lora_alpha}, target_modules ${JSON.stringify(adapter.config.target_modules)}, bias ${adapter.config.bias}`);
  console.log(`  unchanged in the fine-tune, so not in the adapter: ${unchanged.join(', ')}`);
  const back = await readLoraAdapter(join(dir, 'adapter'));
  for (const m of inspectLora(back)) {
    const top = Array.from(m.singularValues.subarray(0, 3), (v) => v.toFixed(3)).join(', ');
    console.log(`  ${m.module}: update norm ${m.norm.toFixed(3)}, effective rank ${m.effectiveRank.toFixed(2)} of r = ${m.rank}, singular values ${top}, ...`);
  }
  const merged = { ...B0, ...Object.fromEntries(await mergeLora(baseSource, back)) };
  console.log(`  merged from the files: ${pct(accuracy(merged, shifted))} on shifted digits`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await baseSt.close();
  await tunedSt.close();
}
