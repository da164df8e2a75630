/**
 * `lowrank lora extract base.safetensors tuned.safetensors --rank 16 [--alpha 16]
 * [--include REGEX] [--exclude REGEX] --out adapter/ [--json]`: for every 2-D weight
 * `<module>.weight` that differs between the two files, the rank-r truncated SVD of the
 * difference, written in PEFT's layout: `adapter/adapter_model.safetensors` with
 * `base_model.model.<module>.lora_A.weight` (r x in) and `...lora_B.weight` (out x r),
 * scaled so that (lora_alpha / r) B A is the update, and `adapter/adapter_config.json`
 * (peft_type LORA, r, lora_alpha, target_modules = the leaf names of the changed modules,
 * bias none). Reports per module the relative error of the rank-r update (of the factors as
 * stored, after rounding to --dtype), and the tensors that changed but LoRA cannot carry.
 *
 * Different shapes or dtypes between the files, and tensors missing from either, are one
 * error listing them (exit 1).
 */
import { stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { writeLoraAdapter } from '../../../io/lora-adapter.js';
import { openSafetensors } from '../../../io/safetensors.js';
import { kernels } from '../../../kernels/index.js';
import { COMPRESS_WEIGHT_METHODS, type CompressWeightMethod } from '../../../models/weights/compress.js';
import { loraScale } from '../../../models/weights/lora.js';
import { extractLora } from '../../../models/weights/lora-extract.js';
import { LORA_DTYPES, type LoraDtype } from '../../../models/weights/lora-peft.js';
import { count, flagOption, integer, number } from '../../flags.js';
import { onFile } from '../../options.js';
import { humanBytes, printJson, stdoutOf } from '../../output.js';
import { progressBar } from '../../progress-bar.js';
import { formatTable, regex, shapeText } from '../weights/shared.js';
import { percent, ratio, roundToDtype, sig } from './shared.js';

interface ExtractFlags {
  rank: number;
  alpha?: number;
  include?: RegExp;
  exclude?: RegExp;
  out: string;
  dtype: LoraDtype;
  fanInFanOut?: boolean;
  rslora?: boolean;
  baseModel?: string;
  method: CompressWeightMethod;
  seed: number;
  json?: boolean;
}

/** Register `lowrank lora extract`. */
export function registerLoraExtract(lora: Command): void {
  lora
    .command('extract')
    .description('a LoRA adapter (PEFT layout) from the rank-r truncated SVD of every 2-D weight that differs between a base and a fine-tuned model')
    .argument('<base>', 'the base model (.safetensors)')
    .argument('<tuned>', 'the fine-tuned model (.safetensors, the same tensors, shapes and dtypes)')
    .addOption(flagOption('-r, --rank <r>', 'the adapter rank r', count).makeOptionMandatory())
    .addOption(flagOption('--alpha <a>', 'lora_alpha (default r): the update is (alpha / r) B A', number({ above: 0 })))
    .addOption(flagOption('--include <regex>', 'consider only tensors whose name matches (JavaScript regular expression, searched anywhere in the name)', regex))
    .addOption(flagOption('--exclude <regex>', 'leave out tensors whose name matches (e.g. embedding tables, which PEFT adapts with lora_embedding_A/B)', regex))
    .requiredOption('-o, --out <dir>', 'write adapter_model.safetensors and adapter_config.json into this folder (created if needed)')
    .addOption(new Option('--dtype <type>', 'element type of the factors').choices(LORA_DTYPES).default('F32'))
    .option('--fan-in-fan-out', 'the weights are stored in x out (GPT-2 Conv1D): factor the transposed update; sets fan_in_fan_out')
    .option('--rslora', 'rsLoRA scaling alpha / sqrt(r); sets use_rslora')
    .option('--base-model <name>', 'base_model_name_or_path to write in the configuration (default null)')
    .addOption(new Option('--method <name>', "SVD of each update: 'exact', 'randomized', or 'auto' (exact when min(out, in) <= 512)").choices(COMPRESS_WEIGHT_METHODS).default('auto'))
    .addOption(flagOption('--seed <s>', 'seed of the randomized SVD', integer({ min: -(2 ** 31), max: 2 ** 31 }, { digits: true }), { default: '0' }))
    .option('--json', 'print one JSON object')
    .action(async (basePath: string, tunedPath: string, opts: ExtractFlags, command: Command) => {
      kernels();
      const t0 = performance.now();
      const base = await onFile(basePath, () => openSafetensors(basePath));
      const bar = progressBar('lora extract');
      let result;
      try {
        const tuned = await onFile(tunedPath, () => openSafetensors(tunedPath));
        try {
          result = await extractLora(base, tuned, {
            rank: opts.rank,
            alpha: opts.alpha,
            include: opts.include,
            exclude: opts.exclude,
            fanInFanOut: opts.fanInFanOut ?? false,
            useRslora: opts.rslora ?? false,
            method: opts.method,
            seed: opts.seed,
            baseModelNameOrPath: opts.baseModel,
            roundFactors: (M) => roundToDtype(M, opts.dtype),
            onProgress: bar.onProgress,
          });
        } finally {
          await tuned.close();
        }
      } finally {
        bar.stop();
        await base.close();
      }
      const { adapter, modules, unchanged, skipped } = result;
      const paths = await onFile(opts.out, () => writeLoraAdapter(opts.out, adapter, { dtype: opts.dtype }));
      const seconds = (performance.now() - t0) / 1000;
      const bytes = (await stat(paths.weights)).size;
      const { config } = adapter;
      const scale = loraScale(config.r, config.lora_alpha, config.use_rslora);
      const changedOut = skipped.filter((s) => s.changed === true);
      // Pooled over the modules: sqrt(sum ||dW - update||^2 / sum ||dW||^2).
      let num = 0;
      let den = 0;
      for (const m of modules) {
        num += (m.relativeError * m.deltaNorm) ** 2;
        den += m.deltaNorm ** 2;
      }
      const pooled = den > 0 ? Math.sqrt(num / den) : 0;
      if (opts.json) {
        printJson(command, {
          command: 'lora extract',
          base: basePath,
          tuned: tunedPath,
          output: opts.out,
          files: [paths.weights, paths.config],
          r: config.r,
          lora_alpha: config.lora_alpha,
          scale,
          dtype: opts.dtype,
          target_modules: config.target_modules,
          seconds,
          backend: kernels().name,
          modules: modules.map((m) => ({
            module: m.module,
            tensor: m.tensor,
            shape: m.shape,
            dtype: m.dtype,
            keptRank: m.keptRank,
            relativeError: m.relativeError,
            tunedRelativeError: m.tunedRelativeError,
            energyKept: m.energyKept,
            deltaNorm: m.deltaNorm,
            method: m.method,
          })),
          unchanged,
          skipped: skipped.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype, changed: s.changed ?? null, reason: s.reason })),
          totals: { modules: modules.length, relativeError: pooled, adapterParams: adapter.modules.reduce((a, m) => a + m.A.size + m.B.size, 0), adapterBytes: bytes },
        });
        return;
      }
      const out = stdoutOf(command);
      out(`lora extract: ${basePath} -> ${tunedPath}, rank ${config.r} (alpha ${config.lora_alpha}, scale ${sig(scale)}) in ${seconds.toFixed(2)} s: ${modules.length} module${modules.length === 1 ? '' : 's'} changed\n`);
      const table = [['module', 'shape', 'dtype', 'kept', 'rel. error', 'energy', 'vs tuned']];
      for (const m of modules) table.push([m.module, shapeText(m.shape), m.dtype, String(m.keptRank), ratio(m.relativeError), percent(m.energyKept), ratio(m.tunedRelativeError)]);
      out(formatTable(table));
      out(`  (rel. error: ||dW - (alpha/r) B A||_F / ||dW||_F of the factors as stored (${opts.dtype}); vs tuned: ||W_tuned - W_merged||_F / ||W_tuned||_F)\n`);
      out(`  pooled relative error of the updates ${pooled.toFixed(4)}; ${unchanged.length} tensor${unchanged.length === 1 ? '' : 's'} unchanged\n`);
      if (changedOut.length > 0) out(`  changed but not in the adapter: ${changedOut.map((s) => `${s.name} ${shapeText(s.shape)} (${s.reason})`).join(', ')}\n`);
      const notCompared = skipped.filter((s) => s.changed === undefined);
      if (notCompared.length > 0) out(`  not compared: ${notCompared.length} tensor${notCompared.length === 1 ? '' : 's'} (${[...new Set(notCompared.map((s) => s.reason))].join(', ')})\n`);
      out(`  target_modules: ${(config.target_modules as string[]).join(', ')}\n`);
      out(`  -> ${paths.weights} (${humanBytes(bytes)}, ${opts.dtype}), ${paths.config}\n`);
    });
}
