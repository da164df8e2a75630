/**
 * `lowrank lora inspect adapter/ [--json]`: the configuration of a PEFT LoRA adapter and,
 * per module, the spectrum of its update scale * B A (computed from the factors, never
 * forming B A): its norm, its numerical rank, its effective rank (exp of the entropy of the
 * normalized singular values, Roy & Vetterli 2007) and the ranks keeping 90% and 99% of its
 * energy, against the adapter's r: how much of the adapter's rank the update uses.
 */
import type { Command } from 'commander';
import { readLoraAdapter } from '../../../io/lora-adapter.js';
import { kernels } from '../../../kernels/index.js';
import { inspectLora } from '../../../models/weights/lora-merge.js';
import { onFile } from '../../options.js';
import { printJson, stdoutOf } from '../../output.js';
import { formatTable } from '../weights/shared.js';
import { percent, sig } from './shared.js';

interface InspectFlags {
  json?: boolean;
}

/** Register `lowrank lora inspect`. */
export function registerLoraInspect(lora: Command): void {
  lora
    .command('inspect')
    .description('per module of a LoRA adapter: the spectrum of its update (alpha / r) B A, its numerical and effective rank, and the ranks keeping 90% / 99% of its energy')
    .argument('<adapter>', 'the adapter folder (adapter_model.safetensors + adapter_config.json), or its .safetensors file')
    .option('--json', 'print one JSON object (with every singular value)')
    .action(async (adapterPath: string, opts: InspectFlags, command: Command) => {
      kernels();
      const t0 = performance.now();
      const adapter = await onFile(adapterPath, () => readLoraAdapter(adapterPath));
      const modules = inspectLora(adapter);
      const seconds = (performance.now() - t0) / 1000;
      const { config } = adapter;
      if (opts.json) {
        printJson(command, {
          command: 'lora inspect',
          adapter: adapterPath,
          config,
          seconds,
          modules: modules.map((m) => ({
            module: m.module,
            kind: m.kind,
            shape: m.shape,
            rank: m.rank,
            alpha: m.alpha,
            scale: m.scale,
            norm: m.norm,
            numericalRank: m.numericalRank,
            effectiveRank: m.effectiveRank,
            rank90: m.rank90,
            rank99: m.rank99,
            singularValues: Array.from(m.singularValues),
          })),
        });
        return;
      }
      const out = stdoutOf(command);
      const targets = Array.isArray(config.target_modules) ? config.target_modules.join(', ') : String(config.target_modules);
      out(`lora inspect: ${adapterPath}: ${modules.length} module${modules.length === 1 ? '' : 's'}, r ${config.r}, lora_alpha ${config.lora_alpha}${config.use_rslora ? ' (rsLoRA)' : ''}, target_modules ${targets} (${seconds.toFixed(2)} s)\n`);
      const table = [['module', 'shape', 'r', '||update||', 'num. rank', 'eff. rank', 'used', 'r 90%', 'r 99%', 'top singular values']];
      for (const m of modules) {
        const top = Array.from(m.singularValues.subarray(0, 4), sig).join(' ');
        table.push([m.module, `${m.shape[0]}x${m.shape[1]}`, String(m.rank), sig(m.norm), String(m.numericalRank), m.effectiveRank.toFixed(2), percent(m.effectiveRank / m.rank), String(m.rank90), String(m.rank99), top + (m.singularValues.length > 4 ? ' ...' : '')]);
      }
      out(formatTable(table));
      out('  (update: (alpha / r) B A; eff. rank: exp(entropy of s_i / sum s_j), Roy & Vetterli 2007; used: eff. rank / r)\n');
    });
}
