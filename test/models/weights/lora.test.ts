/**
 * LoRA: extraction reproduces a planted low-rank update exactly and, for updates of higher
 * rank, misses exactly numpy's SVD tail (test/fixtures/lora/planted.json, written by
 * scripts/gen-lora-fixtures.py); merge(extract) reproduces the tuned weights up to that
 * rank-r error; PEFT's own adapters (saved by peft.save_pretrained, with rank and alpha
 * patterns and rsLoRA) merge to the weights PEFT's merge_and_unload gives; the update
 * spectrum from the factors equals the SVD of B A; padding, fan_in_fan_out, embeddings; and
 * the errors: models that differ in names, shapes or dtypes, adapters that do not fit.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AbortedError, InvalidArgumentError, ParseError, ShapeError, UnsupportedError } from '../../../src/errors.js';
import { readLoraAdapter, writeLoraAdapter } from '../../../src/io/lora-adapter.js';
import { openSafetensors, readSafetensors } from '../../../src/io/safetensors.js';
import { tensorToMatrix } from '../../../src/io/safetensors-codec.js';
import { matmul } from '../../../src/linalg/matmul.js';
import { qr } from '../../../src/linalg/qr.js';
import { svdvals } from '../../../src/linalg/svd.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { extractLoraFactors, loraScale, loraSpectrum, loraUpdate, mergeLoraFactors } from '../../../src/models/weights/lora.js';
import { extractLora } from '../../../src/models/weights/lora-extract.js';
import { inspectLora, mergeLora, planLoraMerge } from '../../../src/models/weights/lora-merge.js';
import { loraAdapterFromTensors, moduleLoraSettings, parseLoraKey, parsePeftLoraConfig, peftLoraConfig } from '../../../src/models/weights/lora-peft.js';
import { weightSource } from '../../../src/models/weights/lora-source.js';
import { tempDir } from '../../io/util.js';

const DIR = new URL('../../fixtures/lora/', import.meta.url).pathname;
const planted = JSON.parse(readFileSync(join(DIR, 'planted.json'), 'utf8')) as {
  modules: Record<string, { singular_values: number[]; relative_error: Record<string, number>; delta_norm: number }>;
  changed_1d: string[];
  unchanged_2d: string[];
};

/** A random m x n float64 matrix with singular values s. */
function withSpectrum(m: number, n: number, s: readonly number[], seed: number): Matrix {
  const k = s.length;
  const U = qr(Matrix.random(m, k, { seed, distribution: 'normal' })).Q;
  const V = qr(Matrix.random(n, k, { seed: seed + 1, distribution: 'normal' })).Q;
  const US = U.copy();
  for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) US.set(i, j, U.get(i, j) * s[j]!);
  return matmul(US, V, { transB: true });
}

/** ||A - B||_F / ||C||_F. */
function rel(A: Matrix, B: Matrix, C: Matrix): number {
  return A.sub(B).norm('fro') / C.norm('fro');
}

