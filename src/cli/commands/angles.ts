/**
 * `lowrank angles U1.npy U2.npy [--json]`: the principal angles between the column spaces
 * of two matrices (in degrees and radians) and the subspace distances built on them
 * (src/lowrank/principal-angles.ts).
 */
import type { Command } from 'commander';
import { ShapeError } from '../../errors.js';
import { distancesFromAngles, principalAngles } from '../../lowrank/principal-angles.js';
import type { Matrix } from '../../matrix/matrix.js';
import { addTextInputOptions, textReadOptions, type TextInputFlags } from '../options.js';
import { human, printJson, stdoutOf } from '../output.js';
import { readMatrixInput } from '../read-input.js';

/** A 1-D vector file is read as 1 x m; seen next to an m-row matrix it is one column. */
function asColumns(X: Matrix, other: Matrix): Matrix {
  return X.rows === 1 && X.cols > 1 && X.rows !== other.rows && X.cols === other.rows ? X.T : X;
}

/** Register `lowrank angles`. */
export function registerAngles(program: Command): void {
  const command = program
    .command('angles')
    .description('principal angles between the column spaces of two matrices (degrees and radians) and the distances between the subspaces')
    .argument('<a>', 'matrix whose columns span the first subspace (.npy, .mtx, .csv, .tsv, .txt)')
    .argument('<b>', 'matrix whose columns span the second subspace (same number of rows)')
    .option('--json', 'print one JSON object');
  addTextInputOptions(command)
    .action(async (a: string, b: string, opts: TextInputFlags & { json?: boolean }, cmd: Command) => {
      const read = { dtype: 'float64' as const, ...textReadOptions(opts) };
      const [ia, ib] = await Promise.all([readMatrixInput(a, read), readMatrixInput(b, read)]);
      const [A0, B0] = [ia.matrix, ib.matrix];
      const A = asColumns(A0, B0);
      const B = asColumns(B0, A);
      if (A.rows !== B.rows) throw new ShapeError(`the subspaces must live in the same space: ${a} has ${A.rows} rows, ${b} has ${B.rows}`);
      const r = principalAngles(A, B);
      const d = distancesFromAngles(r.angles, Math.abs(r.dimA - r.dimB));
      const degrees = Array.from(r.angles, (t) => (t * 180) / Math.PI);
      if (opts.json) {
        printJson(cmd, {
          command: 'angles', inputs: [a, b], headers: [ia.header, ib.header], ambient: A.rows, dimA: r.dimA, dimB: r.dimB,
          radians: Array.from(r.angles), degrees, cosines: Array.from(r.cosines), sines: Array.from(r.sines), distances: d,
        });
        return;
      }
      const out = stdoutOf(cmd);
      out(`angles: span(${a}) (dim ${r.dimA}) and span(${b}) (dim ${r.dimB}) in R^${A.rows}\n`);
      const rows = degrees.map((deg, i) => [String(i + 1), human(deg), human(r.angles[i]!), human(r.cosines[i]!)]);
      const header = ['i', 'degrees', 'radians', 'cosine'];
      const w = header.map((h, j) => Math.max(h.length, ...rows.map((x) => x[j]!.length)));
      for (const cells of [header, ...rows]) out(cells.map((c, j) => c.padStart(w[j]!)).join('  ') + '\n');
      if (r.dimA !== r.dimB) out(`(dimensions differ: distances add ${Math.abs(r.dimA - r.dimB)} angle(s) of 90 degrees)\n`);
      out('distances:\n');
      const names: [keyof typeof d, string][] = [
        ['projection', '||sin theta||_2 = ||P_A - P_B||_F / sqrt 2'],
        ['spectral', 'sin of the largest angle = ||P_A - P_B||_2'],
        ['geodesic', '||theta||_2 (arc length)'],
        ['chordal', '||2 sin(theta/2)||_2'],
        ['chordal2', 'max 2 sin(theta/2)'],
        ['fubiniStudy', 'arccos prod cos theta'],
      ];
      const nw = Math.max(...names.map(([k]) => k.length));
      for (const [k, what] of names) out(`  ${k.padEnd(nw)}  ${human(d[k]).padStart(12)}   ${what}\n`);
    });
}
