import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AbortedError, InvalidArgumentError } from '../../../src/errors.js';
import { LSA, LSAModel } from '../../../src/models/text/lsa.js';
import { NMFTopics, NMFTopicsModel } from '../../../src/models/text/topics.js';

const fx = JSON.parse(readFileSync(new URL('../../fixtures/text/vectorize.json', import.meta.url), 'utf8')) as {
  docs: string[];
  cases: { name: string; singularValues?: number[] }[];
};
const pruned = { stopWords: 'english' as const, minDf: 2, maxDf: 0.5, sublinearTf: true };

/** Three planted themes: documents mix words of one theme with shared filler. */
function themed(n: number): { docs: string[]; theme: number[] } {
  const themes = [
    ['tax', 'budget', 'deficit', 'spending', 'revenue', 'dollars'],
    ['war', 'army', 'soldiers', 'peace', 'treaty', 'enemy'],
    ['school', 'teachers', 'students', 'education', 'college', 'learning'],
  ];
  const filler = ['nation', 'people', 'year', 'congress', 'great', 'country'];
  const docs: string[] = [];
  const theme: number[] = [];
  let s = 7;
  const next = (m: number): number => ((s = (s * 1103515245 + 12345) % 2147483648), s % m);
  for (let d = 0; d < n; d++) {
    const t = d % 3;
    const words: string[] = [];
    for (let w = 0; w < 12; w++) words.push(w % 3 === 2 ? filler[next(6)]! : themes[t]![next(6)]!);
    docs.push(words.join(' '));
    theme.push(t);
  }
  return { docs, theme };
}