describe('extractLoraFactors', () => {
  test('a planted rank-3 update is reproduced exactly, scaled so that (alpha / r) B A is the update', () => {
    const W = Matrix.random(40, 30, { seed: 1, distribution: 'normal' });
    const dW = withSpectrum(40, 30, [5, 2, 0.5], 3);
    const T = W.add(dW);
    for (const [rank, alpha, rs] of [[3, 3, false], [8, 16, false], [8, 16, true]] as const) {
      const f = extractLoraFactors(W, T, { rank, alpha, useRslora: rs });
      assert.deepEqual([f.A.rows, f.A.cols, f.B.rows, f.B.cols], [rank, 30, 40, rank]);
      assert.equal(f.scale, rs ? alpha / Math.sqrt(rank) : alpha / rank);
      assert.ok(f.relativeError < 1e-13, `rank ${rank}: ${f.relativeError}`);
      assert.ok(rel(loraUpdate(f.A, f.B, f.scale), dW, dW) < 1e-13);
      assert.ok(rel(mergeLoraFactors(W, f.A, f.B, f.scale), T, T) < 1e-14);
      assert.ok(Math.abs(f.deltaNorm - Math.hypot(5, 2, 0.5)) < 1e-12);
      // The sqrt split: A's rows and B's columns have equal norms.
      for (let p = 0; p < 3; p++) assert.ok(Math.abs(f.A.row(p).norm() - f.B.col(p).norm()) < 1e-12);
    }
  });

  test("a lower rank misses exactly the SVD tail (Eckart-Young), and the merged weight misses the same amount of the tuned one", () => {
    const W = Matrix.random(50, 20, { seed: 4, distribution: 'normal' });
    const s = [4, 3, 2, 1, 0.5, 0.25];
    const T = W.add(withSpectrum(50, 20, s, 6));
    for (const r of [1, 2, 4]) {
      const f = extractLoraFactors(W, T, { rank: r, method: 'exact' });
      const tail = Math.sqrt(s.slice(r).reduce((a, v) => a + v * v, 0) / s.reduce((a, v) => a + v * v, 0));
      assert.ok(Math.abs(f.relativeError - tail) < 1e-12, `${f.relativeError} vs ${tail}`);
      const merged = mergeLoraFactors(W, f.A, f.B, f.scale);
      assert.ok(Math.abs(rel(merged, T, T.sub(W)) - tail) < 1e-12);
      assert.ok(Math.abs(f.tunedRelativeError - rel(merged, T, T)) < 1e-12);
    }
  });

  test('a layer smaller than r is padded with zero rows of A and zero columns of B', () => {
    const W = Matrix.random(3, 5, { seed: 7 });
    const T = Matrix.random(3, 5, { seed: 8 });
    const f = extractLoraFactors(W, T, { rank: 8 });
    assert.equal(f.keptRank, 3);
    assert.deepEqual([f.A.rows, f.A.cols, f.B.rows, f.B.cols], [8, 5, 3, 8]);
    for (let p = 3; p < 8; p++) {
      assert.equal(f.A.row(p).norm(), 0);
      assert.equal(f.B.col(p).norm(), 0);
    }
    assert.ok(rel(mergeLoraFactors(W, f.A, f.B, f.scale), T, T) < 1e-14);
  });

  test('roundFactors is applied to the factors and the error measured after it', () => {
    const W = Matrix.random(20, 10, { seed: 9, dtype: 'float32' });
    const T = W.add(withSpectrum(20, 10, [1, 0.5], 10).astype('float32'));
    const coarse = (M: Matrix) => M.map((v) => Math.round(v * 8) / 8);
    const f = extractLoraFactors(W, T, { rank: 2, roundFactors: coarse });
    assert.ok(f.A.toArray().flat().every((v) => v * 8 === Math.round(v * 8)));
    const D = T.astype('float64').sub(W.astype('float64'));
    assert.ok(Math.abs(f.relativeError - rel(loraUpdate(f.A, f.B, f.scale).astype('float64'), D, D)) < 1e-6);
    assert.ok(f.relativeError > 1e-3);
  });

  test('bad input', () => {
    const W = Matrix.random(4, 3, { seed: 1 });
    assert.throws(() => extractLoraFactors(W, W, { rank: 2 }), (e) => e instanceof InvalidArgumentError && /equal; there is no update/.test(e.message));
    assert.throws(() => extractLoraFactors(W, Matrix.random(3, 4), { rank: 2 }), ShapeError);
    assert.throws(() => extractLoraFactors(W, W.add(1), { rank: 0 }), /option 'rank' must be an integer >= 1/);
    assert.throws(() => extractLoraFactors(W, W.add(1), {} as never), /option 'rank' is required/);
    assert.throws(() => extractLoraFactors(W, W.add(1), { rank: 2, alpha: 0 }), /option 'alpha'/);
    assert.throws(() => extractLoraFactors(W, W.add(1), { rank: 2, ranks: 3 } as never), /unknown option 'ranks'/);
  });
});

