#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's built-in test runner (TypeScript through tsx).
// Node 20's `--test` does not expand globs, so the file list is built here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = walk('test').filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// A test that hangs (a deadlock, a parser stuck on a bad input) fails after five minutes
// instead of holding CI until its own limit.
// Tests that time the machine (the Lab's wall-clock long tasks) read the concurrency: the
// other file running beside them competes for the same cores.
const CONCURRENCY = 2;
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${CONCURRENCY}`, '--test-timeout=300000', ...files], {
  stdio: 'inherit',
  env: { ...process.env, LOWRANK_TEST_CONCURRENCY: String(CONCURRENCY) },
});
process.exit(r.status ?? 1);