describe('LSA', () => {
  it('singular values match numpy on the fixture corpus (scikit-learn TF-IDF)', () => {
    const ref = fx.cases.find((c) => c.name === 'pruned')!.singularValues!;
    for (const method of ['lanczos', 'randomized'] as const) {
      const lsa = new LSA({ components: 5, vectorizer: pruned, method }).fit(fx.docs);
      const tol = method === 'lanczos' ? 1e-9 : 1e-3; // randomized: a fixed number of power iterations on a flat spectrum
      ref.forEach((v, i) => assert.ok(Math.abs(lsa.singularValues[i]! - v) < tol * ref[0]!, `${method} s${i}: ${lsa.singularValues[i]} vs ${v}`));
    }
  });

  it('query folding of a training document gives its row of U, transform its row of U Sigma', () => {
    const lsa = new LSA({ components: 6, vectorizer: pruned }).fit(fx.docs);
    const Z = lsa.transform(fx.docs);
    const F = lsa.fold(fx.docs);
    for (let i = 0; i < fx.docs.length; i++) {
      for (let j = 0; j < 6; j++) {
        const ds = lsa.documentVectors.get(i, j);
        assert.ok(Math.abs(Z.get(i, j) - ds) < 1e-9, `transform (${i}, ${j})`);
        assert.ok(Math.abs(F.get(i, j) * lsa.singularValues[j]! - ds) < 1e-9, `fold (${i}, ${j})`);
      }
    }
    // U has orthonormal columns: sum_i fold(i, a) fold(i, b) = delta_ab
    for (let a = 0; a < 6; a++) {
      for (let b = 0; b < 6; b++) {
        let s = 0;
        for (let i = 0; i < fx.docs.length; i++) s += F.get(i, a) * F.get(i, b);
        assert.ok(Math.abs(s - (a === b ? 1 : 0)) < 1e-9, `U^T U (${a}, ${b}) = ${s}`);
      }
    }
  });

  it('finds planted themes: top terms, search and similar documents', () => {
    const { docs, theme } = themed(60);
    const lsa = new LSA({ components: 3 }).fit(docs);
    const hits = lsa.search('the army fought a war', 10);
    assert.equal(hits.length, 10);
    for (const h of hits) assert.equal(theme[h.document], 1);
    for (const h of lsa.similarDocuments(2, 10)) assert.equal(theme[h.document], 2);
    assert.deepEqual(lsa.search('zebra', 5), []);
    const tops = lsa.topTerms(4);
    assert.equal(tops.length, 3);
    for (const t of tops) assert.ok(t[0]!.weight >= t[1]!.weight && t[0]!.weight > 0);
    const back = LSAModel.fromJSON(JSON.parse(JSON.stringify(lsa)));
    assert.deepEqual(back.search('school teachers', 3), lsa.search('school teachers', 3));
  });

  it('validates options and stops on abort', () => {
    assert.throws(() => new LSA({ components: 0 }), /components/);
    assert.throws(() => new LSA({ components: 2, method: 'qr' as 'auto' }), /method/);
    assert.throws(() => new LSA({ components: 2, vectorizer: { norm: 'l0' as 'l2' } }), /LSA: vectorizer: TfidfVectorizer: option 'norm' must be one of 'l2', 'l1' or 'none', got 'l0'/);
    assert.throws(() => new LSA({ components: 500 }).fit(fx.docs), (e: unknown) => e instanceof InvalidArgumentError && /exceeds/.test(e.message));
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => new LSA({ components: 2 }).fit(fx.docs, { signal: ac.signal }), AbortedError);
  });

  it('checks its options by one table (the randomized solver\'s fragment included): message format, unknown keys, defaults', () => {
    const fails = (options: unknown, re: RegExp): void => {
      assert.throws(() => new LSA(options as never), (e: unknown) => e instanceof InvalidArgumentError && re.test(e.message), JSON.stringify(options));
    };
    fails({}, /^LSA: option 'components' is required \(an integer >= 1\)$/);
    fails({ components: 2, method: 'qr' }, /^LSA: option 'method' must be one of 'auto', 'randomized' or 'lanczos', got 'qr'$/);
    fails({ components: 2, clampComponents: 1 }, /^LSA: option 'clampComponents' must be true or false, got 1$/);
    fails({ components: 2, normalizer: 'svd' }, /^LSA: option 'normalizer' must be one of 'auto', 'lu', 'qr' or 'none', got 'svd'$/);
    fails({ components: 2, seed: Infinity }, /^LSA: option 'seed' must be a finite number, a bigint or an Rng, got Infinity$/);
    fails({ components: 2, rank: 3 }, /^LSA: unknown option 'rank' \(known: components, vectorizer, method, clampComponents, powerIters, oversample, normalizer, seed\)$/);
    fails({ components: 2, vectorizer: { minDF: 2 } }, /^LSA: vectorizer: TfidfVectorizer: unknown option 'minDF'/);
    const l = new LSA({ components: 4 });
    assert.deepEqual([l.components, l.method, l.seed, l.powerIters, l.oversample, l.normalizer, l.clampComponents], [4, 'auto', 0, 'auto', 10, 'auto', false]);
  });

  it('the randomized solver\'s defaults given explicitly fit the same model bit for bit; the model names nComponents and nFeatures', () => {
    const a = new LSA({ components: 3, method: 'randomized', vectorizer: pruned }).fit(fx.docs);
    const b = new LSA({ components: 3, method: 'randomized', vectorizer: pruned, powerIters: 'auto', oversample: 10, normalizer: 'auto', seed: 0 }).fit(fx.docs);
    assert.deepEqual(b.toJSON(), a.toJSON());
    const c = new LSA({ components: 3, method: 'randomized', vectorizer: pruned, powerIters: 1, normalizer: 'none' }).fit(fx.docs);
    assert.equal(c.nComponents, 3);
    assert.deepEqual([a.nComponents, a.nFeatures], [3, a.vocabulary.length]);
    assert.equal(a.rank, a.nComponents, 'the deprecated rank still answers');
  });
});

