import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError, InvalidArgumentError } from '../../../src/errors.js';
import { ppmiEmbeddings, ppmiEmbeddingsAsync, ppmiMatrix, WordEmbeddings } from '../../../src/models/text/ppmi.js';
import { CsrMatrix } from '../../../src/sparse/csr.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

/** Gender x status grid: king/queen (royal), man/woman (common), boy/girl (young), with context words of each. */
function plantedCorpus(n: number): string[][] {
  const words = { royal: ['king', 'queen'], common: ['man', 'woman'], young: ['boy', 'girl'] } as const;
  const statusCtx = { royal: ['crown', 'throne', 'palace'], common: ['street', 'work', 'town'], young: ['school', 'toy', 'play'] } as const;
  const genderCtx = [['he', 'him', 'his'], ['she', 'her', 'hers']];
  const statuses = ['royal', 'common', 'young'] as const;
  let s = 11;
  const next = (m: number): number => ((s = (s * 1103515245 + 12345) % 2147483648), (s >>> 8) % m);
  const out: string[][] = [];
  for (let i = 0; i < n; i++) {
    const st = statuses[i % 3]!;
    const g = Math.floor(i / 3) % 2;
    out.push([genderCtx[g]![next(3)]!, words[st][g]!, statusCtx[st][next(3)]!]);
  }
  return out;
}

