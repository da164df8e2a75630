// Runs every benchmark in bench/ in turn (npm run bench). Each prints its own table.
import { spawnSync } from 'node:child_process';

const benches = ['gemm.ts', 'decompositions.ts'];
const extra = process.argv.slice(2);
for (const b of benches) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', new URL(b, import.meta.url).pathname, ...extra], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