describe('loraSpectrum', () => {
  test('equals the singular values of scale * B A formed explicitly (random shapes and ranks)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1000 }), (m, n, r, seed) => {
        const A = Matrix.random(r, n, { seed, distribution: 'normal' });
        const B = Matrix.random(m, r, { seed: seed + 1, distribution: 'normal' });
        const sp = loraSpectrum(A, B, 0.75);
        const want = Array.from(svdvals(matmul(B, A).scale(0.75))).slice(0, Math.min(r, m, n));
        assert.equal(sp.singularValues.length, want.length);
        for (let i = 0; i < want.length; i++) assert.ok(Math.abs(sp.singularValues[i]! - want[i]!) <= 1e-12 * want[0]!, `s${i}`);
        assert.ok(Math.abs(sp.norm - matmul(B, A).scale(0.75).norm()) < 1e-10 * sp.norm);
      }),
      { numRuns: 40 },
    );
  });

  test('numerical and effective rank: r equal values give r; a rank-2 update in a rank-8 adapter gives 2', () => {
    const A = qr(Matrix.random(20, 4, { seed: 2, distribution: 'normal' })).Q.T.copy(); // 4 x 20, orthonormal rows
    const B = qr(Matrix.random(30, 4, { seed: 3, distribution: 'normal' })).Q;
    const eq = loraSpectrum(A, B, 1);
    assert.equal(eq.numericalRank, 4);
    assert.ok(Math.abs(eq.effectiveRank - 4) < 1e-12);
    const A8 = Matrix.zeros(8, 20);
    const B8 = Matrix.zeros(30, 8);
    for (let p = 0; p < 2; p++) for (let j = 0; j < 20; j++) A8.set(p, j, A.get(p, j));
    for (let p = 0; p < 2; p++) for (let i = 0; i < 30; i++) B8.set(i, p, B.get(i, p) * (p + 1));
    const two = loraSpectrum(A8, B8, 1);
    assert.equal(two.rank, 8);
    assert.equal(two.numericalRank, 2);
    assert.equal(two.rank99, 2);
    const p = [2 / 3, 1 / 3];
    assert.ok(Math.abs(two.effectiveRank - Math.exp(-p[0]! * Math.log(p[0]!) - p[1]! * Math.log(p[1]!))) < 1e-12);
  });
});

