/**
 * `lowrank spectral graph.mtx --clusters 3 --out DIR`: spectral clustering of an undirected
 * weighted graph given by its symmetric adjacency matrix (Ng, Jordan & Weiss;
 * src/models/graph/spectral.ts). Writes (a contract):
 *
 * - labels.npy     (n,)        int64 cluster of each vertex, 0 .. clusters - 1
 * - embedding.npy  n x clusters the normalized-Laplacian eigenvectors with rows scaled to
 *                               unit length: the points k-means clustered
 *
 * An empty graph (0 x 0, or no edges), an asymmetric or negative adjacency: errors (exit 1).
 */
import type { Command } from 'commander';
import { spectralClustering } from '../../models/graph/spectral.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { factorCommand, runFactorCommand, type FactorCommandOptions } from '../factor-files.js';
import { atMost, count, flagOption, integer } from '../flags.js';
import { readDenseOrSparseInput } from '../read-input.js';
import { withProgress } from '../progress-bar.js';

interface SpectralFlags extends FactorCommandOptions {
  clusters: number;
  seed: number;
  nInit: number;
}

/** Register `lowrank spectral`. */
export function registerSpectral(program: Command): void {
  factorCommand(program, 'spectral', 'spectral clustering of a graph (symmetric adjacency matrix): labels.npy, embedding.npy')
    .argument('<graph>', 'symmetric non-negative adjacency matrix (.mtx stays sparse; .npy, .csv, .tsv, .txt)')
    .addOption(flagOption('-c, --clusters <k>', 'number of clusters', count).makeOptionMandatory())
    .addOption(flagOption('--seed <s>', 'seed of the eigensolver and of k-means++', integer(), { default: '0' }))
    .addOption(flagOption('--n-init <n>', 'k-means restarts (the lowest inertia wins)', count, { default: '10' }))
    .action(async (path: string, opts: SpectralFlags, cmd: Command) => {
      const A = (await readDenseOrSparseInput(path, { dtype: opts.dtype })).matrix;
      const [m, n] = A.shape;
      if (m === n && n > 0) atMost('--clusters', opts.clusters, n, `the ${n} vertices of this graph`);
      await runFactorCommand(cmd, 'spectral', [A], opts, () => {
        const r = withProgress('spectral', (onProgress) => spectralClustering(A, opts.clusters, { seed: opts.seed, nInit: opts.nInit, onProgress }));
        const sizes = new Array<number>(opts.clusters).fill(0);
        for (const l of r.labels) sizes[l]!++;
        const facts: Record<string, number | string> = {
          clusters: opts.clusters,
          sizes: sizes.join(' '),
          components: r.components,
          eigenvalues: Array.from(r.eigenvalues, (v) => Number(v.toPrecision(6))).join(' '),
          inertia: r.inertia,
        };
        if (A instanceof CsrMatrix) facts.nnz = A.nnz;
        return { factors: [{ name: 'labels', indices: r.labels }, { name: 'embedding', matrix: r.embedding }], facts };
      });
    });
}
