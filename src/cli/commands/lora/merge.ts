/**
 * `lowrank lora merge base.safetensors adapter/ --out merged.safetensors [--json]`: every
 * weight `<module>.weight` the adapter has factors for becomes W + scale B A (transposed for
 * fan_in_fan_out layers and embeddings), written in the base's dtype (F16/BF16 rounded to
 * nearest even); every other tensor is copied byte for byte, and the metadata kept. An
 * adapter module the base lacks, or whose factors do not fit its weight, is an error listing
 * them (exit 1).
 *
 * Memory: the base is read one tensor at a time as the output is written, so the peak is
 * about the largest merged weight (and its copy) plus the adapter.
 */
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { readLoraAdapter } from '../../../io/lora-adapter.js';
import type { SafetensorsEntry } from '../../../io/safetensors-codec.js';
import { openSafetensors, writeSafetensors } from '../../../io/safetensors.js';
import { kernels } from '../../../kernels/index.js';
import { sumSquares } from '../../../models/weights/adaptive-svd.js';
import { mergeLoraTensor, planLoraMerge } from '../../../models/weights/lora-merge.js';
import { onFile } from '../../options.js';
import { humanBytes, printJson, stdoutOf } from '../../output.js';
import { formatTable, shapeText } from '../weights/shared.js';
import { ratio, sig } from './shared.js';

interface MergeFlags {
  out: string;
  json?: boolean;
}

/** One merged weight's line of the report. */
interface MergedLine {
  tensor: string;
  module: string;
  shape: number[];
  dtype: string;
  rank: number;
  scale: number;
  /** ||W_merged - W||_F / ||W||_F: the size of the update against the weight. */
  relativeChange: number;
}

/** Register `lowrank lora merge`. */
export function registerLoraMerge(lora: Command): void {
  lora
    .command('merge')
    .description("merge a LoRA adapter into a model: W + (lora_alpha / r) B A for every adapted weight, the rest copied unchanged (PEFT's merge_and_unload)")
    .argument('<base>', 'the base model (.safetensors)')
    .argument('<adapter>', 'the adapter folder (adapter_model.safetensors + adapter_config.json), or its .safetensors file')
    .requiredOption('-o, --out <file.safetensors>', 'write the merged model here (atomically)')
    .option('--json', 'print one JSON object')
    .action(async (basePath: string, adapterPath: string, opts: MergeFlags, command: Command) => {
      kernels();
      const t0 = performance.now();
      const adapter = await onFile(adapterPath, () => readLoraAdapter(adapterPath));
      const base = await onFile(basePath, () => openSafetensors(basePath));
      const lines: MergedLine[] = [];
      try {
        const plan = planLoraMerge(base.tensors, adapter, basePath);
        const entries: SafetensorsEntry[] = base.tensors.map((t) => {
          const target = plan.get(t.name);
          if (target === undefined) return { name: t.name, dtype: t.dtype, shape: t.shape, data: () => ({ raw: base.rawChunks(t.name) }) };
          return {
            name: t.name,
            dtype: t.dtype,
            shape: t.shape,
            data: async () => {
              const W = await base.readMatrix(t.name);
              const M = mergeLoraTensor(W, target);
              const norm = sumSquares(W);
              let diff = 0;
              for (let j = 0; j < M.cols; j++) for (let i = 0; i < M.rows; i++) diff += (M.data[i + j * M.rows]! - W.get(i, j)) ** 2;
              lines.push({ tensor: t.name, module: target.module.module, shape: [...t.shape], dtype: t.dtype, rank: target.module.A.rows, scale: target.scale, relativeChange: norm > 0 ? Math.sqrt(diff / norm) : Math.sqrt(diff) });
              return M;
            },
          };
        });
        await onFile(opts.out, () => writeSafetensors(opts.out, entries, { metadata: base.metadata }));
      } finally {
        await base.close();
      }
      const seconds = (performance.now() - t0) / 1000;
      const bytes = (await stat(opts.out)).size;
      const copied = base.tensors.length - lines.length;
      if (opts.json) {
        printJson(command, { command: 'lora merge', base: basePath, adapter: adapterPath, output: opts.out, r: adapter.config.r, lora_alpha: adapter.config.lora_alpha, seconds, merged: lines, copied, bytes });
        return;
      }
      const out = stdoutOf(command);
      out(`lora merge: ${adapterPath} (r ${adapter.config.r}, alpha ${adapter.config.lora_alpha}) into ${basePath} in ${seconds.toFixed(2)} s: ${lines.length} weight${lines.length === 1 ? '' : 's'} merged, ${copied} tensor${copied === 1 ? '' : 's'} copied\n`);
      const table = [['tensor', 'shape', 'dtype', 'r', 'scale', '||dW|| / ||W||']];
      for (const l of lines) table.push([l.tensor, shapeText(l.shape), l.dtype, String(l.rank), sig(l.scale), ratio(l.relativeChange)]);
      out(formatTable(table));
      out(`  -> ${opts.out} (${humanBytes(bytes)})\n`);
    });
}
