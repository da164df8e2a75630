import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AbortedError, InvalidArgumentError } from '../../../src/errors.js';
import { createAnalyzer, tokenize, ENGLISH_STOP_WORDS, type TokenizeOptions } from '../../../src/models/text/tokenize.js';
import {
  CountVectorizer,
  CountVectorizerModel,
  TfidfVectorizer,
  TfidfVectorizerModel,
  type TfidfVectorizerOptions,
} from '../../../src/models/text/vectorize.js';
import type { CsrMatrix } from '../../../src/sparse/csr.js';
import { svdvals } from '../../../src/linalg/svd.js';

interface CsrJSON { indptr: number[]; indices: number[]; data: number[] }
interface Case {
  name: string;
  count: Record<string, unknown>;
  tfidf: Record<string, unknown>;
  vocabulary: string[];
  counts: CsrJSON;
  weights: CsrJSON;
  idf: number[] | null;
  singularValues?: number[];
  queries?: string[];
  queryWeights?: CsrJSON;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/text/vectorize.json', import.meta.url), 'utf8')) as {
  docs: string[];
  cases: Case[];
  tokens: Record<string, string[][]>;
};

/** scikit-learn keyword arguments -> our options. */
function optionsOf(c: Case): TfidfVectorizerOptions {
  const o: TfidfVectorizerOptions = {};
  const a = { ...c.count, ...c.tfidf };
  if ('stop_words' in a) o.stopWords = a.stop_words as 'english';
  if ('min_df' in a) o.minDf = a.min_df as number;
  if ('max_df' in a) o.maxDf = a.max_df as number;
  if ('max_features' in a) o.maxFeatures = a.max_features as number;
  if ('strip_accents' in a) o.stripAccents = a.strip_accents as 'unicode';
  if ('ngram_range' in a) o.ngramRange = a.ngram_range as [number, number];
  if ('lowercase' in a) o.lowercase = a.lowercase as boolean;
  if ('binary' in a) o.binary = a.binary as boolean;
  if ('sublinear_tf' in a) o.sublinearTf = a.sublinear_tf as boolean;
  if ('smooth_idf' in a) o.smoothIdf = a.smooth_idf as boolean;
  if ('use_idf' in a) o.useIdf = a.use_idf as boolean;
  if ('norm' in a) o.norm = a.norm as 'l1';
  return o;
}

function assertCsr(X: CsrMatrix, ref: CsrJSON, rows: number, cols: number, tol: number): void {
  assert.deepEqual(X.shape, [rows, cols]);
  assert.deepEqual(Array.from(X.indptr), ref.indptr);
  assert.deepEqual(Array.from(X.indices), ref.indices);
  for (let k = 0; k < ref.data.length; k++) assert.ok(Math.abs(X.data[k]! - ref.data[k]!) <= tol, `entry ${k}: ${X.data[k]} vs ${ref.data[k]}`);
}

describe('tokenize', () => {
  it('matches scikit-learn build_analyzer() on edge cases (unicode, numbers, underscores, accents, bigrams)', () => {
    const edge = fx.docs.slice(0, fx.tokens.defaults!.length);
    const settings: Record<string, TokenizeOptions> = {
      defaults: {},
      english_accents_bigrams: { stopWords: 'english', stripAccents: 'unicode', ngramRange: [1, 2] },
      ascii: { stripAccents: 'ascii' },
    };
    for (const [name, opts] of Object.entries(settings)) {
      const analyze = createAnalyzer(opts);
      edge.forEach((d, i) => assert.deepEqual(analyze(d), fx.tokens[name]![i], `${name} doc ${i}`));
    }
  });

  it('has the 318 English stop words, custom stop words and patterns with a group', () => {
    assert.equal(ENGLISH_STOP_WORDS.size, 318);
    assert.deepEqual(tokenize('The cat sat on the mat', { stopWords: ['cat', 'the'] }), ['sat', 'on', 'mat']);
    assert.deepEqual(tokenize('a-b c_d', { tokenPattern: /(\w)[-_]\w/ }), ['a', 'c']);
    assert.deepEqual(tokenize('Hello World', { lowercase: false, tokenPattern: /\w+/ }), ['Hello', 'World']);
  });

  it('rejects bad options', () => {
    assert.throws(() => createAnalyzer({ ngramRange: [2, 1] }), InvalidArgumentError);
    assert.throws(() => createAnalyzer({ stopWords: 'french' as 'english' }), /stopWords/);
    assert.throws(() => createAnalyzer({ stripAccents: 'latin' as 'ascii' }), /stripAccents/);
    assert.throws(() => tokenize(42 as unknown as string), /string/);
  });
});

