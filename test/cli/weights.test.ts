/**
 * `lowrank weights inspect` and `lowrank weights compress` on the trained digits MLP
 * (test/fixtures/safetensors/digits-mlp.safetensors, scripts/train-digits-mlp.py), the numpy
 * spectra fixture and generated BF16 models: the ranks equal numpy's, the output file's
 * layout (NAME.lowrank_A r x in, NAME.lowrank_B out x r, input dtype, the rest copied byte
 * for byte, metadata kept), the reported errors equal what the written factors give, and
 * every usage or data error is one line with the right exit code.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openSafetensors, readSafetensors, writeSafetensors } from '../../src/io/safetensors.js';
import { tensorToMatrix } from '../../src/io/safetensors-codec.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { outputRelativeErrorOf } from '../../src/models/weights/compress.js';
import { weightSpectrum } from '../../src/models/weights/spectrum.js';
import { tempDir } from '../io/util.js';
import { assertFails, json, run } from './harness.js';

const FIX = new URL('../fixtures/safetensors/', import.meta.url).pathname;
const MLP = join(FIX, 'digits-mlp.safetensors');

interface TensorLine {
  name: string;
  shape: number[];
  dtype: string;
  action: 'compressed' | 'copied';
  reason: string | null;
  rank: number | null;
  rankNeeded: number | null;
  paramsBefore: number;
  paramsAfter: number;
  relativeError: number;
  energyKept: number;
  method: string | null;
}

describe('weights inspect', () => {
  test('the MLP: every weight matrix with the ranks its exact spectrum gives; biases listed as not analyzed; the plot', async () => {
    const dir = tempDir();
    const svg = join(dir, 'spectra.svg');
    const r = json(await run('weights', 'inspect', MLP, '--json', '--plot', svg));
    const tensors = r.tensors as { name: string; shape: number[]; dtype: string; stableRank: number; rankForEnergy: Record<string, number>; rankForError: Record<string, number> }[];
    assert.deepEqual(tensors.map((t) => t.name), ['fc1.weight', 'fc2.weight', 'fc3.weight']);
    const { tensors: all } = await readSafetensors(MLP);
    for (const t of tensors) {
      const sp = weightSpectrum(tensorToMatrix(all.find((x) => x.name === t.name)!));
      assert.equal(t.dtype, 'F32');
      assert.ok(Math.abs(t.stableRank - sp.stableRank) < 1e-9);
      assert.deepEqual(t.rankForEnergy, { '0.9': sp.rankForEnergy(0.9), '0.99': sp.rankForEnergy(0.99) });
      assert.deepEqual(t.rankForError, { '0.01': sp.rankForError(0.01), '0.05': sp.rankForError(0.05) });
    }
    assert.deepEqual((r.skipped as { name: string; reason: string }[]).map((s) => `${s.name}: ${s.reason}`), ['fc1.bias: 1-D', 'fc2.bias: 1-D', 'fc3.bias: 1-D']);
    assert.equal((r.metadata as Record<string, string>).format, 'pt');
    const text = readFileSync(svg, 'utf8');
    assert.match(text, /^<\?xml[^>]*>\n<svg /);
    assert.equal((text.match(/<polyline /g) ?? []).length, 3);
    assert.match(text, /fc2\.weight/);
  });

  test("ranks equal numpy's on the exact spectrum (spectra fixture); text output is a table", async () => {
    const want = JSON.parse(readFileSync(join(FIX, 'spectra.json'), 'utf8')) as Record<string, Record<string, number>>;
    const r = json(await run('weights', 'inspect', join(FIX, 'spectra.safetensors'), '--json'));
    for (const t of r.tensors as { name: string; rankForEnergy: Record<string, number>; rankForError: Record<string, number>; stableRank: number }[]) {
      const w = want[t.name]!;
      assert.deepEqual([t.rankForEnergy['0.9'], t.rankForEnergy['0.99'], t.rankForError['0.01'], t.rankForError['0.05']], [w['energy0.9'], w['energy0.99'], w['error0.01'], w['error0.05']], t.name);
      assert.ok(Math.abs(t.stableRank - w.stableRank!) < 1e-9 * w.stableRank!);
    }
    const txt = await run('weights', 'inspect', MLP, '--include', 'fc[12]');
    assert.equal(txt.code, 0, txt.err);
    assert.match(txt.out, /^weights inspect: .*digits-mlp\.safetensors: 2 weight matrices \(24576 parameters\) of 6 tensors/);
    assert.match(txt.out, /^ {2}fc2\.weight +128x128 +F32 +\d+\.\d\d( +\d+){5}$/m);
    assert.match(txt.out, /fc3\.weight 10x128 F32 \(not included\)/);
  });

  test('many layers: the plot colors them by depth', async () => {
    const dir = tempDir();
    const model = join(dir, 'deep.safetensors');
    await writeSafetensors(model, Array.from({ length: 12 }, (_, i) => ({ name: `layer.${i}.weight`, dtype: 'F32' as const, shape: [12, 8], data: Matrix.random(12, 8, { seed: i, dtype: 'float32' }) })));
    const svg = join(dir, 'p.svg');
    assert.equal((await run('weights', 'inspect', model, '--plot', svg)).code, 0);
    const text = readFileSync(svg, 'utf8');
    assert.equal((text.match(/<polyline /g) ?? []).length, 12);
    assert.match(text, /12 layers: lighter = earlier, darker = later/);
  });
});

describe('weights compress', () => {
  test('--energy 0.9 on the MLP: factors NAME.lowrank_A (r x in) and NAME.lowrank_B (out x r), biases copied, metadata kept, errors as reported', async () => {
    const dir = tempDir();
    const out = join(dir, 'small.safetensors');
    const r = json(await run('weights', 'compress', MLP, '--energy', '0.9', '--out', out, '--json'));
    const lines = r.tensors as TensorLine[];
    const src = await openSafetensors(MLP);
    const dst = await openSafetensors(out);
    try {
      assert.deepEqual(dst.metadata, src.metadata);
      for (const line of lines) {
        if (line.action === 'copied') {
          assert.deepEqual(Buffer.from(await dst.readBytes(line.name)), Buffer.from(await src.readBytes(line.name)), line.name);
          continue;
        }
        const W = await src.readMatrix(line.name);
        const A = await dst.readMatrix(`${line.name}.lowrank_A`);
        const B = await dst.readMatrix(`${line.name}.lowrank_B`);
        const [o, i] = line.shape as [number, number];
        const k = line.rank!;
        assert.deepEqual([A.shape, B.shape], [[k, i], [o, k]]);
        assert.equal(dst.info(`${line.name}.lowrank_A`).dtype, 'F32');
        assert.equal(dst.has(line.name), false);
        const sp = weightSpectrum(W);
        assert.equal(k, sp.rankForEnergy(0.9), line.name);
        assert.ok(Math.abs(line.energyKept - sp.energyKept(k)) < 1e-9);
        const err = matmul(B, A).astype('float64').sub(W.astype('float64')).norm('fro') / W.norm('fro');
        assert.ok(Math.abs(err - line.relativeError) < 1e-5, `${line.name}: measured ${err}, reported ${line.relativeError}`);
        assert.ok(Math.abs(err - sp.relativeError(k)) < 1e-5, 'the truncated SVD is optimal');
        assert.equal(line.paramsAfter, k * (o + i));
      }
    } finally {
      await src.close();
      await dst.close();
    }
    const totals = r.totals as Record<string, number>;
    assert.equal(totals.tensors, 6);
    assert.equal(totals.compressed, 3);
    assert.equal(totals.paramsBefore, lines.reduce((a, l) => a + l.paramsBefore, 0));
    assert.equal(totals.paramsAfter, lines.reduce((a, l) => a + l.paramsAfter, 0));
    assert.ok(totals.bytesAfter! < totals.bytesBefore!);
    assert.deepEqual(r.target, { energy: 0.9 });
  });

  test('--rank: a tensor whose factors would not be smaller is copied unchanged under its own name', async () => {
    const dir = tempDir();
    const out = join(dir, 'r40.safetensors');
    const r = json(await run('weights', 'compress', MLP, '--rank', '40', '--out', out, '--json'));
    const by = Object.fromEntries((r.tensors as TensorLine[]).map((t) => [t.name, t]));
    // fc1 128x64: 40 (128 + 64) = 7680 < 8192, compressed; fc3 10x128: rank 10 (clamped) is not smaller.
    assert.equal(by['fc1.weight']!.action, 'compressed');
    assert.equal(by['fc1.weight']!.rank, 40);
    assert.equal(by['fc3.weight']!.action, 'copied');
    assert.equal(by['fc3.weight']!.reason, 'not smaller at rank 10');
    const st = await openSafetensors(out);
    try {
      assert.ok(st.has('fc3.weight') && !st.has('fc3.weight.lowrank_A'));
      assert.ok(st.has('fc1.weight.lowrank_B') && !st.has('fc1.weight'));
    } finally {
      await st.close();
    }
  });

  test('--include / --exclude pick the tensors; excluded ones are copied', async () => {
    const dir = tempDir();
    const r = json(await run('weights', 'compress', MLP, '--rank', '4', '--include', '^fc[12]\\.', '--exclude', 'fc1', '--out', join(dir, 'x.safetensors'), '--json'));
    const compressed = (r.tensors as TensorLine[]).filter((t) => t.action === 'compressed').map((t) => t.name);
    assert.deepEqual(compressed, ['fc2.weight']);
    const reasons = Object.fromEntries((r.tensors as TensorLine[]).map((t) => [t.name, t.reason]));
    assert.equal(reasons['fc1.weight'], 'excluded');
    assert.equal(reasons['fc3.weight'], 'not included');
  });

  test('BF16 and F16 models: factors written in the input dtype; the error reported is that of the rounded factors', async () => {
    const dir = tempDir();
    const model = join(dir, 'bf16.safetensors');
    const W = matmul(Matrix.random(96, 6, { seed: 1, dtype: 'float32', distribution: 'normal' }), Matrix.random(6, 80, { seed: 2, dtype: 'float32', distribution: 'normal' })).add(Matrix.random(96, 80, { seed: 3, dtype: 'float32', distribution: 'normal' }).scale(0.01));
    await writeSafetensors(model, [
      { name: 'w', dtype: 'BF16', shape: [96, 80], data: W },
      { name: 'h', dtype: 'F16', shape: [96, 80], data: W },
      { name: 'ids', dtype: 'I64', shape: [2, 2], data: [1, 2, 3, 4] },
    ], { metadata: { format: 'pt' } });
    const out = join(dir, 'out.safetensors');
    const r = json(await run('weights', 'compress', model, '--error', '0.05', '--out', out, '--json'));
    const lines = r.tensors as TensorLine[];
    const st = await openSafetensors(out);
    const src = await openSafetensors(model);
    try {
      for (const name of ['w', 'h']) {
        const line = lines.find((l) => l.name === name)!;
        assert.equal(line.action, 'compressed');
        assert.equal(line.rank, 6);
        assert.equal(st.info(`${name}.lowrank_A`).dtype, name === 'w' ? 'BF16' : 'F16');
        const A = await st.readMatrix(`${name}.lowrank_A`);
        const B = await st.readMatrix(`${name}.lowrank_B`);
        const Win = await src.readMatrix(name);
        const err = matmul(B.astype('float64'), A.astype('float64')).sub(Win.astype('float64')).norm('fro') / Win.norm('fro');
        assert.ok(Math.abs(err - line.relativeError) < 1e-6, `${name}: ${err} vs ${line.relativeError}`);
        assert.ok(err < 0.05 + 0.01, `${name}: ${err}`);
      }
      assert.equal(lines.find((l) => l.name === 'ids')!.reason, 'dtype I64');
      assert.deepEqual(Array.from((await st.read('ids')).data as BigInt64Array), [1n, 2n, 3n, 4n]);
    } finally {
      await st.close();
      await src.close();
    }
  });

  test('text output: one line per tensor and the totals', async () => {
    const dir = tempDir();
    const r = await run('weights', 'compress', MLP, '--error', '0.3', '--out', join(dir, 't.safetensors'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^weights compress: .* \(relative error 0\.3\) in \d+\.\d\d s: 3 of 6 tensors factored\n/);
    assert.match(r.out, /^ {2}fc1\.weight +128x64 +F32 +\d+ +8192 +\d+ +0\.\d{4} +\d+\.\d\d%$/m);
    assert.match(r.out, /\+ 3 tensors not 2-D copied unchanged \(266 parameters\)/);
    assert.match(r.out, /parameters 26122 -> \d+ \(\d+\.\d%\), pooled relative error 0\.\d+/);
  });

  test('--activations: the layers with calibration activations are compressed data-aware, with a lower output error than the plain SVD at the same rank', async () => {
    const dir = tempDir();
    // Anisotropic inputs (column j scaled by 2^(-j/6)), so whitening changes the answer.
    const acts = (n: number, d: number, seed: number) => {
      const Z = Matrix.random(n, d, { seed, distribution: 'normal' });
      for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) Z.set(i, j, Z.get(i, j) * 2 ** (-j / 6));
      return Z;
    };
    const X1 = acts(300, 64, 1);
    const X2 = acts(300, 128, 2);
    const actsPath = join(dir, 'acts.safetensors');
    await writeSafetensors(actsPath, [
      { name: 'fc1', dtype: 'F32', shape: [300, 64], data: X1 }, // by module name
      { name: 'fc2.weight', dtype: 'F32', shape: [3, 100, 128], data: Float32Array.from({ length: 300 * 128 }, (_, k) => X2.get(Math.floor(k / 128), k % 128)) }, // by tensor name, (batch, tokens, in)
      { name: 'head', dtype: 'F32', shape: [2, 2], data: [1, 2, 3, 4] }, // matches nothing
    ]);
    const aware = join(dir, 'aware.safetensors');
    const plain = join(dir, 'plain.safetensors');
    const r = json(await run('weights', 'compress', MLP, '--rank', '8', '--activations', actsPath, '--out', aware, '--json'));
    json(await run('weights', 'compress', MLP, '--rank', '8', '--out', plain, '--json'));
    assert.equal(r.activations, actsPath);
    assert.deepEqual(r.activationsUnused, ['head']);
    const lines = r.tensors as (TensorLine & { activations: string | null; outputRelativeError: number | null })[];
    const byName = Object.fromEntries(lines.map((l) => [l.name, l]));
    assert.equal(byName['fc1.weight']!.activations, 'fc1');
    assert.equal(byName['fc2.weight']!.activations, 'fc2.weight');
    assert.equal(byName['fc3.weight']!.activations, null);
    assert.equal(byName['fc3.weight']!.outputRelativeError, null);
    assert.equal(byName['fc1.bias']!.outputRelativeError, null);
    const src = await openSafetensors(MLP);
    const a = await openSafetensors(aware);
    const p = await openSafetensors(plain);
    try {
      for (const [name, X] of [['fc1.weight', X1], ['fc2.weight', X2]] as const) {
        const W = await src.readMatrix(name);
        const Xw = X.astype('float32').astype('float64');
        const got = outputRelativeErrorOf(W, await a.readMatrix(`${name}.lowrank_B`), await a.readMatrix(`${name}.lowrank_A`), Xw);
        const base = outputRelativeErrorOf(W, await p.readMatrix(`${name}.lowrank_B`), await p.readMatrix(`${name}.lowrank_A`), Xw);
        const reported = byName[name]!.outputRelativeError!;
        assert.ok(Math.abs(got - reported) < 1e-5, `${name}: reported ${reported}, measured ${got}`);
        assert.ok(got < 0.9 * base, `${name}: data-aware output error ${got} should beat the plain SVD's ${base}`);
        // The plain SVD stays optimal in ||W - B A||_F.
        assert.ok(byName[name]!.relativeError >= weightSpectrum(W).relativeError(8) - 1e-6);
      }
      // fc3 had no activations: the same factors as the plain run.
      assert.deepEqual(Buffer.from(await a.readBytes('fc3.weight.lowrank_A')), Buffer.from(await p.readBytes('fc3.weight.lowrank_A')));
    } finally {
      await src.close();
      await a.close();
      await p.close();
    }
    const text = await run('weights', 'compress', MLP, '--rank', '8', '--activations', actsPath, '--out', aware);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /output error/);
    assert.match(text.out, /activations not used \(no compressed tensor of that name\): head/);
    const wrong = join(dir, 'wrong.safetensors');
    await writeSafetensors(wrong, [{ name: 'fc2', dtype: 'F32', shape: [10, 64], data: new Float32Array(640).fill(1) }]);
    assertFails(await run('weights', 'compress', MLP, '--rank', '8', '--activations', wrong, '--out', aware), 1, /wrong\.safetensors: activations 'fc2' are 10x64; tensor 'fc2\.weight' \(128x128\) needs n x 128/);
    assertFails(await run('weights', 'compress', MLP, '--rank', '8', '--activations', join(dir, 'none.safetensors'), '--out', aware), 1, /none\.safetensors: no such file/);
  });

  test('usage errors are exit 2, bad files exit 1, each one line naming what is wrong', async () => {
    const dir = tempDir();
    const out = join(dir, 'o.safetensors');
    assertFails(await run('weights', 'compress', MLP, '--out', out), 2, /give exactly one of --energy, --rank and --error/);
    assertFails(await run('weights', 'compress', MLP, '--rank', '3', '--energy', '0.5', '--out', out), 2, /\(got --energy, --rank\)/);
    assertFails(await run('weights', 'compress', MLP, '--energy', '1.5', '--out', out), 2, /--energy must be a fraction in \(0, 1\], got '1\.5'/);
    assertFails(await run('weights', 'compress', MLP, '--error', '0', '--out', out), 2, /--error must be a fraction in \(0, 1\)/);
    assertFails(await run('weights', 'compress', MLP, '--rank', '3', '--include', '([', '--out', out), 2, /--include must be a regular expression, got '\(\['/);
    assertFails(await run('weights', 'compress', MLP, '--rank', '3'), 2, /required option '-o, --out/);
    assertFails(await run('weights', 'inspect', join(dir, 'missing.safetensors')), 1, /missing\.safetensors: no such file or directory/);
    const bad = join(dir, 'bad.safetensors');
    const header = new TextEncoder().encode('{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}');
    const bytes = new Uint8Array(8 + header.length + 12);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    writeFileSync(bad, bytes);
    assertFails(await run('weights', 'inspect', bad), 1, /bad\.safetensors: tensor 'w': shape \[2,2\] of F32 is 16 bytes, but data_offsets \[0, 12\] span 12/);
    assertFails(await run('weights', 'compress', bad, '--rank', '1', '--out', out), 1, /bad\.safetensors: tensor 'w'/);
    const clash = join(dir, 'clash.safetensors');
    await writeSafetensors(clash, [
      { name: 'w', dtype: 'F32', shape: [20, 20], data: Matrix.random(20, 20, { seed: 1 }) },
      { name: 'w.lowrank_A', dtype: 'F32', shape: [1], data: [0] },
    ]);
    assertFails(await run('weights', 'compress', clash, '--rank', '2', '--out', out), 2, /two tensors named 'w\.lowrank_A'/);
  });
});
