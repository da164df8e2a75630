// npm run bench: runs every benchmark in bench/ (each bench/*.ts except this file and
// util.ts, found by listing the folder, so a new benchmark is included without an edit
// here), one after another, each in its own process, and prints how long each took and
// whether it failed. Every benchmark prints its own table with the reference timed in the
// same invocation (see BENCHMARKS.md).
//
// Usage: npm run bench [-- --quick] [-- --only a,b] [-- --skip a,b] [-- <flags passed to each>]
//   --quick      each benchmark's quick mode (smaller sizes, fewer rounds): a few minutes in
//                total instead of about an hour
//   --only a,b   run only these (names without .ts, e.g. --only small,gemm)
//   --skip a,b   run all but these
// Any other arguments are passed to every benchmark. Benchmarks that run the built CLI
// (dist/cli/main.js) get it built first (npm run build:ts) when it is missing. A failing
// benchmark is reported and the others still run; the exit status is 1 if any failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const root = join(here, '..');
const argv = process.argv.slice(2);
const listArg = (name: string): string[] | undefined => {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return (v ?? '').split(',').filter(Boolean);
};
const only = listArg('--only');
const skip = listArg('--skip') ?? [];
const passed = argv;

const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && f !== 'util.ts')
  .map((f) => f.slice(0, -3))
  .sort();
for (const name of [...(only ?? []), ...skip]) {
  if (!all.includes(name)) {
    console.error(`bench/run.ts: no benchmark '${name}'; there are: ${all.join(', ')}`);
    process.exit(2);
  }
}
const selected = all.filter((b) => (only ? only.includes(b) : true) && !skip.includes(b));

// Benchmarks timing the CLI as a whole process need dist/ (tsc's dist/cli/main.js or the
// bundled dist/bin/lowrank.js, both written by npm run build:ts).
const usesCli = (b: string): boolean => /dist\/(cli|bin)\/|'dist', '(cli|bin)'/.test(readFileSync(join(here, `${b}.ts`), 'utf8'));
const builtCli = existsSync(join(root, 'dist', 'cli', 'main.js')) && existsSync(join(root, 'dist', 'bin', 'lowrank.js'));
if (!builtCli && selected.some(usesCli)) {
  console.error('bench/run.ts: building dist/ for the benchmarks that run the CLI (npm run build:ts)');
  const r = spawnSync('npm', ['run', 'build:ts'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) console.error('bench/run.ts: npm run build:ts failed; those benchmarks will fail');
}

// Reference interpreters: each script reads its own variable and falls back to a venv of
// its own or python3; when the shared reference venv (numpy, scipy, scikit-learn,
// python-control, pyarrow; see the contributor notes) exists, point the unset ones at it.
const REF_VENV = '/tmp/ref-venv/bin/python';
const env = { ...process.env };
if (existsSync(REF_VENV)) {
  for (const v of ['SKLEARN_PYTHON', 'SKL_PYTHON', 'SCIPY_PYTHON', 'REF_PYTHON', 'CONTROL_PYTHON', 'NUMPY_PYTHON', 'PYARROW_PYTHON']) env[v] ??= REF_VENV;
}

const results: { name: string; seconds: number; status: string }[] = [];
for (const name of selected) {
  console.log(`\n## bench/${name}.ts ${passed.join(' ')}\n`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${name}.ts`), ...passed], { cwd: root, stdio: 'inherit', env });
  const seconds = (performance.now() - t0) / 1000;
  const status = r.status === 0 ? 'ok' : r.signal ? `killed (${r.signal})` : `failed (exit ${r.status})`;
  results.push({ name, seconds, status });
}
console.log('\n## Summary\n');
console.log('| benchmark | seconds | status |\n|---|---|---|');
for (const r of results) console.log(`| ${r.name} | ${r.seconds.toFixed(1)} | ${r.status} |`);
const total = results.reduce((s, r) => s + r.seconds, 0);
console.log(`\n${results.length} benchmarks in ${total.toFixed(0)} s${passed.length ? ` (${passed.join(' ')})` : ''}`);
process.exit(results.every((r) => r.status === 'ok') ? 0 : 1);
