/**
 * `lowrank recommend export --format spark|parquet`: a model as a Spark ML ALSModel directory
 * (biases folded into two extra factor columns, so Spark's dot products are lowrank's
 * unclipped predictions) or as plain Parquet factor tables (id, features) for vector
 * databases and warehouses. The writing is src/io/spark.ts's; both are atomic directories.
 */
import type { Command } from 'commander';
import { writeFactorTables, writeSparkModel } from '../../../io/spark.js';
import type { LatentFactorModel } from '../../../models/recommend/model/latent-factor-model.js';
import { onFile } from '../../options.js';
import { printJson, stdoutOf } from '../../output.js';

/** `--format` values of `recommend export`. */
export const EXPORT_FORMATS = ['npy', 'spark', 'parquet'] as const;

/** Write `model` to `out` as a Spark model directory or Parquet factor tables, and report it (text or `--json`). */
export async function exportColumnar(cmd: Command, model: LatentFactorModel, format: 'spark' | 'parquet', out: string, json: boolean): Promise<void> {
  if (format === 'spark') {
    const r = await onFile(out, () => writeSparkModel(out, model));
    if (json) {
      printJson(cmd, { format, path: r.path, users: r.users, items: r.items, rank: r.rank, folded_biases: r.foldedBiases, global_mean: model.state.globalMean });
    } else {
      const how = r.foldedBiases ? `rank ${r.rank} = ${model.factors} factors + 2 bias columns (user [p_u, b_u + mu, 1], item [q_i, 1, b_i])` : `rank ${r.rank}`;
      stdoutOf(cmd)(`${r.path}: Spark ALSModel, ${r.users} users, ${r.items} items, ${how}\n`);
    }
    return;
  }
  const r = await onFile(out, () => writeFactorTables(out, model));
  if (json) printJson(cmd, { format, path: r.path, users: model.nUsers, items: model.nItems, factors: r.rank, files: r.files });
  else stdoutOf(cmd)(r.files.join('\n') + '\n');
}
