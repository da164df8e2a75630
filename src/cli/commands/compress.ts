/**
 * `lowrank compress photo.png --rank 30 --out small.png`: rank-k image compression by
 * truncated SVD (each color channel separately), reporting the energy retained, the
 * relative error, the PSNR and the compression ratio k (m + n + 1) / (m n).
 * `--rank 5,10,20,50` (several ranks) prints the table of those figures instead, from one
 * factorization per channel.
 */
import { stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { kernels } from '../../kernels/index.js';
import { COMPRESS_METHODS, compressImage, compressionCurve, type CompressionReport, type CompressMethod } from '../../models/image/compress.js';
import { toGrayscale, type CheckedRaster } from '../../models/image/raster.js';
import { flagOption, integer, list } from '../flags.js';
import { onFile, UsageError } from '../options.js';
import { human, humanBytes, printJson, stdoutOf } from '../output.js';
import { withProgress } from '../progress-bar.js';
import { timed } from '../timing.js';

interface CompressFlags {
  /** One rank, or several (`--rank 5,10,20`). */
  rank: number[];
  out?: string;
  method: CompressMethod;
  seed: number;
  gray?: boolean;
  dropAlpha?: boolean;
  level: number;
  maxPixels: number;
  json?: boolean;
}

const COLOR_NAMES: Record<number, string[]> = { 1: ['gray'], 3: ['R', 'G', 'B'] };

function describeImage(img: CheckedRaster): string {
  const kind = ['', 'gray', 'gray+alpha', 'RGB', 'RGBA'][img.channels]!;
  return `${img.width}x${img.height} ${kind}${img.depth === 16 ? ' 16-bit' : ''}`;
}

const pct = (v: number): string => `${(100 * v).toFixed(3)}%`;
const db = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'inf');

/** Per-channel figures in words: `99.312%` or `99.43% (R 99.41%, G ..., B ...)`. */
function perChannel(fig: { overall: number; channels: readonly number[] }, names: string[], fmt: (v: number) => string): string {
  if (fig.channels.length <= 1) return fmt(fig.overall);
  return `${fmt(fig.overall)} (${fig.channels.map((v, c) => `${names[c] ?? c} ${fmt(v)}`).join(', ')})`;
}

function reportJson(r: CompressionReport): Record<string, unknown> {
  return {
    rank: r.rank,
    energyRetained: r.energyRetained,
    relativeError: r.relativeError,
    psnr: r.psnr,
    compressionRatio: r.compressionRatio,
    storedValues: r.storedValues,
  };
}

