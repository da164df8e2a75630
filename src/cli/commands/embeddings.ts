/**
 * `lowrank embeddings reduce E.npy --dims 64,128,256 [--queries Q.npy] --out dir/ [--json]`:
 * a PCA rotation of an embedding matrix (one vector per row) so that every prefix of the
 * rotated vectors is the best linear reduction to that size (Matryoshka-style truncation by
 * SVD). Writes, in the input's dtype:
 *
 * - components.npy     max(dims) x n, the principal axes one per row
 * - mean.npy           (n,), the mean subtracted (zeros with --no-center)
 * - reduced_<d>.npy    N x d for each d: (E - mean) components[:d]^T
 *
 * and reports for each size the recall@k (default 10) of exact cosine nearest neighbours:
 * against the full vectors in the same centered frame (1 at d = n) and against the original
 * vectors. Queries are the rows of Q.npy, else up to --sample rows of E (each leaving itself out).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeNpy } from '../../io/npy.js';
import { Matrix } from '../../matrix/matrix.js';
import { reduceEmbeddings } from '../../models/weights/embeddings.js';
import { atMost, count, flagOption, list } from '../flags.js';
import { addTextInputOptions, onFile, textReadOptions, type TextInputFlags } from '../options.js';
import { printJson, stdoutOf } from '../output.js';
import { withProgress } from '../progress-bar.js';
import { readMatrixInput } from '../read-input.js';
import { timed } from '../timing.js';
import { kernels } from '../../kernels/index.js';

interface ReduceFlags extends TextInputFlags {
  dims: number[];
  queries?: string;
  k: number;
  center: boolean;
  sample: number;
  out?: string;
  json?: boolean;
}

/** Register `lowrank embeddings` and `embeddings reduce`. */
export function registerEmbeddings(program: Command): void {
  const embeddings = program.command('embeddings').description('embedding matrices: reduce dimensions by a PCA rotation whose every prefix is the best reduction to that size');
  const reduce = embeddings
    .command('reduce')
    .description('PCA-rotate an embedding matrix (rows are vectors) so every prefix is the best linear reduction to that size; recall@k of cosine nearest neighbours per size (components.npy, mean.npy, reduced_<d>.npy)')
    .argument('<E>', 'embeddings, one vector per row (.npy, .csv, .tsv, .txt, .mtx)')
    .addOption(flagOption('--dims <list>', 'sizes to reduce to, e.g. 64,128,256 (each at most the vectors\' size)', list(count)).makeOptionMandatory())
    .option('--queries <Q>', 'query vectors for recall (rows, same size as E); default: rows of E')
    .addOption(flagOption('-k, --k <k>', 'neighbours per query for recall@k', count, { default: '10' }))
    .addOption(flagOption('--sample <m>', 'without --queries: query with this many evenly spaced rows of E', count, { default: '1000' }))
    .option('--no-center', 'rotate E itself instead of E - mean (cosines then agree at full size)')
    .option('-o, --out <dir>', 'write components.npy, mean.npy and reduced_<d>.npy into this folder (created if needed)')
    .option('--json', 'print one JSON object');
  addTextInputOptions(reduce).action(async (path: string, opts: ReduceFlags, command: Command) => {
    const E = (await readMatrixInput(path, textReadOptions(opts))).matrix;
    const [N, n] = E.shape;
    for (const d of opts.dims) atMost('--dims', d, Math.min(N, n), N >= n ? `the vectors' size n = ${n} of this ${N}x${n} matrix` : `the number of vectors N = ${N} of this ${N}x${n} matrix`);
    const Q = opts.queries !== undefined ? (await readMatrixInput(opts.queries, textReadOptions(opts))).matrix : undefined;
    const pool = Q === undefined ? N - 1 : N;
    atMost('--k', opts.k, pool, `${Q === undefined ? 'the other rows of E' : 'the rows of E'} (${pool})`);
    const { result: r, seconds } = timed(
      () => withProgress('embeddings reduce', (onProgress) => reduceEmbeddings(E, { dims: opts.dims, queries: Q, k: opts.k, center: opts.center, sampleQueries: opts.sample, onProgress })),
      { prepare: kernels },
    );
    const files: string[] = [];
    if (opts.out !== undefined) {
      const dir = opts.out;
      await onFile(dir, () => mkdir(dir, { recursive: true }));
      const dtype = E.dtype;
      const write = async (name: string, M: Matrix, shape1d = false) => {
        const p = join(dir, name);
        await onFile(p, () => writeNpy(p, M.dtype === dtype ? M : M.astype(dtype), { shape1d }));
        files.push(p);
      };
      await write('components.npy', r.components);
      await write('mean.npy', new Matrix(r.mean, n, 1), true);
      for (const d of r.dims) await write(`reduced_${d}.npy`, r.reduce(E, d));
    }
    const queries = r.queriesFromData ? `${r.queryCount} rows of E` : `${r.queryCount} queries from ${opts.queries}`;
    if (opts.json) {
      printJson(command, {
        command: 'embeddings reduce',
        input: path,
        shape: [N, n],
        dtype: E.dtype,
        center: opts.center,
        method: r.method,
        k: r.k,
        queries: r.queryCount,
        queriesFromData: r.queriesFromData,
        seconds,
        sizes: r.recall.map((x) => ({ dims: x.dims, energy: x.energy, recall: x.recall, recallRaw: x.recallRaw })),
        files,
      });
      return;
    }
    const out = stdoutOf(command);
    out(`embeddings reduce: ${path} (${N} vectors x ${n}, ${E.dtype}) in ${seconds.toFixed(2)} s, axes by ${r.method === 'svd' ? 'SVD' : 'the Gram matrix'}${opts.center ? '' : ', not centered'}\n`);
    out(`  recall@${r.k} of cosine nearest neighbours, ${queries}:\n`);
    const rows = [['dims', 'energy', opts.center ? 'vs full (centered)' : 'vs full', ...(opts.center ? ['vs original'] : [])]];
    for (const x of r.recall) rows.push([String(x.dims), `${(100 * x.energy).toFixed(1)}%`, x.recall.toFixed(3), ...(opts.center ? [x.recallRaw.toFixed(3)] : [])]);
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
    out(rows.map((row) => '  ' + row.map((cell, c) => cell.padStart(widths[c]!)).join('  ')).join('\n') + '\n');
    if (files.length > 0) out(`  -> ${files.join(', ')}\n`);
  });
}
