/**
 * `lowrank ssa x.npy --window L --groups 0,1-2,3-4 [--forecast h] [--wcorr] --out DIR`:
 * singular spectrum analysis of one series (src/models/dynamics/ssa.ts). Writes, with
 * numpy-checkable names (a contract):
 *
 * - components.npy       G x N, one row per group: the group's reconstruction
 * - singular_values.npy  (r,), the singular values of the trajectory matrix
 * - forecast.npy         (h,), with --forecast h: the recurrent forecast of the sum of the groups
 * - wcorr.npy            G x G, with --wcorr (which also prints it)
 *
 * With --multivariate every column of the input is one series and the analysis is
 * multivariate SSA (MSSA, src/models/dynamics/ssa.ts `mssa`): components.npy is then
 * G x s x N (group, series, time) and forecast.npy s x h.
 *
 * Groups are 0-based eigentriple indices separated by commas; `a-b` is the inclusive range
 * a..b and `+` joins parts into one group (`0,1-2,3+5`).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { ShapeError } from '../../errors.js';
import { kernels } from '../../kernels/index.js';
import { Matrix } from '../../matrix/matrix.js';
import { Tensor } from '../../tensor/tensor.js';
import { writeNpy, writeTensor } from '../../io/npy.js';
import { mssa, SSA_FORECAST_METHODS, SSA_SOLVERS, ssa, ssaPlan, type SsaForecastMethod, type SsaSolver } from '../../models/dynamics/ssa.js';
import { atMost, count, flagOption, integer, number, rule } from '../flags.js';
import { addTextInputOptions, onFile, textReadOptions, UsageError, type TextInputFlags } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { withProgress } from '../progress-bar.js';
import { readMatrixInput } from '../read-input.js';
import { timed } from '../timing.js';

interface SsaFlags extends TextInputFlags {
  window?: number;
  groups?: number[][];
  rank?: number;
  forecast?: number;
  forecastMethod: SsaForecastMethod;
  wcorr?: boolean;
  solver: SsaSolver;
  seed?: number;
  tol?: number;
  out?: string;
  json?: boolean;
  column?: string;
  multivariate?: boolean;
}

/**
 * --groups: comma-separated groups; each is `+`-joined parts, a part an index `a` or an
 * inclusive range `a-b` (a <= b).
 */
export const groupsRule = rule("groups of 0-based eigentriple indices: comma-separated, each an index, a range a-b or parts joined by '+' (e.g. 0,1-2,3+5)", (text) => {
  const groups: number[][] = [];
  for (const g of text.split(',')) {
    const members: number[] = [];
    for (const part of g.split('+')) {
      const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
      if (!m) return undefined;
      const a = Number(m[1]);
      const b = m[2] === undefined ? a : Number(m[2]);
      if (!(Number.isSafeInteger(a) && Number.isSafeInteger(b) && a <= b) || b - a > 1e6) return undefined;
      for (let t = a; t <= b; t++) if (!members.includes(t)) members.push(t);
    }
    groups.push(members);
  }
  return groups;
});

