/**
 * `lowrank lsa docs.txt --rank 100 [--query "..."]`: latent semantic analysis of a
 * collection of documents: the top terms of the leading components and, for each query,
 * the most similar documents (cosine in the latent space).
 */
import { writeFileAtomic } from '../../io/write-chunks.js';
import { Option, type Command } from 'commander';
import { LSA } from '../../models/text/lsa.js';
import type { TruncatedSvdMethod } from '../../lowrank/truncated-svd.js';
import { TRUNCATED_SVD_METHODS } from '../../options.js';
import { count, flagOption, integer, repeatedFlagOption, text } from '../flags.js';
import { onFile } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { addVectorizerFlags, readDocuments, snippet, timedFit, vectorizerOptions, type VectorizerFlags } from './text-input.js';

interface LsaFlags extends VectorizerFlags {
  rank: number;
  query: string[];
  results: number;
  top: number;
  components: number;
  method: TruncatedSvdMethod;
  seed: number;
  save?: string;
  json?: boolean;
}

/** Register `lowrank lsa`. */
export function registerLsa(program: Command): void {
  const cmd = program
    .command('lsa')
    .description('latent semantic analysis: truncated SVD of the TF-IDF matrix; top terms per component and document search')
    .argument('<file>', 'documents: a text file with one document per line, or a CSV/TSV file with --column')
    .addOption(flagOption('-k, --rank <k>', 'latent dimensions (capped at min(documents, terms))', count, { default: '100' }))
    .addOption(repeatedFlagOption('-q, --query <text>', 'find the documents most similar to this text (repeatable)', text))
    .addOption(flagOption('--results <n>', 'documents shown per query', count, { default: '5' }))
    .addOption(flagOption('--top <n>', 'terms shown per component', count, { default: '8' }))
    .addOption(flagOption('--components <n>', 'components shown', integer({ min: 0 }), { default: '10' }));
  addVectorizerFlags(cmd, { minDf: '2', maxDf: '0.5', sublinear: true })
    .addOption(new Option('--method <name>', 'truncated SVD solver').choices(TRUNCATED_SVD_METHODS).default('auto'))
    .addOption(flagOption('--seed <s>', 'seed of the SVD start', integer(), { default: '0' }))
    .option('--save <file.json>', 'write the fitted LSA model as JSON')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: LsaFlags, command: Command) => {
      const { rank, results, top, components: shown, seed } = opts;
      const vectorizer = vectorizerOptions(opts, true);
      const { docs, source } = await readDocuments(file, opts.column);
      const estimator = new LSA({ components: rank, vectorizer, method: opts.method, seed, clampComponents: true });
      const { result: model, seconds } = timedFit('lsa', (o) => estimator.fit(docs, o));
      if (opts.save) {
        const path = opts.save;
        await onFile(path, () => writeFileAtomic(path, JSON.stringify(model)));
      }
      const s = model.singularValues;
      const k = model.nComponents;
      let total = 0;
      for (const v of s) total += v * v;
      const tops = model.topTerms(top).slice(0, shown);
      const queries = opts.query.map((q) => ({ query: q, results: model.search(q, results).map((h) => ({ ...h, text: snippet(docs[h.document]!, 100) })) }));
      if (opts.json) {
        printJson(command, {
          command: 'lsa', documents: docs.length, source, terms: model.vocabulary.length, rank: k, singularValues: Array.from(s),
          components: tops.map((terms, j) => ({ component: j + 1, terms })), queries, seconds, ...(opts.save ? { saved: opts.save } : {}),
        });
        return;
      }
      const out = stdoutOf(command);
      out(`lsa: ${docs.length} documents (${source}), ${model.vocabulary.length} terms, rank ${k}${k < rank ? ` (capped from ${rank})` : ''}, s1 ${human(s[0])}, s${k} ${human(s[k - 1])}, ${human(seconds)} s\n`);
      const w = String(tops.length).length;
      for (const [j, terms] of tops.entries()) out(`component ${String(j + 1).padStart(w)} (${human((100 * s[j]! * s[j]!) / total)}% of kept energy): ${terms.map((t) => t.term).join(' ')}\n`);
      for (const q of queries) {
        out(`query "${q.query}":${q.results.length === 0 ? ' no known terms' : ''}\n`);
        for (const h of q.results) out(`  ${h.score.toFixed(3)}  #${h.document + 1}  ${h.text}\n`);
      }
      if (opts.save) out(`  -> ${opts.save}\n`);
    });
}
