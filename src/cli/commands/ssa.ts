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
 * Groups are 0-based eigentriple indices separated by commas; `a-b` is the inclusive range
 * a..b and `+` joins parts into one group (`0,1-2,3+5`).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { ShapeError } from '../../errors.js';
import { writeNpy } from '../../io/npy.js';
import { kernels } from '../../kernels/index.js';
import { Matrix } from '../../matrix/matrix.js';
import { SSA_FORECAST_METHODS, SSA_SOLVERS, ssa, ssaPlan, type SsaForecastMethod, type SsaSolver } from '../../models/dynamics/ssa.js';
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
    if (X.rows !== 1 && X.cols !== 1) throw new ShapeError(`${path}: holds a ${X.rows}x${X.cols} matrix; lowrank ssa takes one series (a 1-D array, or one row or column; pick a column with --column)`);
    const x = Float64Array.from(X.toFlat());
    const N = x.length;
    if (N < 3) throw new ShapeError(`${path}: the series has ${N} values; SSA needs at least 3`);
    const L = opts.window ?? Math.floor((N + 1) / 2);
    atMost('--window', L, N - 1, `N - 1 = ${N - 1} for this series of ${N} values`);
    const plan = ssaPlan(N, L, 1, { solver: opts.solver, rank: opts.rank, tol: opts.tol });
    if (opts.rank !== undefined) atMost('--rank', opts.rank, plan.maxRank, `min(L, K) = ${plan.maxRank} for window ${L} and ${N} values`);
    const groups = opts.groups ?? Array.from({ length: Math.min(10, plan.rank) }, (_, i) => [i]);
    for (const g of groups) {
      for (const t of g) {
        if (t >= plan.rank) throw new UsageError(`--groups must use eigentriples 0 to ${plan.rank - 1} (${plan.rank} computed${plan.rank < plan.maxRank ? '; raise --rank' : `, all that window ${L} gives`}), got ${t}`);
      }
    }
    kernels();
    const { result, seconds } = timed(() =>
      withProgress('ssa', (onProgress) => {
        const f = ssa(x, { window: L, rank: plan.rank, solver: plan.solver, seed: opts.seed, tol: opts.tol, onProgress });
        const parts = f.reconstruct(groups);
        const forecast = opts.forecast !== undefined ? f.forecast(opts.forecast, { groups, method: opts.forecastMethod }) : undefined;
        const wcorr = opts.wcorr ? f.wcorr(groups) : undefined;
        return { f, parts, forecast, wcorr };
      }),
    );
    const { f, parts, forecast, wcorr } = result;
    const G = groups.length;
    const components = Matrix.zeros(G, N);
    parts.forEach((y, g) => y.forEach((v, k) => components.set(g, k, v)));
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
      await write('components', components);
      await write('singular_values', new Matrix(f.s, f.s.length, 1), true);
      if (forecast) await write('forecast', new Matrix(forecast, forecast.length, 1), true);
      if (wcorr) await write('wcorr', wcorr);
    }
    if (opts.json) {
      printJson(cmd, {
        command: 'ssa',
        input: path,
        length: N,
        window: L,
        k: f.k,
        solver: f.solver,
        rank: f.rank,
        seconds,
        backend: kernels().name,
        groups,
        contributions: share,
        singular_values: Array.from(f.s),
        ...(forecast ? { forecast: Array.from(forecast) } : {}),
        ...(wcorr ? { wcorr: wcorr.toArray() } : {}),
        files: Object.values(files),
      });
      return;
    }
    const out = stdoutOf(cmd);
    out(`ssa: ${N} values, window ${L} (K ${f.k}), ${f.solver} SVD, ${f.rank} eigentriples in ${human(seconds)} s\n`);
    const shown = Math.min(10, f.rank);
    out(`  singular values: ${Array.from(f.s.subarray(0, shown), (v) => human(v)).join(', ')}${f.rank > shown ? ', ...' : ''}\n`);
    out(`  groups: ${groups.map((g, i) => `${label(g)} (${(100 * share[i]!).toFixed(2)}%)`).join(', ')}\n`);
    const report = (name: string, shape: string, body: () => string) => {
      if (files[name] !== undefined) out(`  ${name}.npy  ${shape}  -> ${files[name]}\n`);
      else out(`${name} ${shape} =\n${body()}\n`);
    };
    report('components', `${G}x${N}`, () => components.toString());
    report('singular_values', `(${f.rank},)`, () => `[${Array.from(f.s, (v) => human(v)).join(', ')}]`);
    if (forecast) report('forecast', `(${forecast.length},)`, () => `[${Array.from(forecast, (v) => human(v)).join(', ')}]`);
    if (wcorr) {
      if (files.wcorr !== undefined) out(`  wcorr.npy  ${G}x${G}  -> ${files.wcorr}\n`);
      out('w-correlations of the groups:\n');
      out(table(['', ...groups.map(label)], groups.map((g, i) => [label(g), ...groups.map((_, j) => wcorr.get(i, j).toFixed(3))])));
    }
  });
}