/** Register `lowrank compress`. */
export function registerCompress(program: Command): void {
  program
    .command('compress')
    .description('compress a PNG image to rank k per color channel by truncated SVD; reports energy retained, relative error, PSNR and the ratio k(m+n+1)/(mn)')
    .argument('<image>', 'PNG image: gray or RGB, with or without alpha, 8 or 16 bits (palette images are read as RGB)')
    .addOption(flagOption('--rank <k>', 'rank kept per color channel; a comma-separated list (5,10,20,50) prints a table of the figures instead', list(integer({ min: 1 }, { digits: true }))).makeOptionMandatory())
    .option('-o, --out <file.png>', 'write the rank-k image here (PNG, same size, channels and bit depth)')
    .addOption(new Option('--method <name>', "'exact' (full SVD), 'randomized' (top k only, faster on large photos) or 'auto'").choices(COMPRESS_METHODS).default('auto'))
    .addOption(flagOption('--seed <s>', 'seed of the randomized method', integer({ min: -(2 ** 31), max: 2 ** 31 }, { digits: true }), { default: '0' }))
    .option('--gray', 'convert a color image to gray (BT.709 luma) first')
    .option('--drop-alpha', 'write the image without its alpha channel (by default alpha is copied unchanged; it is never factored)')
    .addOption(flagOption('--level <n>', 'zlib level of the written PNG, 0-9', integer({ min: 0, max: 9 }, { digits: true }), { default: '9' }))
    .addOption(flagOption('--max-pixels <n>', 'largest image read, in pixels (width x height); larger ones are refused before decoding', integer({ min: 1, max: Number.MAX_SAFE_INTEGER }, { digits: true }), { default: String(2 ** 24) }))
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: CompressFlags, cmd: Command) => {
      const { rank: ranks, seed, level, maxPixels } = opts;
      if (ranks.length > 1 && opts.out !== undefined) throw new UsageError('--out takes one rank; give a single --rank to write an image');
      if (opts.out !== undefined && !/\.png$/i.test(opts.out)) throw new UsageError(`--out must name a .png file, got '${opts.out}'`);
      // Loaded on use, so the PNG codec is not parsed for every other command.
      const { readPng, writePng } = await import('../../io/png-file.js');
      let img = await onFile(file, () => readPng(file, { maxPixels }));
      if (opts.gray) img = toGrayscale(img);
      const options = { method: opts.method, seed, alpha: opts.dropAlpha ? ('drop' as const) : ('keep' as const) };

      const { result: { reports, result }, seconds } = timed(
        () =>
          withProgress('compress', (onProgress): { reports: CompressionReport[]; result?: ReturnType<typeof compressImage> } => {
            if (ranks.length > 1) return { reports: compressionCurve(img, ranks, { ...options, onProgress }) };
            const single = compressImage(img, { ...options, rank: ranks[0]!, onProgress });
            return { reports: [single.report], result: single };
          }),
        { prepare: kernels },
      );
      let written: { path: string; bytes: number } | undefined;
      if (opts.out !== undefined && result) {
        const path = opts.out;
        await onFile(path, () => writePng(path, result.image, { level }));
        written = { path, bytes: (await stat(path)).size };
      }
      const inputBytes = (await stat(file)).size;
      const first = reports[0]!;
      const head = {
        command: 'compress',
        input: file,
        width: img.width,
        height: img.height,
        channels: img.channels,
        depth: img.depth,
        colorChannels: first.colorChannels,
        alpha: first.alpha,
        method: first.method,
        seconds,
        backend: kernels().name,
      };
      if (opts.json) {
        if (ranks.length === 1) printJson(cmd, { ...head, ...reportJson(first), samples: first.samples, inputBytes, output: written?.path, outputBytes: written?.bytes });
        else printJson(cmd, { ...head, samples: first.samples, ranks: reports.map(reportJson) });
        return;
      }
      const out = stdoutOf(cmd);
      const names = COLOR_NAMES[first.colorChannels] ?? [];
      const what = `${file} ${describeImage(img)}`;
      const method = `${first.method === 'exact' ? 'exact' : 'randomized'} SVD`;
      if (ranks.length > 1) {
        out(`compress: ${what}, ${method} in ${human(seconds)} s\n`);
        const rows = [['rank', 'energy', 'rel. error', 'PSNR (dB)', 'ratio k(m+n+1)/(mn)']];
        for (const r of reports) rows.push([String(r.rank), pct(r.energyRetained.overall), r.relativeError.overall.toFixed(5), db(r.psnr.overall), r.compressionRatio.toFixed(4)]);
        const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
        for (const row of rows) out(`  ${row.map((cell, c) => cell.padStart(widths[c]!)).join('  ')}\n`);
        return;
      }
      const { width: n, height: m } = first;
      out(`compress: ${what}, rank ${first.rank} (${method}) in ${human(seconds)} s\n`);
      const pairs: [string, string][] = [
        ['energy retained', perChannel(first.energyRetained, names, pct)],
        ['relative error', perChannel(first.relativeError, names, (v) => v.toFixed(5))],
        ['PSNR', `${perChannel(first.psnr, names, db)} dB`],
        ['compression ratio', `${first.compressionRatio.toFixed(4)} (${first.rank} x (${m} + ${n} + 1) numbers per ${m} x ${n} channel)`],
      ];
      if (first.alpha !== 'none') pairs.push(['alpha', `${first.alpha} (not factored)`]);
      const w = Math.max(...pairs.map(([k]) => k.length));
      for (const [k, v] of pairs) out(`  ${k.padEnd(w)}  ${v}\n`);
      if (written) out(`  -> ${written.path} (${humanBytes(written.bytes)} PNG; input ${humanBytes(inputBytes)})\n`);
    });
}