describe('NMFTopics', () => {
  it('recovers planted topics: each topic\'s top 3 words come from one theme, documents get their theme', () => {
    const { docs, theme } = themed(90);
    const model = new NMFTopics({ topics: 3, vectorizer: { stopWords: 'english' }, nmf: { maxIter: 400 } }).fit(docs);
    const tops = model.topTerms(5).map((t) => t.map((w) => w.term));
    const sets = [['tax', 'budget', 'deficit', 'spending', 'revenue', 'dollars'], ['war', 'army', 'soldiers', 'peace', 'treaty', 'enemy'], ['school', 'teachers', 'students', 'education', 'college', 'learning']];
    const topicOfTheme: number[] = [];
    for (const [t, words] of tops.entries()) {
      const s = sets.findIndex((set) => set.includes(words[0]!));
      assert.ok(s >= 0, `topic ${t}: ${words.join(' ')}`);
      for (const w of words.slice(0, 3)) assert.ok(sets[s]!.includes(w), `topic ${t}: ${words.join(' ')}`);
      topicOfTheme[s] = t;
    }
    assert.equal(new Set(topicOfTheme).size, 3);
    const dom = model.dominantTopics();
    for (let d = 0; d < docs.length; d++) assert.equal(dom[d], topicOfTheme[theme[d]!]);
    for (let p = 0; p < model.documentTopics.data.length; p++) assert.ok(model.documentTopics.data[p]! >= 0);
    // new documents: transform puts the weight on the right topic
    const W = model.transform(['treaty peace enemy army', 'college students learning']);
    const argmax = (i: number): number => [0, 1, 2].reduce((b, t) => (W.get(i, t) > W.get(i, b) ? t : b), 0);
    assert.equal(argmax(0), topicOfTheme[1]);
    assert.equal(argmax(1), topicOfTheme[2]);
    const back = NMFTopicsModel.fromJSON(JSON.parse(JSON.stringify(model)));
    assert.deepEqual(back.topTerms(5), model.topTerms(5));
    assert.deepEqual(Array.from(back.dominantTopics()), Array.from(dom));
  });

  it('validates options', () => {
    assert.throws(() => new NMFTopics({ topics: 1.5 }), /topics/);
    assert.throws(() => new NMFTopics({ topics: 3, nmf: { solver: 'xx' as 'cd' } }), /NMFTopics: NMF: option 'solver' must be one of 'cd' or 'mu', got 'xx'/);
    assert.throws(() => new NMFTopics({ topics: 3, vectorizer: { minDf: -2 } }), /minDf/);
    assert.throws(() => NMFTopicsModel.fromJSON({ type: 'LSA' }), InvalidArgumentError);
  });

  it('checks its options by one table: message format, unknown keys (nested ones too)', () => {
    const fails = (options: unknown, re: RegExp): void => {
      assert.throws(() => new NMFTopics(options as never), (e: unknown) => e instanceof InvalidArgumentError && re.test(e.message), JSON.stringify(options));
    };
    fails({}, /^NMFTopics: option 'topics' is required \(an integer >= 1\)$/);
    fails({ topics: 1.5 }, /^NMFTopics: option 'topics' must be an integer >= 1, got 1.5$/);
    fails({ topics: 3, components: 3 }, /^NMFTopics: unknown option 'components' \(known: topics, vectorizer, nmf\)$/);
    fails({ topics: 3, nmf: { components: 4 } }, /^NMFTopics: unknown option 'nmf.components'/);
    fails({ topics: 3, nmf: { maxIters: 4 } }, /^NMFTopics: NMF: unknown option 'maxIters'/);
    fails({ topics: 3, nmf: 'cd' }, /^NMFTopics: option 'nmf' must be an object of NMF options/);
  });

  it('the model names nComponents and nFeatures (topics kept as a deprecated alias)', () => {
    const { docs } = themed(30);
    const m = new NMFTopics({ topics: 3, nmf: { maxIter: 20 } }).fit(docs);
    assert.deepEqual([m.nComponents, m.nFeatures], [3, m.vocabulary.length]);
    assert.equal(m.topics, 3);
  });
});
