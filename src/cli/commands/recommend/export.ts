/**
 * `lowrank recommend export --model model.lrm --out factors/`: a model's factors as .npy files;
 * `--format spark` a Spark ML ALSModel directory, `--format parquet` Parquet factor tables
 * (recommend/export-columnar.ts).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { writeNpy } from '../../../io/npy.js';
import { Matrix } from '../../../matrix/matrix.js';
import { onFile } from '../../options.js';
import { printJson, stdoutOf } from '../../output.js';
import { modelOption, readModel } from './shared.js';
import { Option } from 'commander';
import { EXPORT_FORMATS, exportColumnar } from './export-columnar.js';

/** Register `lowrank recommend export`. */
export function registerExport(rec: Command): void {
  rec
    .command('export')
    .description('write a model as .npy files: user_factors, item_factors, user_bias, item_bias, global_mean (prediction = mu + b_u + b_i + p_u . q_i; rows follow the order of first appearance in the ratings file); --format spark: a Spark ML ALSModel directory (ALSModel.load reads it; biases folded into two extra factor columns); --format parquet: user_factors.parquet and item_factors.parquet (id, features)')
    .addOption(modelOption())
    .requiredOption('-o, --out <dir>', 'directory to write into (created if needed)')
    .addOption(new Option('--format <format>', 'npy files, a Spark ALSModel directory, or Parquet factor tables').choices([...EXPORT_FORMATS]).default('npy'))
    .option('--json', 'print one JSON object')
    .action(async (opts: { model: string; out: string; format: (typeof EXPORT_FORMATS)[number]; json?: boolean }, cmd: Command) => {
      const model = await readModel(opts.model);
      if (opts.format !== 'npy') return exportColumnar(cmd, model, opts.format, opts.out, opts.json === true);
      const f = model.exportFactors();
      await mkdir(opts.out, { recursive: true });
      const files: [string, Matrix][] = [
        ['user_factors.npy', f.userFactors],
        ['item_factors.npy', f.itemFactors],
        ['user_bias.npy', new Matrix(f.userBias, 1, f.userBias.length)],
        ['item_bias.npy', new Matrix(f.itemBias, 1, f.itemBias.length)],
        ['global_mean.npy', new Matrix(Float64Array.of(model.state.globalMean), 1, 1)],
      ];
      for (const [name, M] of files) {
        const path = join(opts.out, name);
        // Biases are 1-D vectors in numpy terms.
        await onFile(path, () => writeNpy(path, M, M.rows === 1 ? { shape1d: true } : {}));
      }
      const written = files.map(([name]) => join(opts.out, name));
      if (opts.json) printJson(cmd, { users: model.nUsers, items: model.nItems, factors: model.factors, global_mean: model.state.globalMean, files: written });
      else stdoutOf(cmd)(written.join('\n') + '\n');
    });
}