describe('CountVectorizer and TfidfVectorizer vs scikit-learn', () => {
  const n = fx.docs.length;
  for (const c of fx.cases) {
    it(`${c.name}: vocabulary, counts, idf and TF-IDF weights`, () => {
      const options = optionsOf(c);
      // CountVectorizer takes the counting options only (the weighting ones are unknown to it).
      const { norm, useIdf, smoothIdf, sublinearTf, ...countOptions } = options;
      void [norm, useIdf, smoothIdf, sublinearTf];
      const { model: cm, transformed: C } = new CountVectorizer(countOptions).fitTransform(fx.docs);
      assert.deepEqual(cm.vocabulary, c.vocabulary);
      assertCsr(C, c.counts, n, c.vocabulary.length, 0);
      const { model, transformed: X } = new TfidfVectorizer(options).fitTransform(fx.docs);
      assert.deepEqual(model.vocabulary, c.vocabulary);
      if (c.idf) c.idf.forEach((v, j) => assert.ok(Math.abs(model.idf[j]! - v) < 1e-12, `idf ${j}`));
      assertCsr(X, c.weights, n, c.vocabulary.length, 1e-12);
      // transform of the training documents = fitTransform
      assertCsr(model.transform(fx.docs), c.weights, n, c.vocabulary.length, 1e-12);
      if (c.singularValues) {
        const s = svdvals(X.toDense());
        c.singularValues.forEach((v, i) => assert.ok(Math.abs(s[i]! - v) < 1e-10, `s${i}`));
      }
      if (c.queries) assertCsr(model.transform(c.queries), c.queryWeights!, c.queries.length, c.vocabulary.length, 1e-12);
    });
  }

  it('float32 output and rows of unit norm', () => {
    const { transformed: X } = new TfidfVectorizer({ dtype: 'float32', stopWords: 'english' }).fitTransform(fx.docs);
    assert.ok(X.data instanceof Float32Array);
    const norms = X.rowNorms();
    norms.forEach((v, i) => assert.ok(v === 0 || Math.abs(v - 1) < 1e-6, `row ${i}`));
  });

  it('round-trips through JSON and ignores unknown terms', () => {
    const { model, transformed: X } = new TfidfVectorizer({ stopWords: ['the'], minDf: 2, sublinearTf: true, tokenPattern: /\b\w+\b/ }).fitTransform(fx.docs);
    const back = TfidfVectorizerModel.fromJSON(JSON.parse(JSON.stringify(model)));
    assert.deepEqual(back.vocabulary, model.vocabulary);
    assert.deepEqual(Array.from(back.transform(fx.docs).data), Array.from(X.data));
    const counts = new CountVectorizer().fit(fx.docs);
    const c2 = CountVectorizerModel.fromJSON(counts.toJSON());
    assert.equal(c2.transform(['zzzz qqqq']).nnz, 0);
    assert.equal(c2.termIndex('fox'), counts.vocabulary.indexOf('fox'));
    assert.equal(c2.termIndex('zzzz'), -1);
    assert.throws(() => TfidfVectorizerModel.fromJSON(counts.toJSON()), InvalidArgumentError);
  });

  it('validates options and input, reports progress and stops on abort', () => {
    assert.throws(() => new CountVectorizer({ minDf: 1.5 }), /minDf/);
    assert.throws(() => new CountVectorizer({ maxDf: -1 }), /maxDf/);
    assert.throws(() => new CountVectorizer({ maxFeatures: 0 }), /maxFeatures/);
    assert.throws(() => new TfidfVectorizer({ norm: 'l3' as 'l2' }), /norm/);
    assert.throws(() => new TfidfVectorizer({ ngramRange: [0, 1] }), /TfidfVectorizer: option 'ngramRange' must be \[min, max\] with integers 1 <= min <= max, got an array/);
    assert.throws(() => new CountVectorizer().fit(['', 'a b']), /no terms/);
    assert.throws(() => new CountVectorizer({ minDf: 5 }).fit(['aa bb', 'aa']), /no terms remain/);
    assert.throws(() => new CountVectorizer({ minDf: 3, maxDf: 2 }).fit(['aa bb', 'aa']), /maxDf/);
    assert.throws(() => new CountVectorizer().fit(['aa', 7 as unknown as string]), /document 1/);
    const stages: number[] = [];
    new CountVectorizer().fit(fx.docs, { onProgress: (p) => stages.push(p.done) });
    assert.equal(stages.at(-1), fx.docs.length);
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => new TfidfVectorizer().fit(fx.docs, { signal: ac.signal }), AbortedError);
    assert.throws(() => new CountVectorizer().fit(fx.docs).transform(fx.docs.slice(0, 2), { signal: ac.signal }), /^AbortedError: transform was aborted$/);
  });

  it('fitAsync gives the model of fit; an abort from the progress callback stops the pass between documents', async () => {
    for (const V of [CountVectorizer, TfidfVectorizer]) {
      const reports: number[] = [];
      const sync = new V({ minDf: 2 }).fit(fx.docs);
      const fromAsync = await new V({ minDf: 2 }).fitAsync(fx.docs, { onProgress: (p) => reports.push(p.done) });
      assert.deepEqual(fromAsync.toJSON(), sync.toJSON());
      assert.deepEqual(reports, [fx.docs.length]);
      await assert.rejects(new V().fitAsync(fx.docs, { signal: AbortSignal.abort() }), /fitAsync was aborted/);
      await assert.rejects(new V().fitAsync([7] as unknown as string[]), /document 0 is not a string/);
    }
    // 5000 documents report at 1000, 2000, ...; aborting at the first report stops the pass
    // within one step (64 documents), long before the end.
    const many = Array.from({ length: 5000 }, (_, i) => fx.docs[i % fx.docs.length]!);
    const ctl = new AbortController();
    const seen: number[] = [];
    await assert.rejects(new TfidfVectorizer().fitAsync(many, { signal: ctl.signal, onProgress: (p) => { seen.push(p.done); ctl.abort(); } }), AbortedError);
    assert.deepEqual(seen, [1000]);
    assert.throws(() => new CountVectorizer().fit(many, { signal: ctl.signal }), AbortedError);
  });

  it('checks options by one table each: the message format, unknown keys, the stored defaults', () => {
    const fails = (make: () => unknown, re: RegExp): void => {
      assert.throws(make, (e: unknown) => e instanceof InvalidArgumentError && re.test(e.message), re.source);
    };
    fails(() => new CountVectorizer({ minDf: 1.5 }), /^CountVectorizer: option 'minDf' must be an integer >= 1 \(documents\) or a fraction in \[0, 1\), got 1.5$/);
    fails(() => new CountVectorizer({ dtype: 'int8' as never }), /^CountVectorizer: option 'dtype' must be one of 'float64' or 'float32', got 'int8'$/);
    fails(() => new CountVectorizer({ stopWords: 'french' as 'english' }), /^CountVectorizer: option 'stopWords' must be 'english' or a list of words, got 'french'$/);
    fails(() => new CountVectorizer({ sublinearTf: true } as never), /^CountVectorizer: unknown option 'sublinearTf' \(known: lowercase, stripAccents, tokenPattern, stopWords, ngramRange, minDf, maxDf, maxFeatures, binary, dtype\)$/);
    fails(() => new TfidfVectorizer({ norm: 'l3' as 'l2' }), /^TfidfVectorizer: option 'norm' must be one of 'l2', 'l1' or 'none', got 'l3'$/);
    fails(() => new TfidfVectorizer({ stop_words: 'english' } as never), /^TfidfVectorizer: unknown option 'stop_words'/);
    fails(() => createAnalyzer({ lowercase: 1 as never }), /^createAnalyzer: option 'lowercase' must be true or false, got 1$/);
    fails(() => tokenize('a b', { pattern: /x/ } as never), /^tokenize: unknown option 'pattern'/);
    const t = new TfidfVectorizer({ minDf: 2 });
    assert.deepEqual(
      [t.options.lowercase, t.options.minDf, t.options.maxDf, t.options.binary, t.options.dtype, t.options.norm, t.options.useIdf, t.options.smoothIdf, t.options.sublinearTf, t.options.ngramRange],
      [true, 2, undefined, false, 'float64', 'l2', true, true, false, [1, 1]],
    );
    assert.ok(Object.isFrozen(t.options));
  });

  it('fitTransform returns { model, transformed } (X kept as a deprecated alias)', () => {
    const c = new CountVectorizer().fitTransform(fx.docs);
    assert.equal(c.X, c.transformed);
    assert.deepEqual(Array.from(c.transformed.data), Array.from(c.model.transform(fx.docs).data));
    const t = new TfidfVectorizer().fitTransform(fx.docs);
    assert.equal(t.X, t.transformed);
  });

  it('fromJSON re-checks the recorded settings with the estimators\' rules', () => {
    const json = new TfidfVectorizer().fit(fx.docs).toJSON();
    const fails = (bad: unknown, re: RegExp): void => {
      assert.throws(() => TfidfVectorizerModel.fromJSON(bad), (e: unknown) => e instanceof InvalidArgumentError && re.test(e.message), re.source);
    };
    fails({ ...json, dtype: 'int8' }, /^TfidfVectorizerModel\.fromJSON: option 'dtype' must be one of 'float64' or 'float32', got 'int8'$/);
    fails({ ...json, binary: 'no' }, /^TfidfVectorizerModel\.fromJSON: option 'binary' must be true or false/);
    fails({ ...json, analyzer: { ...json.analyzer, ngramRange: [2, 1] } }, /^TfidfVectorizerModel\.fromJSON: option 'ngramRange' must be/);
    fails({ ...json, tfidf: { ...json.tfidf!, norm: 'max' } }, /^TfidfVectorizerModel\.fromJSON: option 'norm' must be one of 'l2', 'l1' or 'none', got 'max'$/);
  });
});
