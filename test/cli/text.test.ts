import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-text-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const THEMES = [
  ['tax', 'budget', 'deficit', 'spending', 'revenue', 'dollars'],
  ['war', 'army', 'soldiers', 'peace', 'treaty', 'enemy'],
  ['school', 'teachers', 'students', 'education', 'college', 'learning'],
];
let seed = 3;
const next = (m: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), (seed >>> 8) % m);
const docs: string[] = [];
for (let d = 0; d < 60; d++) {
  const words: string[] = [];
  for (let w = 0; w < 10; w++) words.push(w % 3 === 2 ? ['the', 'nation', 'people', 'year'][next(4)]! : THEMES[d % 3]![next(6)]!);
  docs.push(words.join(' '));
}
const txt = join(dir, 'docs.txt');
writeFileSync(txt, docs.join('\n') + '\n\n');
const csv = join(dir, 'docs.csv');
writeFileSync(csv, 'id,text\n' + docs.map((d, i) => `${i},"${d}, indeed"`).join('\n') + '\n');

// Planted analogy corpus: gender x status.
const lines: string[] = [];
const words = [['king', 'queen'], ['man', 'woman'], ['boy', 'girl']];
const status = [['crown', 'throne', 'palace'], ['street', 'work', 'town'], ['school', 'toy', 'play']];
const gender = [['he', 'him', 'his'], ['she', 'her', 'hers']];
for (let i = 0; i < 600; i++) {
  const s = i % 3;
  const g = Math.floor(i / 3) % 2;
  lines.push(`${gender[g]![next(3)]} ${words[s]![g]} ${status[s]![next(3)]}`);
}
const corpus = join(dir, 'corpus.txt');
writeFileSync(corpus, lines.join('\n'));

function themeOf(word: string): number {
  return THEMES.findIndex((t) => t.includes(word));
}

describe('lowrank topics', () => {
  it('finds the planted topics (JSON) and prints one line per topic', async () => {
    const j = json(await run('topics', txt, '--rank', '3', '--top', '3', '--json'));
    assert.equal(j.documents, 60);
    const topics = j.topics as { words: { term: string }[]; documents: number }[];
    assert.equal(topics.length, 3);
    const seen = new Set<number>();
    for (const t of topics) {
      const th = themeOf(t.words[0]!.term);
      assert.ok(th >= 0);
      for (const w of t.words) assert.equal(themeOf(w.term), th, JSON.stringify(t.words));
      assert.equal(t.documents, 20);
      seen.add(th);
    }
    assert.equal(seen.size, 3);
    const r = await run('topics', csv, '--column', 'text', '--rank', '3', '--save', join(dir, 'topics.json'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^topics: 60 documents \(column text\)/);
    assert.equal(r.out.split('\n').filter((l) => /^topic \d/.test(l)).length, 3);
    assert.equal(JSON.parse(readFileSync(join(dir, 'topics.json'), 'utf8')).type, 'NMFTopics');
  });

  it('fails with one clear line on bad input', async () => {
    assertFails(await run('topics', csv, '--rank', '3'), 2, /2 columns \(id, text\); name the text column with --column/);
    assertFails(await run('topics', csv, '--column', 'body'), 1, /no column 'body'/);
    assertFails(await run('topics', txt, '--rank', '0'), 2, /--rank must be an integer >= 1/);
    assertFails(await run('topics', txt, '--min-df', '1.5'), 2, /--min-df/);
    assertFails(await run('topics', join(dir, 'nope.txt')), 1, /no such file/);
    writeFileSync(join(dir, 'empty.txt'), '\n\n');
    assertFails(await run('topics', join(dir, 'empty.txt')), 1, /no documents/);
  });
});

describe('lowrank lsa', () => {
  it('answers queries with documents of the right theme and caps the rank', async () => {
    const j = json(await run('lsa', txt, '--rank', '500', '-q', 'army and soldiers', '-q', 'zebra', '--results', '5', '--min-df', '1', '--max-df', '0.9', '--json'));
    assert.ok((j.rank as number) <= (j.terms as number) && (j.rank as number) < 500);
    const [q1, q2] = j.queries as { results: { document: number; score: number }[] }[];
    assert.equal(q1!.results.length, 5);
    for (const h of q1!.results) assert.equal(h.document % 3, 1);
    assert.deepEqual(q2!.results, []);
    const r = await run('lsa', txt, '--rank', '3', '--query', 'school', '--components', '2', '--min-df', '1');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split('\n').filter((l) => /^component \d/.test(l)).length, 2);
    assert.match(r.out, /query "school":\n {2}\d\.\d{3} {2}#\d+/);
  });

  it('rejects bad options', async () => {
    assertFails(await run('lsa', txt, '--method', 'qr'), 2, /method/);
    assertFails(await run('lsa', txt, '--results', 'x'), 2, /--results/);
  });
});

describe('lowrank embed', () => {
  it('solves the planted analogy, prints neighbours and writes word2vec and JSON vectors', async () => {
    const out = join(dir, 'vectors.txt');
    const j = json(await run('embed', corpus, '--dim', '6', '--min-count', '1', '--analogy', 'man:king::woman', '--neighbors', 'crown,zzz', '-n', '2', '-o', out, '--json'));
    assert.equal(j.vocabulary, 21);
    const [a] = j.analogies as { add: { word: string }[]; mul: { word: string }[] }[];
    assert.equal(a!.add[0]!.word, 'queen');
    assert.equal(a!.mul[0]!.word, 'queen');
    const [crown, zzz] = j.neighbors as { neighbors: { word: string }[] | null }[];
    assert.deepEqual(crown!.neighbors!.map((w) => w.word).sort(), ['palace', 'throne']);
    assert.equal(zzz!.neighbors, null);
    const text = readFileSync(out, 'utf8').split('\n');
    assert.equal(text[0], '21 6');
    assert.equal(text[1]!.split(' ').length, 7);
    const r = await run('embed', corpus, '--dim', '50', '--min-count', '1', '--analogy', 'boy man girl', '-o', join(dir, 'v.json'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /dim 21 \(capped from 50\)/);
    assert.match(r.out, /boy:man::girl: 3CosAdd woman/);
    assert.equal(JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8')).type, 'WordEmbeddings');
  });

  it('rejects bad options', async () => {
    assertFails(await run('embed', corpus, '--analogy', 'a:b'), 2, /--analogy must be 'a:b::c'/);
    assertFails(await run('embed', corpus, '--out', join(dir, 'v.npy')), 2, /--out must end in/);
    assertFails(await run('embed', corpus, '--cds', '2'), 2, /--cds/);
    assertFails(await run('embed', corpus, '--min-count', '1000'), 1, /minCount/);
  });
});