/** A group as typed: 0, 1-2, 3+5. */
function label(g: readonly number[]): string {
  const sorted = [...g].sort((a, b) => a - b);
  const contiguous = sorted.every((t, i) => i === 0 || t === sorted[i - 1]! + 1);
  if (sorted.length === 1) return String(sorted[0]);
  return contiguous ? `${sorted[0]}-${sorted[sorted.length - 1]}` : sorted.join('+');
}

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]): string => cells.map((c, j) => c.padStart(w[j]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Register `lowrank ssa`. */
export function registerSsa(program: Command): void {
  const command = program
    .command('ssa')
    .description('singular spectrum analysis of a series: reconstructed groups (components.npy, one row per group), singular_values.npy, and with --forecast forecast.npy')
    .argument('<x>', 'the series: a 1-D .npy, or one row or column of a .npy, .csv, .tsv, .txt or .mtx file')
    .addOption(flagOption('-L, --window <L>', 'window length, 2 <= L <= N - 1 (default floor((N + 1) / 2))', integer({ min: 2 })))
    .addOption(flagOption('-g, --groups <groups>', "eigentriple groups, 0-based: comma-separated indices, ranges a-b (inclusive), parts joined by '+' (default: each of the first min(10, rank) alone)", groupsRule))
    .addOption(flagOption('-r, --rank <r>', 'eigentriples to compute (default: all min(L, K) for the dense SVD, else min(50, L, K))', count))
    .addOption(flagOption('--forecast <h>', 'also forecast h values of the sum of the groups (forecast.npy)', count))
    .addOption(new Option('--forecast-method <method>', 'recurrent (LRR) or vector forecasting').choices([...SSA_FORECAST_METHODS]).default('recurrent'))
    .option('--wcorr', 'print the w-correlation matrix of the groups (and write wcorr.npy)')
    .addOption(new Option('--solver <name>', 'SVD of the trajectory matrix: auto, full (dense), randomized or lanczos (matrix-free, FFT products)').choices([...SSA_SOLVERS]).default('auto'))
    .addOption(flagOption('--tol <t>', 'lanczos: residual tolerance relative to the largest singular value (default 1e-10)', number({ above: 0, below: 1 })))
    .addOption(flagOption('--seed <s>', 'seed of the truncated solvers (default 0)', integer()))
    .option('-c, --column <c>', 'take the series from this column of a table: its name (header row) or 0-based index')
    .option('-m, --multivariate', 'every column of the input is one series: multivariate SSA (components.npy G x s x N, forecast.npy s x h)')
    .option('-o, --out <dir>', 'write the results as .npy files into this directory (created if needed); without it they are printed')
    .option('--json', 'print one JSON object');
  addTextInputOptions(command).action(async (path: string, opts: SsaFlags, cmd: Command) => {
    const input = await readMatrixInput(path, textReadOptions(opts));
    let X = input.matrix;
    if (opts.column !== undefined) {
      const c = opts.column;
      const byName = input.columnNames?.indexOf(c) ?? -1;
      const index = byName >= 0 ? byName : /^\d+$/.test(c) ? Number(c) : -1;
      if (!(index >= 0 && index < X.cols)) {
        const names = input.columnNames ? ` (columns: ${input.columnNames.join(', ')})` : ` (${X.cols} columns, no header row)`;
        throw new UsageError(`--column must name a column of ${path} or give its 0-based index${names}, got '${c}'`);
      }
      X = X.col(index);
    }
    if (opts.multivariate && opts.column !== undefined) throw new UsageError('--multivariate analyses every column together; leave out --column (or drop --multivariate to analyse one column)');
    if (!opts.multivariate && X.rows !== 1 && X.cols !== 1) throw new ShapeError(`${path}: holds a ${X.rows}x${X.cols} matrix; lowrank ssa takes one series (a 1-D array, or one row or column; pick a column with --column, or analyse the columns together with --multivariate)`);
    // One series per column with --multivariate (a 1 x N row is one series either way).
    const series = opts.multivariate && X.rows > 1 ? Array.from({ length: X.cols }, (_, q) => Float64Array.from(X.col(q).toFlat())) : [Float64Array.from(X.toFlat())];
    const S = series.length;
    const N = series[0]!.length;
    if (N < 3) throw new ShapeError(`${path}: the series has ${N} values; SSA needs at least 3`);
    const L = opts.window ?? Math.floor((N + 1) / 2);
    atMost('--window', L, N - 1, `N - 1 = ${N - 1} for this series of ${N} values`);
    const plan = ssaPlan(N, L, S, { solver: opts.solver, rank: opts.rank, tol: opts.tol });
    if (opts.rank !== undefined) atMost('--rank', opts.rank, plan.maxRank, `min(L, ${S > 1 ? 'sK' : 'K'}) = ${plan.maxRank} for window ${L} and ${N} values`);
    const groups = opts.groups ?? Array.from({ length: Math.min(10, plan.rank) }, (_, i) => [i]);
    for (const g of groups) {
      for (const t of g) {
        if (t >= plan.rank) throw new UsageError(`--groups must use eigentriples 0 to ${plan.rank - 1} (${plan.rank} computed${plan.rank < plan.maxRank ? '; raise --rank' : `, all that window ${L} gives`}), got ${t}`);
      }
    }
    kernels();
    const { result, seconds } = timed(() =>
      withProgress('ssa', (onProgress) => {
        const o = { window: L, rank: plan.rank, solver: plan.solver, seed: opts.seed, tol: opts.tol, onProgress };
        const fo = { groups, method: opts.forecastMethod };
        if (!opts.multivariate) {
          const f = ssa(series[0]!, o);
          const forecast = opts.forecast !== undefined ? [f.forecast(opts.forecast, fo)] : undefined;
          return { f, parts: f.reconstruct(groups).map((y) => [y]), forecast, wcorr: opts.wcorr ? f.wcorr(groups) : undefined };
        }
        const f = mssa(series, o);
        const forecast = opts.forecast !== undefined ? f.forecast(opts.forecast, fo) : undefined;
        return { f, parts: f.reconstruct(groups), forecast, wcorr: opts.wcorr ? f.wcorr(groups) : undefined };
      }),
    );
    const { f, parts, forecast, wcorr } = result;
    const G = groups.length;
    // G x N for one series, G x s x N with --multivariate: C order, group-major.
    const flat = new Float64Array(G * S * N);
    parts.forEach((perSeries, g) => perSeries.forEach((y, q) => flat.set(y, (g * S + q) * N)));
    const components = opts.multivariate ? Tensor.fromArray(flat, [G, S, N]) : new Matrix(flat, G, N, 0, N, 1);
    const forecastShape = forecast ? (opts.multivariate ? [S, forecast[0]!.length] : [forecast[0]!.length]) : [];
    const forecastFlat = forecast ? Float64Array.from(forecast.flatMap((y) => Array.from(y))) : undefined;
    const contributions = f.contributions;
    const share = groups.map((g) => g.reduce((a, t) => a + contributions[t]!, 0));
    const files: Record<string, string> = {};
    if (opts.out !== undefined) {
      const dir = opts.out;
      await onFile(dir, () => mkdir(dir, { recursive: true }));
      const write = async (name: string, M: Matrix, shape1d = false) => {
        const p = join(dir, `${name}.npy`);
        await onFile(p, () => writeNpy(p, M, { shape1d }));
        files[name] = p;
      };
      if (components instanceof Tensor) {
        const p = join(dir, 'components.npy');
        await onFile(p, () => writeTensor(p, components));
        files.components = p;
      } else await write('components', components);
      await write('singular_values', new Matrix(f.s, f.s.length, 1), true);
      if (forecastFlat) await write('forecast', opts.multivariate ? new Matrix(forecastFlat, S, forecastFlat.length / S, 0, forecastFlat.length / S, 1) : new Matrix(forecastFlat, forecastFlat.length, 1), !opts.multivariate);
      if (wcorr) await write('wcorr', wcorr);
    }
    if (opts.json) {
      printJson(cmd, {
        command: 'ssa',
        input: path,
        length: N,
        ...(opts.multivariate ? { series: S } : {}),
        window: L,
        k: f.k,
        solver: f.solver,
        rank: f.rank,
        seconds,
        backend: kernels().name,
        groups,
        contributions: share,
        singular_values: Array.from(f.s),
        ...(forecast ? { forecast: opts.multivariate ? forecast.map((y) => Array.from(y)) : Array.from(forecast[0]!) } : {}),
        ...(wcorr ? { wcorr: wcorr.toArray() } : {}),
        files: Object.values(files),
      });
      return;
    }
    const out = stdoutOf(cmd);
    out(`ssa: ${S > 1 ? `${S} series of ` : ''}${N} values, window ${L} (K ${f.k}), ${f.solver} SVD, ${f.rank} eigentriples in ${human(seconds)} s\n`);
    const shown = Math.min(10, f.rank);
    out(`  singular values: ${Array.from(f.s.subarray(0, shown), (v) => human(v)).join(', ')}${f.rank > shown ? ', ...' : ''}\n`);
    out(`  groups: ${groups.map((g, i) => `${label(g)} (${(100 * share[i]!).toFixed(2)}%)`).join(', ')}\n`);
    const report = (name: string, shape: string, body: () => string) => {
      if (files[name] !== undefined) out(`  ${name}.npy  ${shape}  -> ${files[name]}\n`);
      else out(`${name} ${shape} =\n${body()}\n`);
    };
    report('components', opts.multivariate ? `${G}x${S}x${N}` : `${G}x${N}`, () => components.toString());
    report('singular_values', `(${f.rank},)`, () => `[${Array.from(f.s, (v) => human(v)).join(', ')}]`);
    if (forecast) {
      const shape = forecastShape.length === 1 ? `(${forecastShape[0]},)` : forecastShape.join('x');
      report('forecast', shape, () => forecast.map((y) => `[${Array.from(y, (v) => human(v)).join(', ')}]`).join('\n'));
    }
    if (wcorr) {
      if (files.wcorr !== undefined) out(`  wcorr.npy  ${G}x${G}  -> ${files.wcorr}\n`);
      out('w-correlations of the groups:\n');
      out(table(['', ...groups.map(label)], groups.map((g, i) => [label(g), ...groups.map((_, j) => wcorr.get(i, j).toFixed(3))])));
    }
  });
}