describe('ppmiMatrix and ppmiEmbeddings', () => {
  it('PPMI of a three-word corpus by hand: ln 2 everywhere without smoothing; cds and shift as the formulas say', () => {
    const e = ppmiEmbeddings([['x', 'y', 'z']], { dim: 1, window: 1, minCount: 1, cdsAlpha: 1 });
    const [x, y, z] = ['x', 'y', 'z'].map((w) => e.indexOf(w));
    assert.deepEqual(e.vocabulary, ['x', 'y', 'z']); // by decreasing count, ties by name
    const P = e.ppmi!;
    assert.equal(P.nnz, 4);
    for (const [a, b] of [[x, y], [y, x], [y, z], [z, y]]) close(P.get(a!, b!), Math.LN2);
    assert.equal(P.get(x!, z!), 0);
    // cds alpha = 0.75, shift 2: PMI(x, y) = ln(Z / 2^0.75) - ln 2 > 0 kept, PMI(y, x) = ln(Z / 2) - ln 2 < 0 dropped.
    const counts = CsrMatrix.fromCoo([0, 1, 1, 2], [1, 0, 2, 1], [1, 1, 1, 1], 3, 3);
    const Z = 2 + 2 ** 0.75;
    const smooth = ppmiMatrix(counts, { cdsAlpha: 0.75 });
    close(smooth.get(0, 1), Math.log(Z / 2 ** 0.75));
    close(smooth.get(1, 0), Math.log(Z / 2));
    const shifted = ppmiMatrix(counts, { cdsAlpha: 0.75, shift: 2 });
    assert.equal(shifted.nnz, 2);
    close(shifted.get(0, 1), Math.log(Z / 2 ** 0.75) - Math.LN2);
    assert.equal(shifted.get(1, 0), 0);
  });

  it('dynamic windows weight a context d tokens away by (window - d + 1) / window; minCount drops words but keeps positions', () => {
    // counts (window 2, dynamic): x-y 1, y-z 1, x-z 0.5 (both directions); row sums x 1.5, y 2, z 1.5, alpha 1:
    // PMI(x, z) = ln(0.5 / (1.5 * 1.5 / 5))
    const e = ppmiEmbeddings([['x', 'y', 'z']], { dim: 1, window: 2, dynamicWindow: true, minCount: 1, cdsAlpha: 1 });
    close(e.ppmi!.get(e.indexOf('x'), e.indexOf('z')), Math.log(0.5 / (2.25 / 5)));
    // 'rare' (count 1) is dropped: 'aa' and 'bb' stay 2 apart, so window 1 never pairs them.
    const f = ppmiEmbeddings([['aa', 'rare', 'bb'], ['aa', 'cc'], ['bb', 'cc']], { dim: 1, window: 1, minCount: 2, cdsAlpha: 1 });
    assert.deepEqual([...f.vocabulary].sort(), ['aa', 'bb', 'cc']);
    assert.equal(f.ppmi!.get(f.indexOf('aa'), f.indexOf('bb')), 0);
  });

  it('counts a corpus larger than the pair buffer (compaction) exactly like a direct count', () => {
    let s = 5;
    const next = (m: number): number => ((s = (s * 1103515245 + 12345) % 2147483648), (s >>> 8) % m);
    const vocab = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const corpus: string[][] = [];
    for (let l = 0; l < 1500; l++) corpus.push(Array.from({ length: 20 }, () => vocab[Math.min(next(40), next(40))]!));
    const e = ppmiEmbeddings(corpus, { dim: 3, window: 2, minCount: 1 });
    const V = e.vocabulary.length;
    const dense = new Float64Array(V * V);
    for (const line of corpus) {
      for (let i = 0; i < line.length; i++) {
        for (let d = 1; d <= 2 && i + d < line.length; d++) {
          const a = e.indexOf(line[i]!);
          const b = e.indexOf(line[i + d]!);
          dense[a * V + b] = dense[a * V + b]! + 1;
          dense[b * V + a] = dense[b * V + a]! + 1;
        }
      }
    }
    const rows: number[] = [], cols: number[] = [], vals: number[] = [];
    dense.forEach((v, p) => { if (v > 0) { rows.push(Math.floor(p / V)); cols.push(p % V); vals.push(v); } });
    const ref = ppmiMatrix(CsrMatrix.fromCoo(rows, cols, vals, V, V));
    assert.deepEqual(Array.from(e.ppmi!.indptr), Array.from(ref.indptr));
    assert.deepEqual(Array.from(e.ppmi!.indices), Array.from(ref.indices));
    e.ppmi!.data.forEach((v, k) => close(v, ref.data[k]!, 1e-12));
  });

  it('solves a planted analogy (man : king :: woman : queen) with 3CosAdd and 3CosMul, and finds neighbours', () => {
    const e = ppmiEmbeddings(plantedCorpus(600), { dim: 6, window: 2, minCount: 1 });
    for (const method of ['add', 'mul'] as const) {
      assert.equal(e.analogy('man', 'king', 'woman', { method })[0]!.word, 'queen', method);
      assert.equal(e.analogy('boy', 'man', 'girl', { method })[0]!.word, 'woman', method);
      assert.equal(e.analogy('queen', 'she', 'king', { method, n: 3 }).length, 3);
    }
    const near = e.nearest('crown', 2).map((w) => w.word).sort();
    assert.deepEqual(near, ['palace', 'throne']);
    assert.ok(e.similarity('king', 'queen') > e.similarity('king', 'school'));
    close(e.similarity('king', 'king'), 1, 1e-12);
    assert.equal(e.nearest('king', 100).length, e.vocabulary.length - 1);
    const back = WordEmbeddings.fromJSON(JSON.parse(JSON.stringify(e)));
    assert.deepEqual(back.analogy('man', 'king', 'woman'), e.analogy('man', 'king', 'woman'));
    assert.equal(back.ppmi, undefined);
  });

  it('tokenizes string documents; validates options and input; stops on abort', () => {
    const e = ppmiEmbeddings(['The cat sat on the mat.', 'The dog sat on the log.'], { dim: 2, minCount: 1 });
    assert.ok(e.has('cat') && !e.has('The'));
    assert.throws(() => e.vector('zebra'), /not in the vocabulary/);
    assert.throws(() => ppmiEmbeddings([['a', 'b']], { dim: 0 }), /dim/);
    assert.throws(() => ppmiEmbeddings([['a', 'b']], { cdsAlpha: 1.5 }), /cdsAlpha/);
    assert.throws(() => ppmiEmbeddings([['a', 'b']], { shift: 0 }), /shift/);
    assert.throws(() => ppmiEmbeddings([['aa', 'bb']], { minCount: 5 }), /minCount/);
    assert.throws(() => ppmiEmbeddings([['aa', 'bb']], { dim: 5, minCount: 1 }), /exceeds the vocabulary/);
    assert.throws(() => ppmiEmbeddings([['aa', 'bb']], { dim: 1, minCount: 1, shift: 100 }), (err: unknown) => err instanceof InvalidArgumentError && /positive/.test(err.message));
    assert.throws(() => ppmiEmbeddings([42 as unknown as string]), /document 0/);
    assert.throws(() => e.analogy('cat', 'dog', 'mat', { method: 'sub' as 'add' }), /method/);
    const fails = (make: () => unknown, re: RegExp): void => {
      assert.throws(make, (err: unknown) => err instanceof InvalidArgumentError && re.test(err.message), re.source);
    };
    fails(() => ppmiEmbeddings([['a', 'b']], { dim: 0 }), /^ppmiEmbeddings: option 'dim' must be an integer >= 1, got 0$/);
    fails(() => ppmiEmbeddings([['a', 'b']], { cdsAlpha: 1.5 }), /^ppmiEmbeddings: option 'cdsAlpha' must be a number in \(0, 1\], got 1.5$/);
    fails(() => ppmiEmbeddings([['a', 'b']], { window: 2, windowSize: 3 } as never), /^ppmiEmbeddings: unknown option 'windowSize' \(known: dim, /);
    fails(() => ppmiEmbeddings([['a', 'b']], { method: 'svd' as never }), /^ppmiEmbeddings: option 'method' must be one of 'auto', 'randomized' or 'lanczos', got 'svd'$/);
    fails(() => ppmiEmbeddings(['a b'], { tokenize: { lower: true } as never }), /^ppmiEmbeddings: tokenize: unknown option 'lower'/);
    fails(() => ppmiMatrix(CsrMatrix.fromCoo([0], [0], [1], 1, 1), { shift: 0 }), /^ppmiMatrix: option 'shift' must be a finite number > 0, got 0$/);
    fails(() => e.analogy('cat', 'dog', 'mat', { k: 3 } as never), /^analogy: unknown option 'k' \(known: n, method\)$/);
    fails(() => e.analogy('cat', 'dog', 'mat', { n: 0 }), /^analogy: option 'n' must be an integer >= 1, got 0$/);
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => ppmiEmbeddings(plantedCorpus(30), { dim: 2, minCount: 1, signal: ac.signal }), AbortedError);
  });

  it('ppmiEmbeddingsAsync gives the embeddings of ppmiEmbeddings with the same progress; it rejects bad input and stops on abort', async () => {
    const corpus = plantedCorpus(2400);
    const syncReports: unknown[] = [];
    const asyncReports: unknown[] = [];
    const a = ppmiEmbeddings(corpus, { dim: 3, minCount: 1, onProgress: (p) => syncReports.push(p) });
    const b = await ppmiEmbeddingsAsync(corpus, { dim: 3, minCount: 1, onProgress: (p) => asyncReports.push(p) });
    assert.deepEqual(b.toJSON(), a.toJSON());
    assert.deepEqual(asyncReports, syncReports);
    assert.deepEqual(syncReports.slice(0, 2), [{ stage: 'documents', done: 1000, total: 2400 }, { stage: 'documents', done: 2000, total: 2400 }]);
    await assert.rejects(ppmiEmbeddingsAsync(corpus, { dim: 0 }), /^InvalidArgumentError: ppmiEmbeddings: option 'dim' must be an integer >= 1, got 0$/);
    await assert.rejects(ppmiEmbeddingsAsync([42 as unknown as string]), /document 0/);
    await assert.rejects(ppmiEmbeddingsAsync(corpus, { signal: AbortSignal.abort() }), /^AbortedError: ppmiEmbeddingsAsync was aborted$/);
    // Aborting at the first progress report (1000 documents) stops the tokenizing pass within one step.
    const ctl = new AbortController();
    const seen: number[] = [];
    await assert.rejects(ppmiEmbeddingsAsync(corpus, { dim: 3, minCount: 1, signal: ctl.signal, onProgress: (p) => { seen.push(p.done); ctl.abort(); } }), AbortedError);
    assert.deepEqual(seen, [1000]);
  });
});
