/**
 * `lowrank recommend top --model model.lrm --user 196 -n 10`: a user's top-n items, and
 * `lowrank recommend top --model model.lrm --all --out recs.parquet`: the top n of every user
 * of the model (Spark's recommendForAllUsers), scored in batches of users by gemm and
 * streamed to a CSV or Parquet file with columns user, item, score, rank (the names of the
 * single-user output) as they are computed.
 */
import type { Command } from 'commander';
import { openParquetWriter, type ParquetColumnType } from '../../../io/parquet-write.js';
import { writeChunks, type Chunk } from '../../../io/write-chunks.js';
import type { LatentFactorModel } from '../../../models/recommend/model/latent-factor-model.js';
import { onFile, UsageError } from '../../options.js';
import { human, printJson, stdoutOf } from '../../output.js';
import { progressBar } from '../../progress-bar.js';
import { timedAsync } from '../../timing.js';
import { countOption, modelOption, readModel } from './shared.js';
import { kernels } from '../../../kernels/index.js';

interface TopFlags {
  model: string;
  user?: string;
  all?: boolean;
  out?: string;
  n: number;
  includeSeen?: boolean;
  json?: boolean;
}

/** Users per recommendBatch call of `--all` (at n = 10, about 100,000 rows: one Parquet row group). */
const USERS_PER_CHUNK = 10000;

/** Register `lowrank recommend top`. */
export function registerTop(rec: Command): void {
  rec
    .command('top')
    .description('top-n items for a user, or with --all for every user of the model into a CSV or Parquet file (items a user rated in training are left out)')
    .addOption(modelOption())
    .option('--user <id>', 'user ID as in the ratings file')
    .option('--all', 'every user of the model (with --out): columns user, item, score, rank')
    .option('-o, --out <file>', 'with --all: the file to write, .csv or .parquet')
    .addOption(countOption())
    .option('--include-seen', 'also rank items the user rated in training')
    .option('--json', 'print one JSON object')
    .action(async (opts: TopFlags, cmd: Command) => {
      if (opts.all) {
        if (opts.user !== undefined) throw new UsageError('give --user <id> or --all, not both');
        if (opts.out === undefined) throw new UsageError('--all needs --out <file> (.csv or .parquet)');
        const format = outFormat(opts.out);
        const model = await readModel(opts.model);
        const { result: rows, seconds } = await timedAsync(() => onFile(opts.out!, () => writeAll(model, opts.out!, format, opts.n, !opts.includeSeen)), { prepare: kernels });
        if (opts.json) printJson(cmd, { users: model.nUsers, n: opts.n, rows, out: opts.out, format, seconds });
        else stdoutOf(cmd)(`wrote ${rows} rows (top ${opts.n} of ${model.nUsers} users) to ${opts.out} in ${human(seconds)} s\n`);
        return;
      }
      if (opts.out !== undefined) throw new UsageError('--out goes with --all (one user is printed)');
      if (opts.user === undefined) throw new UsageError("give --user <id> (one user) or --all --out <file> (every user)");
      const model = await readModel(opts.model);
      const known = model.hasUser(opts.user);
      const items = model.recommend(opts.user, { n: opts.n, excludeSeen: !opts.includeSeen });
      if (opts.json) {
        printJson(cmd, { user: opts.user, cold_start: !known, items });
        return;
      }
      const out = stdoutOf(cmd);
      if (!known) out(`# user '${opts.user}' is not in the model: ranked by item ${model.kind === 'explicit' ? 'bias (mu + b_i)' : 'popularity'}\n`);
      const w = Math.max(4, ...items.map((r) => r.item.length));
      out(`rank  ${'item'.padEnd(w)}  score\n`);
      items.forEach((r, k) => out(`${String(k + 1).padStart(4)}  ${r.item.padEnd(w)}  ${human(r.score)}\n`));
    });
}

type OutFormat = 'csv' | 'parquet';

function outFormat(path: string): OutFormat {
  const p = path.toLowerCase();
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.parquet')) return 'parquet';
  throw new UsageError(`--out must name a .csv or .parquet file, got '${path}'`);
}

