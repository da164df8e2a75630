/**
 * `lowrank weights inspect model.safetensors [--json] [--plot spectra.svg]`: for every 2-D
 * float tensor (a weight matrix), its shape, dtype, stable rank ||W||_F^2 / ||W||_2^2, the
 * ranks that keep 90% and 99% of its energy and the ranks for a 1% and 5% relative error
 * (Eckart-Young, from the exact spectrum: see src/models/weights/spectrum.ts); optionally an
 * SVG of every layer's normalized spectrum. Tensors are decoded one at a time into one
 * reused float32 buffer; every figure needs the whole spectrum (the 1% error rank is the
 * 99.99% energy rank), so it is computed without singular vectors: svdvals up to
 * min(out, in) = 1024, above that the eigenvalues of the float64 Gram matrix, formed from
 * the buffer in slabs and tridiagonalized in place (memory: the float32 matrix plus
 * min(out, in)^2 doubles).
 */
import { Option, type Command } from 'commander';
import { kernels } from '../../../kernels/index.js';
import { openSafetensors } from '../../../io/safetensors.js';
import { writeFileAtomic } from '../../../io/write-chunks.js';
import { weightSpectrum, type WeightSpectrum } from '../../../models/weights/spectrum.js';
import { onFile } from '../../options.js';
import { printJson, stdoutOf } from '../../output.js';
import { progressBar } from '../../progress-bar.js';
import { addSelectionOptions, formatTable, LayerBuffer, shapeText, skipReason, type SelectionFlags } from './shared.js';
import { spectraSvg } from './spectra-svg.js';

interface InspectFlags extends SelectionFlags {
  json?: boolean;
  plot?: string;
  spectrum: 'auto' | 'svd' | 'gram';
}

/** The energy shares and relative errors whose ranks are reported. */
const ENERGIES = [0.9, 0.99] as const;
const ERRORS = [0.01, 0.05] as const;

/** Register `lowrank weights inspect`. */
export function registerWeightsInspect(weights: Command): void {
  const cmd = weights
    .command('inspect')
    .description('per 2-D tensor of a .safetensors file: shape, dtype, stable rank, ranks for 90%/99% energy and 1%/5% relative error; --plot draws every layer\'s normalized spectrum')
    .argument('<model>', '.safetensors file (read one tensor at a time)')
    .option('--plot <file.svg>', 'write the normalized spectra (s_i / s_1 against i / min(out, in)) of all layers as an SVG')
    .addOption(new Option('--spectrum <method>', "singular values by 'svd' (bidiagonalization) or 'gram' (eigenvalues of W^T W, faster, accurate for energies); auto: svd up to min(out, in) = 1024").choices(['auto', 'svd', 'gram']).default('auto'))
    .option('--json', 'print one JSON object');
  addSelectionOptions(cmd, 'analyze').action(async (file: string, opts: InspectFlags, command: Command) => {
    kernels();
    const t0 = performance.now();
    const st = await onFile(file, () => openSafetensors(file));
    const rows: { name: string; shape: number[]; dtype: string; spectrum: WeightSpectrum }[] = [];
    const skipped: { name: string; shape: number[]; dtype: string; reason: string }[] = [];
    const bar = progressBar('inspect');
    const layer = new LayerBuffer();
    try {
      const todo = st.tensors.filter((t) => skipReason(t, opts) === undefined);
      for (const t of st.tensors) {
        const reason = skipReason(t, opts);
        if (reason !== undefined) {
          skipped.push({ name: t.name, shape: [...t.shape], dtype: t.dtype, reason });
          continue;
        }
        const W = await layer.read(st, t);
        rows.push({ name: t.name, shape: [...t.shape], dtype: t.dtype, spectrum: weightSpectrum(W, { method: opts.spectrum }) });
        bar.onProgress({ stage: 'tensor', done: rows.length, total: todo.length });
      }
    } finally {
      bar.stop();
      layer.release();
      await st.close();
    }
    const seconds = (performance.now() - t0) / 1000;
    if (opts.plot !== undefined) {
      const path = opts.plot;
      const svg = spectraSvg(rows.map((r) => ({ name: r.name, singularValues: r.spectrum.singularValues })), `Normalized singular values: ${file.split('/').pop()}`);
      await onFile(path, () => writeFileAtomic(path, svg));
    }
    const params = rows.reduce((a, r) => a + r.shape[0]! * r.shape[1]!, 0);
    if (opts.json) {
      printJson(command, {
        command: 'weights inspect',
        input: file,
        seconds,
        backend: kernels().name,
        metadata: st.metadata ?? null,
        matrices: rows.length,
        params,
        tensors: rows.map(({ name, shape, dtype, spectrum: s }) => ({
          name,
          shape,
          dtype,
          params: shape[0]! * shape[1]!,
          frobeniusNorm: s.frobeniusNorm,
          spectralNorm: s.spectralNorm,
          stableRank: s.stableRank,
          rankForEnergy: Object.fromEntries(ENERGIES.map((e) => [String(e), s.rankForEnergy(e)])),
          rankForError: Object.fromEntries(ERRORS.map((e) => [String(e), s.rankForError(e)])),
          spectrum: s.method,
        })),
        skipped,
        plot: opts.plot ?? null,
      });
      return;
    }
    const out = stdoutOf(command);
    out(`weights inspect: ${file}: ${rows.length} weight matri${rows.length === 1 ? 'x' : 'ces'} (${params} parameters) of ${st.tensors.length} tensors, in ${seconds.toFixed(2)} s\n`);
    if (rows.length > 0) {
      const table = [['tensor', 'shape', 'dtype', 'stable rank', 'r 90%', 'r 99%', 'r err 1%', 'r err 5%', 'full']];
      for (const { name, shape, dtype, spectrum: s } of rows) {
        table.push([name, shapeText(shape), dtype, s.stableRank.toFixed(2), ...ENERGIES.map((e) => String(s.rankForEnergy(e))), ...ERRORS.map((e) => String(s.rankForError(e))), String(Math.min(shape[0]!, shape[1]!))]);
      }
      out(formatTable(table));
      out('  (r 90%: smallest rank keeping 90% of sum s_i^2; r err 5%: smallest rank with ||W - W_r||_F <= 0.05 ||W||_F; full: min(out, in))\n');
    }
    if (skipped.length > 0) {
      const shown = skipped.slice(0, 8).map((s) => `${s.name} ${shapeText(s.shape)} ${s.dtype} (${s.reason})`);
      out(`  not analyzed: ${shown.join(', ')}${skipped.length > 8 ? `, and ${skipped.length - 8} more` : ''}\n`);
    }
    if (opts.plot !== undefined) out(`  -> ${opts.plot} (normalized spectra of ${rows.length} layers)\n`);
  });
}
