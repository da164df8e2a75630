/**
 * `lowrank weights inspect|compress`: low-rank structure of model weights stored as
 * safetensors. One file per subcommand in weights/, what they share in weights/shared.ts.
 *
 *     lowrank weights inspect model.safetensors --plot spectra.svg
 *     lowrank weights compress model.safetensors --energy 0.9 --out small.safetensors --json
 */
import type { Command } from 'commander';
import { registerWeightsCompress } from './weights/compress.js';
import { registerWeightsInspect } from './weights/inspect.js';

/** Register `lowrank weights` and its subcommands. */
export function registerWeights(program: Command): void {
  const weights = program
    .command('weights')
    .description('low-rank structure of model weights (.safetensors): inspect spectra, compress layers to low-rank factors');
  registerWeightsInspect(weights);
  registerWeightsCompress(weights);
}
