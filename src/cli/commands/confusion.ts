/**
 * `lowrank confusion C.csv [--k 2] [--counts] [--directed]`: the "axes of confusion" of a
 * classifier — the leading factors of the off-diagonal part of its confusion matrix and the
 * classes that load on them (see src/models/graph/confusion.ts for the method).
 *
 * Input: a square table of counts, rows = true classes, columns = predicted classes
 * (scikit-learn's `confusion_matrix` layout), as CSV/TSV/whitespace text with an optional
 * header row of class labels and an optional first column of labels (pandas'
 * `DataFrame.to_csv()` of a labelled matrix), or as .npy / .mtx (no labels).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError, ParseError } from '../../errors.js';
import { detectDelimiter, isNumericCell, looksLikeHeader, splitSampleLine } from '../../io/csv-detect.js';
import { parseReal } from '../../io/numbers.js';
import { kernels } from '../../kernels/index.js';
import { Matrix } from '../../matrix/matrix.js';
import { confusionAxes, type ConfusionAxis, type ConfusionClass } from '../../models/graph/confusion.js';
import { atMost, flagOption, integer } from '../flags.js';
import { fileFormat, onFile, UsageError } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { checkValues, readMatrixInput } from '../read-input.js';

interface ConfusionFlags {
  k: number;
  counts?: boolean;
  directed?: boolean;
  labels?: string;
  json?: boolean;
}

/** A confusion table read from text: the counts and the labels found in it, if any. */
export interface ConfusionTable {
  matrix: Matrix;
  labels?: string[];
  /** Whether the first row was read as a header (class labels or a numeric header). */
  header: boolean;
}

/**
 * Parse a square confusion table from delimited text. A header row is recognized when it
 * has a non-numeric cell, starts with an empty cell, or when the table is one row taller
 * than wide (a numeric header such as `0,1,...,9`); a label column when a first cell of the
 * body is not numeric or the body is one column wider than tall.
 * @throws ParseError for ragged rows, empty or non-numeric cells, or a non-square table;
 * InvalidArgumentError when row and column labels disagree.
 */
export function parseConfusionTable(text: string, file: string): ConfusionTable {
  const numbered = text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .map((line, i) => ({ line, no: i + 1 }))
    .filter(({ line }) => line.trim() !== '' && !line.trim().startsWith('#'));
  if (numbered.length === 0) throw new ParseError(file, {}, 'no data: the file is empty');
  const delimiter = detectDelimiter(numbered.slice(0, 20).map((l) => l.line));
  const rows = numbered.map(({ line }) => splitSampleLine(line, delimiter));
  const width = rows[0]!.length;
  rows.forEach((r, i) => {
    if (r.length !== width) throw new ParseError(file, { line: numbered[i]!.no }, `expected ${width} fields like the first row, got ${r.length}`);
  });
  const first = rows[0]!;
  const header = looksLikeHeader(first) || first[0] === '' || rows.length === width + 1;
  const body = header ? rows.slice(1) : rows;
  const bodyLine = (i: number): number => numbered[i + (header ? 1 : 0)]!.no;
  const labelColumn = body.some((r) => !isNumericCell(r[0]!)) || body.length === width - 1;
  const n = body.length;
  const cols = labelColumn ? width - 1 : width;
  if (n !== cols || n === 0) throw new ParseError(file, {}, `a confusion matrix must be square: found ${n} rows and ${cols} columns of counts`);
  const M = Matrix.zeros(n, n);
  body.forEach((r, i) => {
    for (let j = 0; j < n; j++) {
      const cell = r[j + (labelColumn ? 1 : 0)]!;
      const v = parseReal(cell);
      if (v === undefined) throw new ParseError(file, { line: bodyLine(i) }, `column ${j + (labelColumn ? 2 : 1)}: '${cell}' is not a number`);
      M.set(i, j, v);
    }
  });
  const colLabels = header ? (labelColumn ? first.slice(1) : first) : undefined;
  const rowLabels = labelColumn ? body.map((r) => r[0]!) : undefined;
  if (colLabels && rowLabels && colLabels.some((l, i) => l !== rowLabels[i])) {
    throw new InvalidArgumentError(`${file}: the row labels (${rowLabels.join(', ')}) differ from the column labels (${colLabels.join(', ')}); rows and columns must list the classes in the same order`);
  }
  return { matrix: M, labels: colLabels ?? rowLabels, header };
}