/** One chunk of users' lists as columns: user and item indices, scores, ranks. */
interface RowBlock {
  users: Int32Array;
  items: Int32Array;
  scores: Float64Array;
  ranks: Int32Array;
}

// The users [u0, u1) ranked by one recommendBatch call, flattened to rows.
function rankChunk(model: LatentFactorModel, u0: number, u1: number, n: number, excludeSeen: boolean): RowBlock {
  const lists = model.recommendBatch(Int32Array.from({ length: u1 - u0 }, (_, k) => u0 + k), { n, excludeSeen });
  let rows = 0;
  for (const l of lists) rows += l.items.length;
  const b: RowBlock = { users: new Int32Array(rows), items: new Int32Array(rows), scores: new Float64Array(rows), ranks: new Int32Array(rows) };
  let r = 0;
  lists.forEach((l, k) => {
    for (let t = 0; t < l.items.length; t++, r++) {
      b.users[r] = u0 + k;
      b.items[r] = l.items[t]!;
      b.scores[r] = l.scores[t]!;
      b.ranks[r] = t + 1;
    }
  });
  return b;
}

// Every user's rows, chunk by chunk, with a turn of the event loop between chunks (Ctrl-C,
// the progress bar) and progress reports.
async function* blocks(model: LatentFactorModel, n: number, excludeSeen: boolean): AsyncGenerator<RowBlock> {
  const bar = progressBar('recommend top --all');
  try {
    for (let u0 = 0; u0 < model.nUsers; u0 += USERS_PER_CHUNK) {
      const u1 = Math.min(model.nUsers, u0 + USERS_PER_CHUNK);
      yield rankChunk(model, u0, u1, n, excludeSeen);
      bar.onProgress({ stage: 'users', done: u1, total: model.nUsers });
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    bar.stop();
  }
}

// IDs that are all canonical decimal int32 values are written as int32 (what Spark's
// ALS wants for its user and item columns); any other ID makes the column strings.
function int32Ids(ids: readonly string[]): boolean {
  for (const s of ids) {
    if (!/^-?(0|[1-9][0-9]{0,9})$/.test(s)) return false;
    const v = Number(s);
    if (v < -2147483648 || v > 2147483647) return false;
  }
  return true;
}

// CSV fields: quoted (RFC 4180) when they hold a comma, quote or line break.
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Write every user's top n to `path`; returns the number of rows. */
async function writeAll(model: LatentFactorModel, path: string, format: OutFormat, n: number, excludeSeen: boolean): Promise<number> {
  const userIds = model.state.ids.userIds;
  const itemIds = model.state.ids.itemIds;
  let rows = 0;
  if (format === 'csv') {
    const users = userIds.map(csvField);
    const items = itemIds.map(csvField);
    async function* chunks(): AsyncGenerator<Chunk> {
      yield 'user,item,score,rank\n';
      for await (const b of blocks(model, n, excludeSeen)) {
        const lines: string[] = [];
        for (let r = 0; r < b.users.length; r++) lines.push(`${users[b.users[r]!]},${items[b.items[r]!]},${b.scores[r]},${b.ranks[r]}\n`);
        rows += b.users.length;
        yield lines.join('');
      }
    }
    await writeChunks(path, chunks());
    return rows;
  }
  const intUsers = int32Ids(userIds);
  const intItems = int32Ids(itemIds);
  const idType = (int: boolean): ParquetColumnType => (int ? 'int32' : 'string');
  const w = await openParquetWriter(path, [
    { name: 'user', type: idType(intUsers) },
    { name: 'item', type: idType(intItems) },
    { name: 'score', type: 'double' },
    { name: 'rank', type: 'int32' },
  ]);
  try {
    for await (const b of blocks(model, n, excludeSeen)) {
      if (b.users.length === 0) continue;
      const ids = (idx: Int32Array, all: readonly string[], int: boolean) => (int ? Int32Array.from(idx, (k) => Number(all[k])) : Array.from(idx, (k) => all[k]!));
      await w.write({ user: ids(b.users, userIds, intUsers), item: ids(b.items, itemIds, intItems), score: b.scores, rank: b.ranks });
      rows += b.users.length;
    }
    await w.close();
  } catch (e) {
    await w.abort(e);
    throw e;
  }
  return rows;
}
