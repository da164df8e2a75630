// The real executable: shebang module, process exit codes, output to the real streams.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;

function lowrank(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
}

test('node --import tsx src/cli/main.ts: help, usage error, data error', () => {
  const help = lowrank('--help');
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: lowrank \[options\] \[command\]/);
  assert.equal(help.stderr, '');

  const usage = lowrank('frobnicate');
  assert.equal(usage.status, 2);
  assert.equal(usage.stdout, '');
  assert.equal(usage.stderr, "lowrank: unknown command 'frobnicate'\n");

  const data = lowrank('info', 'test/fixtures/npy/object.npy', '--json');
  assert.equal(data.status, 1);
  assert.equal(data.stdout, '');
  assert.match(data.stderr, /^lowrank: test\/fixtures\/npy\/object\.npy at byte \d+: object arrays \(pickled Python objects\) cannot be read \(dtype '\|O'\)[^\n]*\n$/);

  const info = lowrank('info', 'test/fixtures/npy/v2_f8_f.npy', '--json');
  assert.equal(info.status, 0, info.stderr);
  assert.equal((JSON.parse(info.stdout) as { storage: string }).storage, 'npy 2.0, <f8, Fortran order');
});
