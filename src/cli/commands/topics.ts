/**
 * `lowrank topics docs.txt --rank 10`: NMF topics of a collection of documents (one per
 * line, or a CSV column with `--column`), printed as each topic's top words.
 */
import { writeFileAtomic } from '../../io/write-chunks.js';
import { Option, type Command } from 'commander';
import { NMF_SOLVERS, type NMFSolver } from '../../models/nmf/nmf.js';
import { NMFTopics } from '../../models/text/topics.js';
import { count, flagOption, integer } from '../flags.js';
import { onFile } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { addVectorizerFlags, readDocuments, timedFit, vectorizerOptions, type VectorizerFlags } from './text-input.js';

interface TopicsFlags extends VectorizerFlags {
  rank: number;
  top: number;
  solver: NMFSolver;
  maxIter: number;
  seed: number;
  save?: string;
  json?: boolean;
}

/** Register `lowrank topics`. */
export function registerTopics(program: Command): void {
  const cmd = program
    .command('topics')
    .description('NMF topics of documents: the top words of each topic (TF-IDF, then NMF)')
    .argument('<file>', 'documents: a text file with one document per line, or a CSV/TSV file with --column')
    .addOption(flagOption('-k, --rank <k>', 'number of topics', count, { default: '10' }))
    .addOption(flagOption('--top <n>', 'words shown per topic', count, { default: '10' }));
  addVectorizerFlags(cmd, { minDf: '2', maxDf: '0.95', sublinear: false })
    .addOption(new Option('--solver <name>', 'NMF solver: cd (coordinate descent) or mu (multiplicative updates)').choices(NMF_SOLVERS).default('cd'))
    .addOption(flagOption('--max-iter <n>', 'NMF iteration cap', count, { default: '200' }))
    .addOption(flagOption('--seed <s>', 'seed of the NMF initialization', integer(), { default: '0' }))
    .option('--save <file.json>', 'write the fitted topic model (vectorizer + NMF) as JSON')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: TopicsFlags, command: Command) => {
      const { rank: k, top, maxIter, seed } = opts;
      const estimator = new NMFTopics({ topics: k, vectorizer: vectorizerOptions(opts, false), nmf: { solver: opts.solver, maxIter, seed } });
      const { docs, source } = await readDocuments(file, opts.column);
      const { result: model, seconds } = timedFit('topics', (o) => estimator.fit(docs, o));
      if (opts.save) {
        const path = opts.save;
        await onFile(path, () => writeFileAtomic(path, JSON.stringify(model)));
      }
      const dominant = model.dominantTopics();
      const sizes = new Array<number>(k).fill(0);
      for (const t of dominant) if (t >= 0) sizes[t] = sizes[t]! + 1;
      const tops = model.topTerms(top);
      const nmf = model.nmf;
      if (opts.json) {
        printJson(command, {
          command: 'topics', documents: docs.length, source, terms: model.vocabulary.length, topics: tops.map((words, t) => ({ topic: t + 1, documents: sizes[t], words })),
          iterations: nmf.iterations, converged: nmf.converged, reconstructionError: nmf.reconstructionError, seconds, ...(opts.save ? { saved: opts.save } : {}),
        });
        return;
      }
      const out = stdoutOf(command);
      out(`topics: ${docs.length} documents (${source}), ${model.vocabulary.length} terms, ${k} topics; NMF ${nmf.iterations} iterations${nmf.converged ? '' : ' (not converged; raise --max-iter)'}, error ${human(nmf.reconstructionError)}, ${human(seconds)} s\n`);
      const w = String(k).length;
      for (const [t, words] of tops.entries()) out(`topic ${String(t + 1).padStart(w)} (${sizes[t]} docs): ${words.map((x) => x.term).join(' ')}\n`);
      if (opts.save) out(`  -> ${opts.save}\n`);
    });
}