function formatClasses(classes: readonly ConfusionClass[]): string {
  return classes.map((c) => `${c.label} (${c.loading >= 0 ? '+' : ''}${c.loading.toFixed(3)})`).join(', ');
}

function axisJson(a: ConfusionAxis, labels: readonly string[], directed: boolean): Record<string, unknown> {
  const byLabel = (x: Float64Array): Record<string, number> => Object.fromEntries(labels.map((l, i) => [l, x[i]!]));
  const pick = (cs: readonly ConfusionClass[]): { label: string; loading: number }[] => cs.map((c) => ({ label: c.label, loading: c.loading }));
  return {
    value: a.value,
    explained: a.explained,
    massShare: a.massShare,
    classes: pick(a.classes),
    ...(directed ? { targets: pick(a.targets) } : {}),
    loadings: byLabel(a.loadings),
    ...(directed ? { targetLoadings: byLabel(a.targetLoadings) } : {}),
  };
}

/** Register `lowrank confusion`. */
export function registerConfusion(program: Command): void {
  program
    .command('confusion')
    .description('axes of confusion of a classifier: the leading factors of the off-diagonal confusion matrix and the classes that load on them')
    .argument('<file>', 'square confusion matrix, rows = true classes, columns = predicted (.csv/.tsv/.txt with an optional header row and/or first column of labels; or .npy/.mtx)')
    .addOption(flagOption('-k, --k <n>', 'number of axes', integer({ min: 1 }, { digits: true }), { default: '1' }))
    .option('--counts', 'factor raw counts (default: error rates per true class, each row divided by its total)')
    .option('--directed', 'factor the errors as they are (SVD: true classes -> predicted classes) instead of symmetrizing (D + D^T) / 2')
    .option('--labels <list>', 'comma-separated class labels (default: from the file, else 0, 1, ...)')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: ConfusionFlags, cmd: Command) => {
      const k = opts.k;
      const format = fileFormat(file);
      let table: ConfusionTable;
      if (format === 'npy' || format === 'mtx') {
        table = { matrix: (await readMatrixInput(file)).matrix, header: false };
      } else {
        const text = await onFile(file, () => readFile(file, 'utf8'));
        table = parseConfusionTable(text, file);
        checkValues(table.matrix, file, 'finite');
      }
      const n = table.matrix.rows;
      let labels = table.labels;
      if (opts.labels !== undefined) {
        labels = opts.labels.split(',').map((l) => l.trim());
        if (labels.length !== n) throw new UsageError(`--labels lists ${labels.length} labels, the matrix has ${n} classes`);
      }
      atMost('--k', k, n, `the number of classes (${n})`);
      const directed = opts.directed ?? false;
      kernels();
      const res = confusionAxes(table.matrix, { labels, k, normalize: opts.counts ? 'none' : 'rows', symmetrize: !directed });
      if (opts.json) {
        printJson(cmd, {
          command: 'confusion',
          header: table.header,
          classes: n,
          labels: res.labels,
          total: res.total,
          errors: res.errors,
          errorRate: res.errorRate,
          normalize: res.normalize,
          symmetrize: res.symmetrize,
          axes: res.axes.map((a) => axisJson(a, res.labels, directed)),
        });
        return;
      }
      const out = stdoutOf(cmd);
      const what = `${res.normalize === 'rows' ? 'error rates per true class' : 'error counts'}, ${res.symmetrize ? 'symmetrized' : 'directed'}`;
      out(`confusion: ${n} classes, ${human(res.total)} samples, ${human(res.errors)} errors (${(100 * res.errorRate).toFixed(2)}%); factoring ${what}\n`);
      if (res.axes.length === 0) {
        out('  no confusion: every sample is on the diagonal\n');
        return;
      }
      res.axes.forEach((a, i) => {
        const kind = res.symmetrize ? 'eigenvalue' : 'singular value';
        out(`axis ${i + 1}: ${kind} ${human(a.value)}, ${(100 * a.explained).toFixed(1)}% of the confusion energy, ${(100 * a.massShare).toFixed(1)}% of the off-diagonal mass among its classes\n`);
        if (res.symmetrize) {
          out(`  classes: ${formatClasses(a.classes)}\n`);
          if (a.value < 0) out('  (negative eigenvalue: the + classes are confused with the - classes)\n');
        } else {
          out(`  true classes:   ${formatClasses(a.classes)}\n`);
          out(`  predicted as:   ${formatClasses(a.targets)}\n`);
        }
      });
    });
}