describe('extractLora on the planted model (numpy reference)', async () => {
  const base = await openSafetensors(join(DIR, 'planted-base.safetensors'));
  const tuned = await openSafetensors(join(DIR, 'planted-tuned.safetensors'));
  const { tensors: baseT } = await readSafetensors(join(DIR, 'planted-base.safetensors'));
  const { tensors: tunedT } = await readSafetensors(join(DIR, 'planted-tuned.safetensors'));
  const matrices = (ts: typeof baseT) => Object.fromEntries(ts.filter((t) => t.shape.length === 2).map((t) => [t.name, tensorToMatrix(t)]));
  const B = matrices(baseT);
  const T = matrices(tunedT);

  for (const r of [2, 4, 8]) {
    test(`rank ${r}: the changed modules, their errors equal numpy's SVD tail, and merge(extract) reproduces tuned up to it`, async () => {
      const ex = await extractLora(base, tuned, { rank: r, alpha: 2 * r });
      assert.deepEqual(ex.modules.map((m) => m.module).sort(), Object.keys(planted.modules).sort());
      assert.deepEqual(ex.adapter.config.target_modules, ['fc1', 'q_proj']);
      assert.equal(ex.adapter.config.r, r);
      assert.equal(ex.adapter.config.lora_alpha, 2 * r);
      assert.deepEqual(ex.skipped.filter((s) => s.changed).map((s) => s.name), planted.changed_1d);
      assert.deepEqual(ex.unchanged.filter((n) => B[n] !== undefined).sort(), planted.unchanged_2d);
      const merged = await mergeLora(weightSource(B), ex.adapter);
      for (const m of ex.modules) {
        const want = planted.modules[m.module]!;
        // numpy's tail from float64 differences; ours from the float32 difference and float32 factors.
        const tol = 1e-6;
        const wantErr = want.relative_error[String(r)]!;
        assert.ok(Math.abs(m.relativeError - wantErr) < tol || (wantErr < 1e-6 && m.relativeError < 1e-6), `${m.module} r ${r}: ${m.relativeError} vs ${wantErr}`);
        assert.ok(Math.abs(m.deltaNorm - want.delta_norm) < 1e-5 * want.delta_norm);
        const w = `${m.module}.weight`;
        const got = rel(merged.get(w)!.astype('float64'), T[w]!.astype('float64'), T[w]!.astype('float64').sub(B[w]!.astype('float64')));
        assert.ok(Math.abs(got - wantErr) < 2e-6 || (wantErr < 1e-6 && got < 1e-6), `merged ${m.module}: ${got} vs ${wantErr}`);
      }
      assert.equal(merged.size, ex.modules.length);
    });
  }

  test('written and read back as a PEFT folder: the same factors and configuration', async () => {
    const ex = await extractLora(base, tuned, { rank: 4, alpha: 8, baseModelNameOrPath: 'planted' });
    const dir = join(tempDir(), 'adapter');
    await writeLoraAdapter(dir, ex.adapter);
    const back = await readLoraAdapter(dir);
    assert.deepEqual(back.config, ex.adapter.config);
    assert.equal(back.config.base_model_name_or_path, 'planted');
    for (const [i, m] of back.modules.entries()) {
      assert.equal(m.module, ex.adapter.modules[i]!.module);
      assert.ok(m.A.equals(ex.adapter.modules[i]!.A.astype('float32')));
      assert.ok(m.B.equals(ex.adapter.modules[i]!.B.astype('float32')));
    }
    const st = await openSafetensors(join(dir, 'adapter_model.safetensors'));
    assert.deepEqual(st.metadata, { format: 'pt' });
    assert.ok(st.tensors.every((t) => /^base_model\.model\.model\.layers\.\d\.(self_attn\.q_proj|mlp\.fc1)\.lora_[AB]\.weight$/.test(t.name)));
    await st.close();
    const json = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    for (const [k, v] of Object.entries({ peft_type: 'LORA', r: 4, lora_alpha: 8, bias: 'none', task_type: null, fan_in_fan_out: false, lora_dropout: 0, use_rslora: false, use_dora: false, inference_mode: true })) assert.deepEqual(json[k], v, k);
  });

  test('include and exclude select by name; left-out tensors are neither compared nor required', async () => {
    const ex = await extractLora(base, tuned, { rank: 2, include: /q_proj/, exclude: /layers\.1\./ });
    assert.deepEqual(ex.modules.map((m) => m.module), ['model.layers.0.self_attn.q_proj']);
    assert.deepEqual(ex.adapter.config.target_modules, ['q_proj']);
    assert.ok(ex.skipped.some((s) => s.name === 'lm_head.weight' && s.reason === 'not included'));
    assert.ok(ex.skipped.some((s) => s.name === 'model.layers.1.self_attn.q_proj.weight' && s.reason === 'excluded'));
    // A tuned model without lm_head is fine when lm_head is not considered.
    const T2 = { ...T };
    delete T2['lm_head.weight'];
    await extractLora(weightSource(B), weightSource(T2), { rank: 2, include: /q_proj/ });
  });
});

