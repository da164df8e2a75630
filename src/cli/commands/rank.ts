/**
 * `lowrank rank A [--plot scree.svg] [--json] [--energy 0.9] [--noise-sigma x]`: the
 * singular values of A with their energy and cumulative energy, and the rank suggested by
 * every rule of src/lowrank/rank-selection.ts (energy target, elbow, AIC, largest gap,
 * Gavish-Donoho), optionally drawn as an SVG scree plot.
 */
import { writeFileAtomic } from '../../io/write-chunks.js';
import { Option, type Command } from 'commander';
import { kernels } from '../../kernels/index.js';
import { svdvals } from '../../linalg/svd.js';
import { cumulativeEnergy, energy, energyRatio, suggestRank, type RankSuggestions } from '../../lowrank/rank-selection.js';
import type { DType } from '../../matrix/dtype.js';
import { flagOption, integer, number, rule } from '../flags.js';
import { addTextInputOptions, dtypeOption, onFile, textReadOptions, UsageError, type TextInputFlags } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { readMatrixInput } from '../read-input.js';
import { screeSvg } from '../scree-svg.js';
import { timed } from '../timing.js';

interface RankOptions extends TextInputFlags {
  plot?: string;
  json?: boolean;
  energy?: number;
  noiseSigma?: number;
  gap?: 'absolute' | 'relative';
  rows?: number;
  dtype?: DType;
}

/** --energy: a fraction in (0, 1], or a percent (`90%`). */
const energyTarget = rule('a fraction in (0, 1] (or a percent like 90%)', (text) => {
  const percent = text.endsWith('%');
  const x = Number(percent ? text.slice(0, -1) : text) / (percent ? 100 : 1);
  return Number.isFinite(x) && x > 0 && x <= 1 ? x : undefined;
});

/** Rule labels as printed and plotted. */
function labels(target: number): Record<keyof RankSuggestions, string> {
  return { energy: `energy ${Number((target * 100).toPrecision(4))}%`, elbow: 'elbow', aic: 'AIC', gap: 'gap', gavishDonoho: 'Gavish-Donoho' };
}

