/**
 * `lowrank lora extract|merge|inspect` on the planted model of scripts/gen-lora-fixtures.py:
 * the adapter's files in PEFT's layout (keys, shapes, configuration), the reported errors
 * equal numpy's SVD tail, merge reproduces the tuned weights up to them and copies every
 * other tensor byte for byte, inspect gives the planted ranks; PEFT's own adapter merges to
 * PEFT's weights; mismatched models are one error line listing the tensors (exit 1); usage
 * errors exit 2. (lora-peft.test.ts has PEFT itself load an adapter lowrank wrote.)
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openSafetensors, readSafetensors, writeSafetensors } from '../../src/io/safetensors.js';
import { tensorToMatrix } from '../../src/io/safetensors-codec.js';
import { tempDir } from '../io/util.js';
import { assertFails, json, run } from './harness.js';

const FIX = new URL('../fixtures/lora/', import.meta.url).pathname;
const BASE = join(FIX, 'planted-base.safetensors');
const TUNED = join(FIX, 'planted-tuned.safetensors');
const planted = JSON.parse(readFileSync(join(FIX, 'planted.json'), 'utf8')) as { modules: Record<string, { relative_error: Record<string, number> }> };

interface ModuleLine {
  module: string;
  tensor: string;
  shape: number[];
  keptRank: number;
  relativeError: number;
  tunedRelativeError: number;
}

describe('lora extract', () => {
  test('the planted model at rank 4: PEFT layout, errors equal numpy\'s SVD tail, the 1-D change reported', async () => {
    const dir = join(tempDir(), 'adapter');
    const r = json(await run('lora', 'extract', BASE, TUNED, '--rank', '4', '--alpha', '8', '--out', dir, '--json'));
    assert.equal(r.r, 4);
    assert.equal(r.lora_alpha, 8);
    assert.equal(r.scale, 2);
    assert.deepEqual(r.target_modules, ['fc1', 'q_proj']);
    const modules = r.modules as ModuleLine[];
    assert.deepEqual(modules.map((m) => m.module).sort(), Object.keys(planted.modules).sort());
    for (const m of modules) {
      const want = planted.modules[m.module]!.relative_error['4']!;
      assert.ok(Math.abs(m.relativeError - want) < 1e-6 || (want < 1e-6 && m.relativeError < 1e-6), `${m.module}: ${m.relativeError} vs ${want}`);
    }
    assert.deepEqual((r.skipped as { name: string; changed: boolean | null }[]).filter((s) => s.changed).map((s) => s.name), ['model.norm.weight']);
    const st = await openSafetensors(join(dir, 'adapter_model.safetensors'));
    try {
      const baseSt = await openSafetensors(BASE);
      for (const t of st.tensors) {
        const m = /^base_model\.model\.(.+)\.lora_([AB])\.weight$/.exec(t.name);
        assert.ok(m, t.name);
        const [out, inn] = baseSt.info(`${m[1]}.weight`).shape as [number, number];
        assert.deepEqual(t.shape, m[2] === 'A' ? [4, inn] : [out, 4], t.name);
        assert.equal(t.dtype, 'F32');
      }
      assert.equal(st.tensors.length, 6);
      await baseSt.close();
    } finally {
      await st.close();
    }
    const config = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(config.peft_type, 'LORA');
    assert.deepEqual(config.target_modules, ['fc1', 'q_proj']);
    assert.equal(config.bias, 'none');
    assert.equal(config.task_type, null);
  });

  test('text report; --dtype BF16 reports the errors of the rounded factors', async () => {
    const dir = join(tempDir(), 'bf16');
    const r = await run('lora', 'extract', BASE, TUNED, '-r', '3', '--out', dir, '--dtype', 'BF16');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^lora extract: .*planted-base\.safetensors -> .*planted-tuned\.safetensors, rank 3 \(alpha 3, scale 1\) in [\d.]+ s: 3 modules changed\n/);
    assert.match(r.out, /model\.layers\.0\.self_attn\.q_proj +48x32 +F32 +3 +0\.00[1-4]\d*  /); // exact rank 3: only BF16 rounding (2^-9) is left
    assert.match(r.out, /changed but not in the adapter: model\.norm\.weight \[32\] \(1-D: LoRA adapts 2-D weights only\)/);
    assert.match(r.out, /target_modules: fc1, q_proj/);
    const st = await openSafetensors(join(dir, 'adapter_model.safetensors'));
    assert.ok(st.tensors.every((t) => t.dtype === 'BF16'));
    await st.close();
  });

  test('models that do not match: one line listing the tensors, exit 1', async () => {
    const dir = tempDir();
    const { tensors } = await readSafetensors(TUNED);
    const missing = join(dir, 'missing.safetensors');
    await writeSafetensors(missing, tensors.filter((t) => t.name !== 'lm_head.weight' && t.name !== 'model.norm.weight'));
    assertFails(await run('lora', 'extract', BASE, missing, '--rank', '2', '--out', join(dir, 'a')), 1, /are not the same model: missing from .*missing\.safetensors: 'lm_head\.weight', 'model\.norm\.weight'/);
    const bf16 = join(dir, 'bf16.safetensors');
    await writeSafetensors(bf16, tensors.map((t) => (t.name.endsWith('fc1.weight') ? { ...t, dtype: 'BF16' as const } : t)));
    assertFails(await run('lora', 'extract', BASE, bf16, '--rank', '2', '--out', join(dir, 'b')), 1, /different dtypes \(base vs tuned\): 'model\.layers\.0\.mlp\.fc1\.weight \(F32 vs BF16\)', 'model\.layers\.1\.mlp\.fc1\.weight \(F32 vs BF16\)'/);
    const shaped = join(dir, 'shaped.safetensors');
    await writeSafetensors(shaped, tensors.map((t) => (t.name === 'lm_head.weight' ? { ...t, shape: [50, 64] } : t)));
    assertFails(await run('lora', 'extract', BASE, shaped, '--rank', '2', '--out', join(dir, 'c')), 1, /different shapes \(base vs tuned\): 'lm_head\.weight \(100x32 vs 50x64\)'/);
    assertFails(await run('lora', 'extract', BASE, BASE, '--rank', '2', '--out', join(dir, 'd')), 1, /no 2-D weight differs/);
    assert.ok(!existsSync(join(dir, 'a')));
  });

  test('usage errors exit 2', async () => {
    assertFails(await run('lora', 'extract', BASE, TUNED, '--out', 'x'), 2, /required option '-r, --rank <r>' not specified/);
    assertFails(await run('lora', 'extract', BASE, TUNED, '--rank', '0', '--out', 'x'), 2, /--rank must be an integer >= 1, got '0'/);
    assertFails(await run('lora', 'extract', BASE, TUNED, '--rank', '2', '--alpha', '-1', '--out', 'x'), 2, /--alpha must be a number > 0/);
    assertFails(await run('lora', 'extract', BASE, TUNED, '--rank', '2', '--include', '(', '--out', 'x'), 2, /--include must be a regular expression/);
    assertFails(await run('lora', 'extract', BASE, join(FIX, 'nope.safetensors'), '--rank', '2', '--out', 'x'), 1, /nope\.safetensors/);
  });
});

describe('lora merge and inspect', () => {
  test('merge(extract) reproduces the tuned weights up to the rank-r error; everything else byte for byte', async () => {
    const dir = tempDir();
    const adapter = join(dir, 'adapter');
    const ex = json(await run('lora', 'extract', BASE, TUNED, '--rank', '2', '--out', adapter, '--json'));
    const out = join(dir, 'merged.safetensors');
    const r = json(await run('lora', 'merge', BASE, adapter, '--out', out, '--json'));
    assert.deepEqual((r.merged as { tensor: string }[]).map((m) => m.tensor).sort(), (ex.modules as ModuleLine[]).map((m) => m.tensor).sort());
    const merged = await readSafetensors(out);
    const base = await readSafetensors(BASE);
    const tuned = await readSafetensors(TUNED);
    assert.deepEqual(merged.metadata, base.metadata);
    assert.deepEqual(merged.tensors.map((t) => t.name).sort(), base.tensors.map((t) => t.name).sort());
    for (const t of merged.tensors) {
      const b = base.tensors.find((x) => x.name === t.name)!;
      const line = (ex.modules as ModuleLine[]).find((m) => m.tensor === t.name);
      if (line === undefined) {
        assert.deepEqual(Array.from(t.data as Float32Array), Array.from(b.data as Float32Array), t.name);
        continue;
      }
      const W = tensorToMatrix(t).astype('float64');
      const T = tensorToMatrix(tuned.tensors.find((x) => x.name === t.name)!).astype('float64');
      const B = tensorToMatrix(b).astype('float64');
      const err = W.sub(T).norm() / T.sub(B).norm();
      assert.ok(Math.abs(err - line.relativeError) < 1e-5, `${t.name}: ${err} vs ${line.relativeError}`);
    }
    const text = await run('lora', 'merge', BASE, adapter, '--out', out);
    assert.match(text.out, /^lora merge: .*adapter \(r 2, alpha 2\) into .*planted-base\.safetensors in [\d.]+ s: 3 weights merged, 7 tensors copied\n/);
  });

  test("PEFT's adapter merges to PEFT's merge_and_unload weights", async () => {
    const out = join(tempDir(), 'merged.safetensors');
    json(await run('lora', 'merge', BASE, join(FIX, 'peft-adapter'), '--out', out, '--json'));
    const ours = await readSafetensors(out);
    const peft = await readSafetensors(join(FIX, 'peft-merged.safetensors'));
    for (const t of peft.tensors) {
      const mine = ours.tensors.find((x) => x.name === t.name)!;
      const a = tensorToMatrix(mine).astype('float64');
      const b = tensorToMatrix(t).astype('float64');
      assert.ok(a.sub(b).norm() <= 1e-6 * b.norm(), t.name);
    }
  });

  test('inspect: the planted ranks as numerical ranks; JSON has every singular value', async () => {
    const adapter = join(tempDir(), 'adapter');
    json(await run('lora', 'extract', BASE, TUNED, '--rank', '4', '--out', adapter, '--json'));
    const r = json(await run('lora', 'inspect', adapter, '--json'));
    const modules = r.modules as { module: string; rank: number; numericalRank: number; effectiveRank: number; singularValues: number[] }[];
    const rank = Object.fromEntries(modules.map((m) => [m.module, m.numericalRank]));
    assert.deepEqual(rank, { 'model.layers.0.self_attn.q_proj': 3, 'model.layers.1.self_attn.q_proj': 2, 'model.layers.0.mlp.fc1': 4 });
    for (const m of modules) {
      assert.equal(m.rank, 4);
      assert.equal(m.singularValues.length, 4);
      assert.ok(m.effectiveRank >= 1 && m.effectiveRank <= m.numericalRank + 1e-9);
    }
    const text = await run('lora', 'inspect', join(FIX, 'peft-adapter-patterns', 'adapter_model.safetensors'));
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^lora inspect: .*: 6 modules, r 4, lora_alpha 8 \(rsLoRA\), target_modules v_proj, fc1, q_proj \([\d.]+ s\)\n/);
    assert.match(text.out, /model\.layers\.1\.self_attn\.q_proj +48x32 +2 /);
  });

  test('errors: an adapter that does not fit the base, a missing adapter, a bad configuration', async () => {
    const dir = tempDir();
    const small = join(dir, 'small.safetensors');
    const { tensors } = await readSafetensors(BASE);
    await writeSafetensors(small, tensors.filter((t) => !t.name.includes('layers.1')));
    assertFails(await run('lora', 'merge', small, join(FIX, 'peft-adapter'), '--out', join(dir, 'm.safetensors')), 1, /the adapter does not fit .*small\.safetensors: .*small\.safetensors has no tensor 'model\.layers\.1\.mlp\.fc1\.weight', 'model\.layers\.1\.self_attn\.q_proj\.weight'/);
    assert.ok(!existsSync(join(dir, 'm.safetensors')));
    assertFails(await run('lora', 'inspect', join(dir, 'none')), 1, /none/);
    const badDir = join(dir, 'bad');
    mkdirSync(badDir);
    copyFileSync(join(FIX, 'peft-adapter', 'adapter_model.safetensors'), join(badDir, 'adapter_model.safetensors'));
    writeFileSync(join(badDir, 'adapter_config.json'), JSON.stringify({ peft_type: 'PREFIX_TUNING' }));
    assertFails(await run('lora', 'inspect', badDir), 1, /peft_type is 'PREFIX_TUNING'; lowrank reads LoRA adapters/);
    writeFileSync(join(badDir, 'adapter_config.json'), '{"peft_type": "LORA", "r": 4,');
    assertFails(await run('lora', 'inspect', badDir), 1, /adapter_config\.json: not valid JSON/);
  });
});