describe('extractLora: models that do not match', () => {
  const W = Matrix.random(6, 4, { seed: 1 });
  const base = { 'a.weight': W, 'b.weight': W, 'c.weight': W };
  test('missing tensors on either side, listed', async () => {
    await assert.rejects(
      extractLora(weightSource(base, 'base.st'), weightSource({ 'a.weight': W.add(1), 'd.weight': W }, 'tuned.st'), { rank: 2 }),
      (e) => e instanceof InvalidArgumentError && /base\.st and tuned\.st are not the same model: missing from tuned\.st: 'b\.weight', 'c\.weight'; missing from base\.st: 'd\.weight'/.test(e.message),
    );
  });
  test('different shapes, listed (ShapeError)', async () => {
    await assert.rejects(
      extractLora(weightSource(base), weightSource({ 'a.weight': W, 'b.weight': W.T.copy(), 'c.weight': Matrix.random(6, 5) }), { rank: 2 }),
      (e) => e instanceof ShapeError && /different shapes \(base vs tuned\): 'b\.weight \(6x4 vs 4x6\)', 'c\.weight \(6x4 vs 6x5\)'/.test(e.message),
    );
  });
  test('different dtypes, listed', async () => {
    await assert.rejects(
      extractLora(weightSource(base), weightSource({ 'a.weight': W.astype('float32'), 'b.weight': W, 'c.weight': W }), { rank: 2 }),
      (e) => e instanceof InvalidArgumentError && /different dtypes \(base vs tuned\): 'a\.weight \(F64 vs F32\)'/.test(e.message),
    );
  });
  test('progress per tensor, and an aborted signal stops it', async () => {
    const seen: number[] = [];
    await extractLora(weightSource(base), weightSource({ ...base, 'b.weight': W.add(1) }), { rank: 1, onProgress: (p) => seen.push(p.done) });
    assert.deepEqual(seen, [1, 2, 3]);
    await assert.rejects(extractLora(weightSource(base), weightSource({ ...base, 'b.weight': W.add(1) }), { rank: 1, signal: AbortSignal.abort() }), AbortedError);
  });
  test('nothing changed', async () => {
    await assert.rejects(extractLora(weightSource(base), weightSource(base), { rank: 2 }), /no 2-D weight differs/);
  });
  test('checks the LoRA options as extractLoraFactors does (one declaration): same messages, same defaults', async () => {
    const tuned = weightSource({ ...base, 'b.weight': W.add(1) });
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ rank: 0 }, /option 'rank' must be an integer >= 1, got 0/],
      [{}, /option 'rank' is required \(an integer >= 1\)/],
      [{ rank: 2, alpha: 0 }, /option 'alpha' must be a finite number > 0, got 0/],
      [{ rank: 2, useRslora: 1 }, /option 'useRslora' must be true or false, got 1/],
      [{ rank: 2, method: 'svd' }, /option 'method' must be one of 'auto', 'exact' or 'randomized', got 'svd'/],
      [{ rank: 2, seed: 0.5 }, /option 'seed' must be an integer, got 0\.5/],
      [{ rank: 2, roundFactors: 'f16' }, /option 'roundFactors' must be a function, got 'f16'/],
      [{ rank: 2, ranks: 3 }, /unknown option 'ranks'/],
    ];
    for (const [options, message] of bad) {
      assert.throws(() => extractLoraFactors(W, W.add(1), options as never), (e) => e instanceof InvalidArgumentError && e.message.startsWith('extractLoraFactors: ') && message.test(e.message), JSON.stringify(options));
      await assert.rejects(extractLora(weightSource(base), tuned, options as never), (e) => e instanceof InvalidArgumentError && e.message.startsWith('extractLora: ') && message.test(e.message), JSON.stringify(options));
    }
    // alpha defaults to r in both: scale 1.
    const ex = await extractLora(weightSource(base), tuned, { rank: 3 });
    assert.equal(ex.adapter.config.lora_alpha, 3);
    assert.equal(extractLoraFactors(W, W.add(1), { rank: 3 }).alpha, 3);
    assert.equal(extractLoraFactors(W, W.add(1), { rank: 3 }).scale, 1);
  });
  test('a changed 2-D tensor not named <module>.weight is reported, not adapted', async () => {
    const ex = await extractLora(weightSource({ 'a.weight': W, pos: W }), weightSource({ 'a.weight': W.add(1), pos: W.add(1) }), { rank: 1 });
    assert.deepEqual(ex.skipped, [{ name: 'pos', shape: [6, 4], dtype: 'F64', changed: true, reason: "2-D but not named '<module>.weight'" }]);
    assert.equal(ex.modules[0]!.keptRank, 1);
    assert.ok(ex.modules[0]!.relativeError < 1e-14); // W + 1 - W is rank 1
  });
});

