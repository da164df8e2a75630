/**
 * `lowrank embed corpus.txt --dim 100`: word vectors from the SVD of the shifted positive
 * PMI matrix (Levy, Goldberg & Dagan 2015). Prints nearest neighbours (`--neighbors`) and
 * analogies (`--analogy a:b::c`), and writes the vectors (`--out`: word2vec text format for
 * .txt/.vec, our JSON for .json).
 */
import { writeFileAtomic } from '../../io/write-chunks.js';
import { extname } from 'node:path';
import { Option, type Command } from 'commander';
import type { TruncatedSvdMethod } from '../../lowrank/truncated-svd.js';
import { ppmiEmbeddings, type WordEmbeddings } from '../../models/text/ppmi.js';
import { TRUNCATED_SVD_METHODS } from '../../options.js';
import { count, flagOption, integer, number, repeatedFlagOption, rule } from '../flags.js';
import { onFile, UsageError } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { readDocuments, timedFit } from './text-input.js';

type Analogy = [string, string, string];

interface EmbedFlags {
  column?: string;
  dim: number;
  window: number;
  minCount: number;
  shift: number;
  cds: number;
  eig: number;
  dynamic?: boolean;
  contexts?: boolean;
  method: TruncatedSvdMethod;
  seed: number;
  neighbors?: string;
  analogy: Analogy[];
  n: number;
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

/** --analogy: 'a:b::c' or 'a b c' -> [a, b, c], lower-cased. */
const analogy = rule<Analogy>("'a:b::c' (a is to b as c is to ?)", (text) => {
  const parts = text.includes(':') ? text.split(/::?/).map((p) => p.trim()) : text.trim().split(/\s+/);
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined;
  return [parts[0]!.toLowerCase(), parts[1]!.toLowerCase(), parts[2]!.toLowerCase()];
});

/** Register `lowrank embed`. */
export function registerEmbed(program: Command): void {
  program
    .command('embed')
    .description('word embeddings: truncated SVD of the shifted positive PMI matrix of window co-occurrences (Levy, Goldberg & Dagan 2015)')
    .argument('<file>', 'corpus: a text file (windows stay within a line), or a CSV/TSV file with --column')
    .option('--column <name>', 'read documents from this column of a CSV/TSV file')
    .addOption(flagOption('-d, --dim <n>', 'vector dimension (capped at the vocabulary size)', count, { default: '100' }))
    .addOption(flagOption('--window <n>', 'context words on each side', count, { default: '2' }))
    .addOption(flagOption('--min-count <n>', 'drop words seen fewer times', count, { default: '5' }))
    .addOption(flagOption('--shift <k>', 'SPPMI shift: max(PMI - ln k, 0)', number({ above: 0 }), { default: '1' }))
    .addOption(flagOption('--cds <alpha>', 'context-distribution smoothing exponent', number({ above: 0, max: 1 }), { default: '0.75' }))
    .addOption(flagOption('--eig <p>', 'eigenvalue weighting: vectors U Sigma^p', number(), { default: '0.5' }))
    .option('--dynamic', "weight contexts by distance (word2vec's dynamic window)")
    .option('--contexts', 'add context vectors to word vectors (w + c)')
    .addOption(new Option('--method <name>', 'truncated SVD solver').choices(TRUNCATED_SVD_METHODS).default('randomized'))
    .addOption(flagOption('--seed <s>', 'seed of the SVD start', integer(), { default: '0' }))
    .option('--neighbors <words>', 'comma-separated words whose nearest neighbours to print')
    .addOption(repeatedFlagOption('--analogy <a:b::c>', 'solve a is to b as c is to ? (repeatable)', analogy))
    .addOption(flagOption('-n <n>', 'neighbours / answers shown', count, { default: '8' }))
    .option('-o, --out <file>', 'write the vectors: .txt/.vec word2vec text format, .json WordEmbeddings JSON')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: EmbedFlags, command: Command) => {
      const { dim, window, minCount, shift, cds: cdsAlpha, eig: eigenPower, seed, n, analogy: analogies } = opts;
      const probes = (opts.neighbors ?? '').split(',').map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
      const outExt = opts.out === undefined ? undefined : extname(opts.out).toLowerCase();
      if (outExt !== undefined && !['.txt', '.vec', '.json'].includes(outExt)) throw new UsageError(`--out must end in .txt, .vec (word2vec text) or .json, got '${opts.out}'`);
      const { docs, source } = await readDocuments(file, opts.column);
      const { result: e, seconds } = timedFit('embed', (o) =>
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
