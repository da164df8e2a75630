/**
 * `lowrank lora extract|merge|inspect`: LoRA adapters in PEFT's layout. One file per
 * subcommand in lora/, what they share in lora/shared.ts.
 *
 *     lowrank lora extract base.safetensors tuned.safetensors --rank 16 --out adapter/
 *     lowrank lora merge base.safetensors adapter/ --out merged.safetensors
 *     lowrank lora inspect adapter/
 */
import type { Command } from 'commander';
import { registerLoraExtract } from './lora/extract.js';
import { registerLoraInspect } from './lora/inspect.js';
import { registerLoraMerge } from './lora/merge.js';

/** Register `lowrank lora` and its subcommands. */
export function registerLora(program: Command): void {
  const lora = program
    .command('lora')
    .description("LoRA adapters (PEFT's adapter_model.safetensors + adapter_config.json): extract one from a base and a fine-tuned model, merge one into a model, inspect one");
  registerLoraExtract(lora);
  registerLoraMerge(lora);
  registerLoraInspect(lora);
}