describe('PEFT adapters (saved by peft, merged by peft.merge_and_unload)', async () => {
  const { tensors: baseT } = await readSafetensors(join(DIR, 'planted-base.safetensors'));
  const base = weightSource(Object.fromEntries(baseT.filter((t) => t.shape.length === 2).map((t) => [t.name, tensorToMatrix(t)])));
  for (const name of ['peft-adapter', 'peft-adapter-patterns']) {
    test(`${name}: lowrank's merge gives PEFT's merged weights`, async () => {
      const adapter = await readLoraAdapter(join(DIR, name));
      const { tensors: peftT } = await readSafetensors(join(DIR, `${name.replace('adapter', 'merged')}.safetensors`));
      const merged = await mergeLora(base, adapter);
      assert.equal(merged.size, adapter.modules.length);
      for (const [w, M] of merged) {
        const want = tensorToMatrix(peftT.find((t) => t.name === w)!);
        assert.ok(rel(M.astype('float64'), want.astype('float64'), want.astype('float64')) < 1e-6, w);
      }
      const untouched = peftT.filter((t) => t.shape.length === 2 && !merged.has(t.name));
      for (const t of untouched) assert.ok(tensorToMatrix(t).equals(await base.readMatrix(t.name)), t.name);
    });
  }

  test('rank_pattern, alpha_pattern and rsLoRA: the scale of each module as PEFT computes it', async () => {
    const adapter = await readLoraAdapter(join(DIR, 'peft-adapter-patterns'));
    const s = (m: string) => moduleLoraSettings(adapter.config, m);
    assert.deepEqual(s('model.layers.1.self_attn.q_proj'), { rank: 2, alpha: 8, scale: 8 / Math.sqrt(2) });
    assert.deepEqual(s('model.layers.0.self_attn.q_proj'), { rank: 4, alpha: 8, scale: 4 });
    assert.deepEqual(s('model.layers.0.mlp.fc1'), { rank: 6, alpha: 8, scale: 8 / Math.sqrt(6) });
    assert.deepEqual(s('model.layers.1.self_attn.v_proj'), { rank: 4, alpha: 3, scale: 1.5 });
    const spectra = inspectLora(adapter);
    assert.deepEqual(spectra.map((m) => [m.module, m.rank, m.numericalRank]).find(([m]) => m === 'model.layers.1.self_attn.q_proj'), ['model.layers.1.self_attn.q_proj', 2, 2]);
  });

  test('an adapter that does not fit the base: missing modules and wrong shapes, listed', async () => {
    const adapter = await readLoraAdapter(join(DIR, 'peft-adapter'));
    const tensors = base.tensors.filter((t) => !t.name.includes('layers.1')).map((t) => (t.name === 'model.layers.0.mlp.fc1.weight' ? { ...t, shape: [64, 33] } : t));
    assert.throws(() => planLoraMerge(tensors, adapter, 'small.st'), (e) => e instanceof InvalidArgumentError && /small\.st has no tensor 'model\.layers\.1\.mlp\.fc1\.weight', 'model\.layers\.1\.self_attn\.q_proj\.weight'; shapes differ: model\.layers\.0\.mlp\.fc1\.weight is 64x33, the factors give 64x32/.test(e.message));
    const onlyShape = base.tensors.map((t) => (t.name === 'model.layers.0.mlp.fc1.weight' ? { ...t, shape: [32, 64] } : t));
    assert.throws(() => planLoraMerge(onlyShape, adapter), ShapeError);
  });
});

