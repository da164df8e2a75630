/**
 * `lowrank svd A --out DIR`: the singular value decomposition A = U diag(s) Vt (thin unless
 * --full; s alone with --values-only); with `--rank k` the top k triplets by a truncated
 * solver (svd-rank.ts).
 */
import type { Command } from 'commander';
import { svd, svdvals } from '../../linalg/svd.js';
import { factorCommand, memoryNeed, runDenseCommand, type Block, type FactorCommandOptions, type MemoryEstimate } from '../factor-files.js';
import { UsageError } from '../options.js';
import { addSvdRankOptions, rejectStrayRankFlags, runSvdRank, type SvdRankFlags } from './svd-rank.js';

/** `svd` without --rank: U, Vt (m x m and n x n with --full) and a working copy of A. */
function svdNeed(full: boolean, valuesOnly: boolean): MemoryEstimate {
  return (inputs) => {
    const A = inputs[0]!;
    const { rows: m, cols: n } = A;
    const p = Math.min(m, n);
    const flag = full ? ' --full' : valuesOnly ? ' --values-only' : '';
    const blocks: Block[] = [['a working copy of A', m, n]];
    if (!valuesOnly) blocks.unshift(['U', m, full ? m : p], ['Vt', full ? n : p, n]);
    return memoryNeed(`svd${flag} of ${m} x ${n}`, A.dtype, inputs, blocks);
  };
}

/** Register `lowrank svd`. */
export function registerSvd(program: Command): void {
  const svdCommand = factorCommand(program, 'svd', 'singular value decomposition, A = U diag(s) Vt (U.npy, s.npy, Vt.npy; thin unless --full; top k only with --rank k)')
    .argument('<a>', 'matrix file (.npy, .mtx, .csv, .tsv, .txt)')
    .option('--full', 'full U (m x m) and Vt (n x n) instead of the thin factors')
    .option('--values-only', 'singular values only (faster): writes s.npy alone');
  addSvdRankOptions(svdCommand)
    .action(async (a: string, opts: FactorCommandOptions & SvdRankFlags & { full?: boolean; valuesOnly?: boolean }, cmd: Command) => {
      if (opts.rank !== undefined) return runSvdRank(a, opts.rank, opts, cmd);
      rejectStrayRankFlags(opts);
      if (opts.full && opts.valuesOnly) throw new UsageError('--full and --values-only exclude each other');
      await runDenseCommand(cmd, 'svd', [a], opts, svdNeed(opts.full ?? false, opts.valuesOnly ?? false), (A) => {
        if (opts.valuesOnly) return { factors: [{ name: 's', vector: svdvals(A) }] };
        const f = svd(A, { full: opts.full ?? false });
        return { factors: [{ name: 'U', matrix: f.U }, { name: 's', vector: f.s }, { name: 'Vt', matrix: f.Vt }] };
      });
    });
}
