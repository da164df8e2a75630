/**
 * `lowrank weights compress model.safetensors (--energy 0.9 | --rank 64 | --error 0.05)
 * [--include REGEX] [--exclude REGEX] --out small.safetensors [--json]`: every selected 2-D
 * tensor NAME of shape (out, in) becomes NAME.lowrank_A (r x in) and NAME.lowrank_B
 * (out x r) with B A its truncated SVD (singular values split as sqrt into both sides), in
 * the input's dtype; tensors for which r (out + in) >= out x in, 1-D tensors, integer ones
 * and excluded ones are copied unchanged under their own names (byte for byte); the
 * metadata is kept. The report gives per tensor the rank, the parameters before and after,
 * the relative error ||W - B A||_F / ||W||_F of the factors as written (after rounding to
 * F16/BF16) and the energy kept, and totals.
 *
 * `--activations acts.safetensors` gives calibration activations X (n x in, or
 * (..., in) flattened to rows) for some layers, each under the weight's name (`fc1.weight`)
 * or its module's (`fc1`): those layers are compressed data-aware (compressWeight's
 * `activations`, SVD-LLM whitening by the Cholesky factor of X^T X), so the rank and the
 * factors minimize the output error ||(W - B A) X^T||_F, reported per tensor as
 * `outputRelativeError` (of the factors as written); the other layers get the plain SVD.
 *
 * Memory: each tensor is decoded, 16 MiB of the file at a time, into one float32 buffer in
 * the kernels' WASM memory that is reused for every layer, and the randomized SVD reads it
 * there in place (no raw copy, no second float32 copy); the factors are kept until the
 * output is written (streamed, copied tensors straight from the input). So the peak is about
 * the largest tensor as float32 plus the sketch and all the factors (an exact SVD, chosen for
 * small matrices or ranks near full, adds a float64 copy).
 */
import { stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { kernels } from '../../../kernels/index.js';
import type { SafetensorsDtype, SafetensorsEntry, SafetensorsTensorInfo } from '../../../io/safetensors-codec.js';
import { roundThroughHalf } from '../../../io/safetensors-dtypes.js';
import { openSafetensors, writeSafetensors } from '../../../io/safetensors.js';
import { Matrix } from '../../../matrix/matrix.js';
import { sumSquares } from '../../../models/weights/adaptive-svd.js';
import { compressWeight, outputRelativeErrorOf, relativeErrorOf, type CompressWeightMethod } from '../../../models/weights/compress.js';
import type { SafetensorsReader } from '../../../io/safetensors-codec.js';
import { ShapeError } from '../../../errors.js';
import { count, flagOption, integer, number } from '../../flags.js';
import { onFile, UsageError } from '../../options.js';
import { human, humanBytes, printJson, stdoutOf } from '../../output.js';
import { progressBar } from '../../progress-bar.js';
import { addSelectionOptions, formatTable, LayerBuffer, shapeText, skipReason, type SelectionFlags } from './shared.js';

interface CompressFlags extends SelectionFlags {
  energy?: number;
  rank?: number;
  error?: number;
  out: string;
  method: CompressWeightMethod;
  seed: number;
  json?: boolean;
  activations?: string;
}

/** One tensor's line of the report. */
interface TensorReport {
  name: string;
  shape: number[];
  dtype: SafetensorsDtype;
  /** 'compressed' into NAME.lowrank_A / NAME.lowrank_B, or 'copied' unchanged. */
  action: 'compressed' | 'copied';
  /** Why it was copied. */
  reason: string | null;
  /** Rank of the factors written (null when copied). */
  rank: number | null;
  /** For a matrix copied because the factors would not be smaller: the rank the target needed. */
  rankNeeded: number | null;
  paramsBefore: number;
  paramsAfter: number;
  /** ||W - B A||_F / ||W||_F of the factors as written (0 when copied). */
  relativeError: number;
  /** sum_{i<=r} s_i^2 / ||W||_F^2 (1 when copied). */
  energyKept: number;
  /** How the SVD was computed (null when copied without one). */
  method: 'exact' | 'randomized' | null;
  /** With --activations: the key of the calibration activations X used (null: none, plain SVD). */
  activations: string | null;
  /**
   * With --activations, for a tensor compressed with them: ||(W - B A) X^T||_F / ||W X^T||_F
   * of the factors as written (null otherwise).
   */
  outputRelativeError: number | null;
}

/** The factors, rounded to the file's dtype (F16/BF16 values as float32). */
function rounded(M: Matrix, dtype: SafetensorsDtype): Matrix {
  if (dtype !== 'F16' && dtype !== 'BF16') return M;
  const out = M.copy({ dtype: 'float32' });
  roundThroughHalf(out.data as Float32Array, dtype);
  return out;
}

/** Register `lowrank weights compress`. */
export function registerWeightsCompress(weights: Command): void {
  const cmd = weights
    .command('compress')
    .description('replace each selected 2-D tensor NAME (out x in) of a .safetensors file by NAME.lowrank_A (r x in) and NAME.lowrank_B (out x r), its truncated SVD; everything else is copied')
    .argument('<model>', '.safetensors file (read one tensor at a time)')
    .addOption(flagOption('--energy <e>', 'per tensor, the smallest rank keeping this fraction of sum s_i^2', number({ above: 0, max: 1 }, 'a fraction')))
    .addOption(flagOption('--rank <k>', 'the same rank for every tensor (at most min(out, in))', count))
    .addOption(flagOption('--error <eps>', 'per tensor, the smallest rank with ||W - B A||_F <= eps ||W||_F', number({ above: 0, below: 1 }, 'a fraction')))
    .requiredOption('-o, --out <file.safetensors>', 'write the compressed model here (atomically)')
    .addOption(new Option('--method <name>', "SVD: 'exact', 'randomized' (float32, sketch grown until the target is met), or 'auto' (exact when min(out, in) <= 512)").choices(['auto', 'exact', 'randomized']).default('auto'))
    .addOption(flagOption('--seed <s>', 'seed of the randomized SVD', integer({ min: -(2 ** 31), max: 2 ** 31 }, { digits: true }), { default: '0' }))
    .option('--activations <acts.safetensors>', 'calibration activations: a tensor X (n x in) named like a weight (fc1.weight) or its module (fc1); those weights are compressed to minimize ||(W - B A) X^T||_F (SVD-LLM whitening) and the report adds outputRelativeError')
    .option('--json', 'print one JSON object');
  addSelectionOptions(cmd, 'compress').action(async (file: string, opts: CompressFlags, command: Command) => {
    const targets = (['energy', 'rank', 'error'] as const).filter((k) => opts[k] !== undefined);
    if (targets.length !== 1) throw new UsageError(`give exactly one of --energy, --rank and --error${targets.length > 1 ? ` (got ${targets.map((t) => `--${t}`).join(', ')})` : ''}`);
    const target = { energy: opts.energy, rank: opts.rank, error: opts.error };
    kernels();
    const t0 = performance.now();
    const st = await onFile(file, () => openSafetensors(file));
    const actsFile = opts.activations;
    let acts: SafetensorsReader | undefined;
    try {
      if (actsFile !== undefined) acts = await onFile(actsFile, () => openSafetensors(actsFile));
    } catch (e) {
      await st.close();
      throw e;
    }
    const reports: TensorReport[] = [];
    const usedKeys = new Set<string>();
    const factors = new Map<string, { A: Matrix; B: Matrix }>();
    let errNum = 0;
    let errDen = 0;
    const bar = progressBar('compress');
    const layer = new LayerBuffer();
    try {
      const todo = st.tensors.filter((t) => skipReason(t, opts) === undefined).length;
      let done = 0;
      for (const t of st.tensors) {
        const size = t.size;
        const copy = (reason: string, extra: Partial<TensorReport> = {}): void => {
          reports.push({ name: t.name, shape: [...t.shape], dtype: t.dtype, action: 'copied', reason, rank: null, rankNeeded: null, paramsBefore: size, paramsAfter: size, relativeError: 0, energyKept: 1, method: null, activations: null, outputRelativeError: null, ...extra });
        };
        const reason = skipReason(t, opts);
        if (reason !== undefined) {
          copy(reason);
          continue;
        }
        const [out, inn] = t.shape as [number, number];
        if (target.rank !== undefined && Math.min(target.rank, out, inn) * (out + inn) >= out * inn) {
          copy(`not smaller at rank ${Math.min(target.rank, out, inn)}`, { rankNeeded: Math.min(target.rank, out, inn) });
        } else {
          const key = acts === undefined ? undefined : activationsKey(acts, t.name);
          let X: Matrix | undefined;
          if (key !== undefined) {
            // (batch, tokens, in) activations are read as (batch tokens) x in rows.
            const shape = acts!.info(key).shape;
            const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
            X = await acts!.readMatrix(key, { dtype: 'float64', ...(shape.length >= 2 ? { shape: [rows, shape[shape.length - 1]!] as [number, number] } : {}) });
            if (X.cols !== inn) throw new ShapeError(`${actsFile}: activations '${key}' are ${X.rows}x${X.cols}; tensor '${t.name}' (${out}x${inn}) needs n x ${inn} (one row per input the layer saw)`);
            usedKeys.add(key);
          }
          const W = await layer.read(st, t);
          const c = compressWeight(W, { ...target, method: opts.method, seed: opts.seed, activations: X });
          if (!c.smaller) {
            copy(`not smaller at rank ${c.rank}`, { rankNeeded: c.rank, method: c.method });
          } else {
            const A = rounded(c.A, t.dtype);
            const B = rounded(c.B, t.dtype);
            const relativeError = A === c.A ? c.relativeError : relativeErrorOf(W, B, A);
            const outputRelativeError = X === undefined ? null : A === c.A ? c.outputRelativeError! : outputRelativeErrorOf(W, B, A, X);
            const norm2 = sumSquares(W);
            errNum += relativeError ** 2 * norm2;
            errDen += norm2;
            factors.set(t.name, { A, B });
            reports.push({ name: t.name, shape: [out, inn], dtype: t.dtype, action: 'compressed', reason: null, rank: c.rank, rankNeeded: null, paramsBefore: c.paramsBefore, paramsAfter: c.paramsAfter, relativeError, energyKept: c.energyKept, method: c.method, activations: key ?? null, outputRelativeError });
          }
        }
        bar.onProgress({ stage: 'tensor', done: ++done, total: todo });
      }
      bar.stop();
      layer.release();
      const entries: SafetensorsEntry[] = [];
      for (const t of st.tensors) {
        const f = factors.get(t.name);
        if (f === undefined) {
          entries.push(copyEntry(st.rawChunks.bind(st), t));
          continue;
        }
        entries.push({ name: `${t.name}.lowrank_A`, dtype: t.dtype, shape: [f.A.rows, f.A.cols], data: f.A });
        entries.push({ name: `${t.name}.lowrank_B`, dtype: t.dtype, shape: [f.B.rows, f.B.cols], data: f.B });
      }
      const names = new Set<string>();
      const clash = entries.find((e) => names.size === names.add(e.name).size);
      if (clash) throw new UsageError(`the output would hold two tensors named '${clash.name}' (the input already has a tensor of that name); exclude one with --exclude`);
      await onFile(opts.out, () => writeSafetensors(opts.out, entries, { metadata: st.metadata }));
    } finally {
      bar.stop();
      layer.release();
      await st.close();
      await acts?.close();
    }
    const seconds = (performance.now() - t0) / 1000;
    // Activations that matched no compressed tensor (a typo, or an excluded layer).
    const activationsUnused = acts === undefined ? [] : acts.tensors.map((a) => a.name).filter((k) => !usedKeys.has(k));
    const bytesBefore = (await stat(file)).size;
    const bytesAfter = (await stat(opts.out)).size;
    const compressed = reports.filter((r) => r.action === 'compressed');
    const paramsBefore = reports.reduce((a, r) => a + r.paramsBefore, 0);
    const paramsAfter = reports.reduce((a, r) => a + r.paramsAfter, 0);
    const totals = {
      tensors: reports.length,
      compressed: compressed.length,
      copied: reports.length - compressed.length,
      paramsBefore,
      paramsAfter,
      paramsRatio: paramsBefore > 0 ? paramsAfter / paramsBefore : 1,
      /** Pooled over the compressed tensors: sqrt(sum ||W - B A||^2 / sum ||W||^2). */
      relativeError: errDen > 0 ? Math.sqrt(errNum / errDen) : 0,
      bytesBefore,
      bytesAfter,
    };
    if (opts.json) {
      printJson(command, { command: 'weights compress', input: file, output: opts.out, target: Object.fromEntries(Object.entries(target).filter(([, v]) => v !== undefined)), method: opts.method, activations: actsFile ?? null, activationsUnused, seconds, backend: kernels().name, tensors: reports, totals });
      return;
    }
    const out = stdoutOf(command);
    const goal = target.rank !== undefined ? `rank ${target.rank}` : target.energy !== undefined ? `${100 * target.energy}% energy` : `relative error ${target.error}`;
    out(`weights compress: ${file} (${goal}) in ${seconds.toFixed(2)} s: ${compressed.length} of ${reports.length} tensors factored\n`);
    const aware = actsFile !== undefined;
    const table = [['tensor', 'shape', 'dtype', 'rank', 'params', '-> after', 'rel. error', 'energy', ...(aware ? ['output error'] : [])]];
    for (const r of reports) {
      if (r.action === 'compressed') table.push([r.name, shapeText(r.shape), r.dtype, String(r.rank), String(r.paramsBefore), String(r.paramsAfter), r.relativeError.toFixed(4), `${(100 * r.energyKept).toFixed(2)}%`, ...(aware ? [r.outputRelativeError === null ? '-' : r.outputRelativeError.toFixed(4)] : [])]);
      else if (r.reason !== 'scalar' && !/^\d-D$/.test(r.reason ?? '')) table.push([r.name, shapeText(r.shape), r.dtype, '-', String(r.paramsBefore), `copied (${r.reason})`, '', '']);
    }
    out(formatTable(table));
    const others = reports.filter((r) => r.reason === 'scalar' || /^\d-D$/.test(r.reason ?? ''));
    if (others.length > 0) out(`  + ${others.length} tensor${others.length === 1 ? '' : 's'} not 2-D copied unchanged (${others.reduce((a, r) => a + r.paramsBefore, 0)} parameters)\n`);
    out(`  parameters ${paramsBefore} -> ${paramsAfter} (${(100 * totals.paramsRatio).toFixed(1)}%), pooled relative error ${human(Number(totals.relativeError.toPrecision(4)))}\n`);
    if (aware) {
      out(`  output error ||(W - B A) X^T||_F / ||W X^T||_F on the activations of ${actsFile} (data-aware, SVD-LLM whitening)\n`);
      if (activationsUnused.length > 0) out(`  activations not used (no compressed tensor of that name): ${activationsUnused.slice(0, 8).join(', ')}${activationsUnused.length > 8 ? ', ...' : ''}\n`);
    }
    out(`  -> ${opts.out} (${humanBytes(bytesAfter)}; input ${humanBytes(bytesBefore)})\n`);
  });
}

/**
 * The activations tensor for weight `name`: one named `name` itself, else its module's name
 * (`name` without a trailing `.weight`), else undefined.
 */
function activationsKey(acts: SafetensorsReader, name: string): string | undefined {
  if (acts.has(name)) return name;
  const module = name.replace(/\.weight$/, '');
  return module !== name && acts.has(module) ? module : undefined;
}

/** A tensor copied byte for byte from the input, read as it is written. */
function copyEntry(rawChunks: (name: string) => AsyncIterable<Uint8Array>, t: SafetensorsTensorInfo): SafetensorsEntry {
  return { name: t.name, dtype: t.dtype, shape: t.shape, data: () => ({ raw: rawChunks(t.name) }) };
}