/** The `rules` object of the JSON output: every rule's k and evidence, typed arrays as arrays. */
export function rulesJson(r: RankSuggestions): Record<string, Record<string, unknown>> {
  return {
    energy: { ...r.energy },
    elbow: { k: r.elbow.k, distance: r.elbow.distance },
    aic: { k: r.aic.k, noiseVariance: r.aic.noiseVariance, noiseEstimated: r.aic.noiseEstimated, scores: Array.from(r.aic.scores) },
    gap: { k: r.gap.k, gap: r.gap.gap, kind: r.gap.kind, gaps: Array.from(r.gap.gaps) },
    gavishDonoho: { ...r.gavishDonoho },
  };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]): string => cells.map((c, j) => c.padStart(w[j]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Register `lowrank rank`. */
export function registerRank(program: Command): void {
  const command = program
    .command('rank')
    .description('singular values with energy and cumulative energy, and the rank suggested by each rule (energy target, elbow, AIC, largest gap, Gavish-Donoho)')
    .argument('<a>', 'matrix file (.npy, .mtx, .csv, .tsv, .txt)')
    .option('--plot <file.svg>', 'write an SVG scree plot (energy bars, cumulative energy line, suggested k marked)')
    .addOption(flagOption('--energy <fraction>', 'energy target of the energy rule, a fraction in (0, 1] or a percent (default 0.9)', energyTarget))
    .addOption(flagOption('--noise-sigma <x>', 'known noise standard deviation per entry (AIC, Gavish-Donoho); estimated from the median singular value by default', number({ above: 0 })))
    .addOption(new Option('--gap <kind>', 'gap rule: largest difference or largest ratio of consecutive singular values').choices(['absolute', 'relative']).default('absolute'))
    .addOption(flagOption('--rows <n>', 'singular values listed in the table (default 30, or more to reach every suggested k); --json has all', integer({ min: 0 })))
    .addOption(dtypeOption('compute in this precision (default: as stored in the file)'))
    .option('--json', 'print one JSON object');
  addTextInputOptions(command)
    .action(async (a: string, opts: RankOptions, cmd: Command) => {
      const { energy: target = 0.9, noiseSigma, rows: rowsWanted } = opts;
      if (opts.plot !== undefined && !opts.plot.toLowerCase().endsWith('.svg')) throw new UsageError(`--plot writes SVG: the file name must end in .svg, got '${opts.plot}'`);
      const input = await readMatrixInput(a, { dtype: opts.dtype, ...textReadOptions(opts) });
      const A = input.matrix;
      const { result: s, seconds } = timed(() => Float64Array.from(svdvals(A)), { prepare: kernels });
      const [m, n] = [A.rows, A.cols];
      const r = s.length > 0 ? suggestRank(s, { m, n, energy: target, noiseSigma, gap: opts.gap }) : undefined;
      const cum = cumulativeEnergy(s);
      const names = labels(target);
      if (opts.plot !== undefined && r !== undefined) {
        const marks = Object.fromEntries(Object.entries(names).map(([key, label]) => [label, r[key as keyof RankSuggestions].k]));
        const svg = screeSvg({ sigma: s, cumulativeEnergy: cum, marks, target, title: `Scree plot of ${a} (${m} x ${n})` });
        const path = opts.plot;
        await onFile(path, () => writeFileAtomic(path, svg));
      }
      if (opts.json) {
        printJson(cmd, {
          command: 'rank', input: a, shape: [m, n], header: input.header, dtype: A.dtype, seconds, backend: kernels().name,
          sigma: Array.from(s), energy: Array.from(energy(s)), energyRatio: Array.from(energyRatio(s)), cumulativeEnergy: Array.from(cum),
          rules: r === undefined ? {} : rulesJson(r), plot: opts.plot ?? null,
        });
        return;
      }
      const out = stdoutOf(cmd);
      out(`rank: ${a} ${m}x${n} ${A.dtype}, ${s.length} singular values in ${seconds.toFixed(3)} s\n`);
      if (r === undefined) {
        out('(empty matrix: no singular values)\n');
        return;
      }
      const share = energyRatio(s);
      const e = energy(s);
      const maxK = Math.max(...Object.values(r).map((x: { k: number }) => x.k));
      const shown = Math.min(s.length, rowsWanted ?? Math.max(30, maxK + 3));
      const rows = Array.from({ length: shown }, (_, i) => [String(i + 1), human(s[i]!), human(e[i]!), pct(share[i]!), pct(cum[i]!)]);
      out(table(['k', 'sigma', 'energy', 'share', 'cumulative'], rows));
      if (shown < s.length) out(`... ${s.length - shown} more (--rows ${s.length} or --json for all)\n`);
      const g = r.gavishDonoho;
      const evidence: [string, number, string][] = [
        [names.energy, r.energy.k, `keeps ${pct(r.energy.retained)} of the energy`],
        [names.elbow, r.elbow.k, `knee of the cumulative energy, ${human(r.elbow.distance)} above the chord`],
        [names.aic, r.aic.k, `noise sigma ${human(Math.sqrt(r.aic.noiseVariance))}${r.aic.noiseEstimated ? ' (estimated)' : ''}, k_r = r(m+n-r)`],
        [names.gap, r.gap.k, `${r.gap.kind === 'absolute' ? `s_k - s_k+1 = ${human(r.gap.gap)}` : `s_k / s_k+1 = ${human(r.gap.gap)}`}`],
        [names.gavishDonoho, g.k, `threshold ${human(g.threshold)} = ${human(g.coefficient)} x ${g.noiseKnown ? `sqrt(${Math.max(m, n)}) sigma` : 'median(s)'}, noise sigma ${human(g.noiseSigma)}${g.noiseKnown ? '' : ' (estimated)'}`],
      ];
      const w = Math.max(...evidence.map(([name]) => name.length));
      out('suggested rank:\n');
      for (const [name, k, why] of evidence) out(`  ${name.padEnd(w)}  ${String(k).padStart(4)}   ${why}\n`);
      if (opts.plot !== undefined) out(`scree plot: ${opts.plot}\n`);
    });
}
