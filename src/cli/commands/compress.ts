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
import { compressImage, compressionCurve, type CompressionReport, type CompressMethod } from '../../models/compress.js';
import { toGrayscale, type CheckedRaster } from '../../models/image.js';
import { onFile, UsageError } from '../options.js';
import { human, humanBytes, printJson, stdoutOf } from '../output.js';
import { progressBar } from '../progress-bar.js';

interface CompressFlags {
  rank: string;
  out?: string;
  method: CompressMethod;
  seed: string;
  gray?: boolean;
  dropAlpha?: boolean;
  level: string;
  maxPixels: string;
  json?: boolean;
}

/** `--rank 30` or `--rank 5,10,20`: integers >= 1. */
function parseRanks(value: string): number[] {
  const ranks = value.split(',').map((t) => t.trim());
  const out = ranks.map((t) => (/^\d+$/.test(t) ? Number(t) : NaN));
  if (out.length === 0 || out.some((k) => !(Number.isInteger(k) && k >= 1))) {
    throw new UsageError(`--rank must be an integer >= 1 or a comma-separated list of them, got '${value}'`);
  }
  return out;
}

function parseInteger(flag: string, value: string, min: number, max = Infinity): number {
  const v = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(Number.isInteger(v) && v >= min && v <= max)) throw new UsageError(`${flag} must be an integer${max < Infinity ? ` in [${min}, ${max}]` : ` >= ${min}`}, got '${value}'`);
  return v;
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
    .requiredOption('--rank <k>', 'rank kept per color channel; a comma-separated list (5,10,20,50) prints a table of the figures instead')
    .option('-o, --out <file.png>', 'write the rank-k image here (PNG, same size, channels and bit depth)')
    .addOption(new Option('--method <name>', "'exact' (full SVD), 'randomized' (top k only, faster on large photos) or 'auto'").choices(['auto', 'exact', 'randomized']).default('auto'))
    .option('--seed <s>', 'seed of the randomized method', '0')
    .option('--gray', 'convert a color image to gray (BT.709 luma) first')
    .option('--drop-alpha', 'write the image without its alpha channel (by default alpha is copied unchanged; it is never factored)')
    .option('--level <n>', 'zlib level of the written PNG, 0-9', '9')
    .option('--max-pixels <n>', 'largest image read, in pixels (width x height); larger ones are refused before decoding', String(2 ** 24))
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: CompressFlags, cmd: Command) => {
      const ranks = parseRanks(opts.rank);
      const seed = parseInteger('--seed', opts.seed, -(2 ** 31), 2 ** 31);
      const level = parseInteger('--level', opts.level, 0, 9);
      const maxPixels = parseInteger('--max-pixels', opts.maxPixels, 1, Number.MAX_SAFE_INTEGER);
      if (ranks.length > 1 && opts.out !== undefined) throw new UsageError('--out takes one rank; give a single --rank to write an image');
      if (opts.out !== undefined && !/\.png$/i.test(opts.out)) throw new UsageError(`--out must name a .png file, got '${opts.out}'`);
      // Loaded on use, so the PNG codec is not parsed for every other command.
      const { readPng, writePng } = await import('../../io/png-file.js');
      let img = await onFile(file, () => readPng(file, { maxPixels }));
      if (opts.gray) img = toGrayscale(img);
      const options = { method: opts.method, seed, alpha: opts.dropAlpha ? ('drop' as const) : ('keep' as const) };

      kernels(); // load the kernels first, so the time reported is the compression's alone
      const t0 = performance.now();
      const bar = progressBar('compress');
      let reports: CompressionReport[];
      let result: ReturnType<typeof compressImage> | undefined;
      try {
        if (ranks.length === 1) {
          result = compressImage(img, { ...options, rank: ranks[0]!, onProgress: bar.onProgress });
          reports = [result.report];
        } else {
          reports = compressionCurve(img, ranks, { ...options, onProgress: bar.onProgress });
        }
      } finally {
        bar.stop();
      }
      const seconds = (performance.now() - t0) / 1000;
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
