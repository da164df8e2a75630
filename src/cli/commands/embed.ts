/**
 * `lowrank embed corpus.txt --dim 100`: word vectors from the SVD of the shifted positive
 * PMI matrix (Levy, Goldberg & Dagan 2015). Prints nearest neighbours (`--neighbors`) and
 * analogies (`--analogy a:b::c`), and writes the vectors (`--out`: word2vec text format for
 * .txt/.vec, our JSON for .json).
 */
import { writeFileAtomic } from '../../io/write-chunks.js';
import { extname } from 'node:path';
import { Option, type Command } from 'commander';
import { ppmiEmbeddings, type WordEmbeddings } from '../../models/text/ppmi.js';
import { onFile, UsageError } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { isCount, parseNumber, readDocuments, timed } from './text-input.js';

interface EmbedFlags {
  column?: string;
  dim: string;
  window: string;
  minCount: string;
  shift: string;
  cds: string;
  eig: string;
  dynamic?: boolean;
  contexts?: boolean;
  method: 'auto' | 'randomized' | 'lanczos';
  seed: string;
  neighbors?: string;
  analogy: string[];
  n: string;
  out?: string;
  json?: boolean;
}

/** word2vec's text format: a "words dim" header, then one "word v1 v2 ..." line per word. */
function word2vecText(e: WordEmbeddings): string {
  const lines = [`${e.vocabulary.length} ${e.dim}`];
  for (let i = 0; i < e.vocabulary.length; i++) {
    const v: string[] = [];
    for (let j = 0; j < e.dim; j++) v.push(Number(e.vectors.get(i, j).toPrecision(7)).toString());
    lines.push(`${e.vocabulary[i]} ${v.join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

/** 'a:b::c' or 'a b c' -> [a, b, c]. */
function parseAnalogy(text: string): [string, string, string] {
  const parts = text.includes(':') ? text.split(/::?/).map((p) => p.trim()) : text.trim().split(/\s+/);
  if (parts.length !== 3 || parts.some((p) => p === '')) throw new UsageError(`--analogy must be 'a:b::c' (a is to b as c is to ?), got '${text}'`);
  return [parts[0]!.toLowerCase(), parts[1]!.toLowerCase(), parts[2]!.toLowerCase()];
}

/** Register `lowrank embed`. */
export function registerEmbed(program: Command): void {
  program
    .command('embed')
    .description('word embeddings: truncated SVD of the shifted positive PMI matrix of window co-occurrences (Levy, Goldberg & Dagan 2015)')
    .argument('<file>', 'corpus: a text file (windows stay within a line), or a CSV/TSV file with --column')
    .option('--column <name>', 'read documents from this column of a CSV/TSV file')
    .option('-d, --dim <n>', 'vector dimension (capped at the vocabulary size)', '100')
    .option('--window <n>', 'context words on each side', '2')
    .option('--min-count <n>', 'drop words seen fewer times', '5')
    .option('--shift <k>', 'SPPMI shift: max(PMI - ln k, 0)', '1')
    .option('--cds <alpha>', 'context-distribution smoothing exponent', '0.75')
    .option('--eig <p>', 'eigenvalue weighting: vectors U Sigma^p', '0.5')
    .option('--dynamic', "weight contexts by distance (word2vec's dynamic window)")
    .option('--contexts', 'add context vectors to word vectors (w + c)')
    .addOption(new Option('--method <name>', 'truncated SVD solver').choices(['auto', 'randomized', 'lanczos']).default('randomized'))
    .option('--seed <s>', 'seed of the SVD start', '0')
    .option('--neighbors <words>', 'comma-separated words whose nearest neighbours to print')
    .option('--analogy <a:b::c>', 'solve a is to b as c is to ? (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('-n <n>', 'neighbours / answers shown', '8')
    .option('-o, --out <file>', 'write the vectors: .txt/.vec word2vec text format, .json WordEmbeddings JSON')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: EmbedFlags, command: Command) => {
      const dim = parseNumber('--dim', opts.dim, isCount, 'an integer >= 1')!;
      const window = parseNumber('--window', opts.window, isCount, 'an integer >= 1')!;
      const minCount = parseNumber('--min-count', opts.minCount, isCount, 'an integer >= 1')!;
      const shift = parseNumber('--shift', opts.shift, (v) => Number.isFinite(v) && v > 0, 'a number > 0')!;
      const cdsAlpha = parseNumber('--cds', opts.cds, (v) => v > 0 && v <= 1, 'a number in (0, 1]')!;
      const eigenPower = parseNumber('--eig', opts.eig, Number.isFinite, 'a number')!;
      const seed = parseNumber('--seed', opts.seed, Number.isInteger, 'an integer')!;
      const n = parseNumber('-n', opts.n, isCount, 'an integer >= 1')!;
      const analogies = opts.analogy.map(parseAnalogy);
      const probes = (opts.neighbors ?? '').split(',').map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
      const outExt = opts.out === undefined ? undefined : extname(opts.out).toLowerCase();
      if (outExt !== undefined && !['.txt', '.vec', '.json'].includes(outExt)) throw new UsageError(`--out must end in .txt, .vec (word2vec text) or .json, got '${opts.out}'`);
      const { docs, source } = await readDocuments(file, opts.column);
      const { result: e, seconds } = timed('embed', (o) =>
        ppmiEmbeddings(docs, { dim, clampDim: true, window, minCount, shift, cdsAlpha, eigenPower, dynamicWindow: opts.dynamic === true, addContexts: opts.contexts === true, method: opts.method, seed, ...o }),
      );
      if (opts.out !== undefined) {
        const path = opts.out;
        await onFile(path, () => writeFileAtomic(path, outExt === '.json' ? JSON.stringify(e) : word2vecText(e)));
      }
      const unknown = (w: string): boolean => !e.has(w);
      const neighbors = probes.map((w) => ({ word: w, neighbors: unknown(w) ? null : e.nearest(w, n) }));
      const answers = analogies.map(([a, b, c]) => {
        const missing = [a, b, c].filter(unknown);
        return {
          analogy: `${a}:${b}::${c}`,
          missing,
          add: missing.length ? null : e.analogy(a, b, c, { n, method: 'add' }),
          mul: missing.length ? null : e.analogy(a, b, c, { n, method: 'mul' }),
        };
      });
      if (opts.json) {
        printJson(command, {
          command: 'embed', documents: docs.length, source, vocabulary: e.vocabulary.length, dim: e.dim, nnz: e.ppmi?.nnz, seconds,
          neighbors, analogies: answers, ...(opts.out ? { file: opts.out } : {}),
        });
        return;
      }
      const out = stdoutOf(command);
      out(`embed: ${docs.length} documents (${source}), ${e.vocabulary.length} words (min count ${minCount}), SPPMI nnz ${e.ppmi?.nnz ?? 0}, dim ${e.dim}${e.dim < dim ? ` (capped from ${dim})` : ''}, ${human(seconds)} s\n`);
      const list = (ws: readonly { word: string; score: number }[]): string => ws.map((x) => `${x.word} ${x.score.toFixed(2)}`).join(', ');
      for (const p of neighbors) out(p.neighbors === null ? `${p.word}: not in the vocabulary\n` : `${p.word}: ${list(p.neighbors)}\n`);
      for (const a of answers) {
        if (a.missing.length) out(`${a.analogy}: not in the vocabulary: ${a.missing.join(', ')}\n`);
        else out(`${a.analogy}: 3CosAdd ${list(a.add!)}\n${' '.repeat(a.analogy.length)}  3CosMul ${list(a.mul!)}\n`);
      }
      if (opts.out) out(`  -> ${opts.out}\n`);
    });
}