describe('PEFT layout', () => {
  const A = Matrix.random(2, 5, { seed: 1 });
  const B = Matrix.random(3, 2, { seed: 2 });
  const config = peftLoraConfig({ rank: 2, alpha: 4, targetModules: ['w'] });

  test('keys: base_model.model.<module>.lora_A.weight and the embedding names', () => {
    assert.deepEqual(parseLoraKey('base_model.model.model.layers.0.q_proj.lora_B.weight'), { module: 'model.layers.0.q_proj', kind: 'linear', factor: 'B' });
    assert.deepEqual(parseLoraKey('base_model.model.embed_tokens.lora_embedding_A'), { module: 'embed_tokens', kind: 'embedding', factor: 'A' });
    assert.equal(parseLoraKey('base_model.model.fc.bias'), undefined);
  });

  test('fan_in_fan_out and embeddings merge the transposed update', async () => {
    const W = Matrix.random(5, 3, { seed: 3 }); // stored in x out
    const fan = { config: { ...config, fan_in_fan_out: true }, modules: [{ module: 'w', kind: 'linear' as const, A, B }] };
    const got = (await mergeLora(weightSource({ 'w.weight': W }), fan)).get('w.weight')!;
    assert.ok(rel(got, W.add(matmul(B, A).T.scale(2)), W) < 1e-15);
    const emb = { config, modules: [{ module: 'w', kind: 'embedding' as const, A, B }] };
    assert.ok(rel((await mergeLora(weightSource({ 'w.weight': W }), emb)).get('w.weight')!, W.add(matmul(B, A).T.scale(2)), W) < 1e-15);
    // Extraction with fanInFanOut factors the transposed update.
    const T = W.add(matmul(B, A).T);
    const ex = await extractLora(weightSource({ 'w.weight': W }), weightSource({ 'w.weight': T }), { rank: 2, fanInFanOut: true });
    assert.equal(ex.adapter.config.fan_in_fan_out, true);
    assert.deepEqual(ex.adapter.modules[0]!.A.shape, [2, 5]);
    assert.ok(rel((await mergeLora(weightSource({ 'w.weight': W }), ex.adapter)).get('w.weight')!, T, T) < 1e-14);
  });

  test('configurations: other PEFT methods, DoRA and bad fields are refused, defaults filled', () => {
    assert.throws(() => parsePeftLoraConfig({ peft_type: 'IA3' }, 'c.json'), (e) => e instanceof UnsupportedError && /peft_type is 'IA3'/.test(e.message));
    assert.throws(() => parsePeftLoraConfig({ peft_type: 'LORA', r: 4, use_dora: true }), UnsupportedError);
    assert.throws(() => parsePeftLoraConfig({ peft_type: 'LORA', r: 0 }, 'c.json'), (e) => e instanceof ParseError && /c\.json: 'r' must be an integer >= 1, got 0/.test(e.message));
    assert.throws(() => parsePeftLoraConfig({ peft_type: 'LORA', r: 4, rank_pattern: { q: 'x' } }), /rank_pattern/);
    assert.throws(() => parsePeftLoraConfig([1]), ParseError);
    const c = parsePeftLoraConfig({ peft_type: 'LORA', r: 4, extra: 1 });
    assert.equal(c.lora_alpha, 8);
    assert.equal(c.fan_in_fan_out, false);
    assert.equal(c.extra, 1);
    assert.equal(loraScale(4, 8), 2);
  });

  test('tensors: unpaired factors, keys that are not factors, factors of the wrong rank', () => {
    const key = (f: string) => `base_model.model.w.lora_${f}.weight`;
    assert.throws(() => loraAdapterFromTensors([{ name: key('A'), matrix: A }], config), /modules with one factor only: 'w \(only A\)'/);
    assert.throws(() => loraAdapterFromTensors([{ name: key('A'), matrix: A }, { name: key('B'), matrix: B }, { name: 'base_model.model.w.lora_magnitude_vector', matrix: B }], config), UnsupportedError);
    assert.throws(() => loraAdapterFromTensors([{ name: key('A'), matrix: A }, { name: key('B'), matrix: B }], { ...config, r: 3 }), (e) => e instanceof ShapeError && /module 'w': A is 2x5 and B is 3x2; both must have the module's rank 3/.test(e.message));
    assert.equal(loraAdapterFromTensors([{ name: key('B'), matrix: B }, { name: key('A'), matrix: A }], config).modules.length, 1);
  });
});
