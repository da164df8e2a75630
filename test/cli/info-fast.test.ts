// `lowrank info A.npy [--json]`'s fast path (src/cli/commands/info-fast.ts), which the
// executable runs before commander: for every fixture it either declines (undefined: the
// command runs) or prints exactly the bytes the command prints; it handles every
// little-endian float file and declines everything else (other options, other formats,
// other dtypes, errors, a set LOWRANK_THREADS).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { infoFast } from '../../src/cli/commands/info-fast.js';
import { FIXTURES } from '../io/util.js';
import { run } from './harness.js';

function fast(...argv: string[]): { code: number | undefined; out: string } {
  let out = '';
  const code = infoFast(argv, { write: (s: string) => (out += s) });
  return { code, out };
}

const files = ['info', 'npy'].flatMap((d) => readdirSync(join(FIXTURES, d)).filter((f) => f.endsWith('.npy')).map((f) => join(FIXTURES, d, f)));

test('every fixture: the fast path prints the command\'s bytes (text and --json, either order) or declines; it takes every little-endian float file', async () => {
  let taken = 0;
  for (const file of files) {
    for (const argv of [['info', file], ['info', file, '--json'], ['info', '--json', file]]) {
      const f = fast(...argv);
      const want = await run(...argv);
      if (f.code === undefined) {
        assert.equal(f.out, '', `${argv.join(' ')}: declined after printing`);
        continue;
      }
      taken++;
      assert.equal(want.code, 0, `${argv.join(' ')}: ${want.err}`);
      assert.equal(f.code, 0);
      assert.equal(f.out, want.out, argv.join(' '));
    }
    const json = await run('info', file, '--json');
    if (json.code !== 0) continue;
    const { descr, shape } = (JSON.parse(json.out) as { npy: { descr: string; shape: number[] } }).npy;
    const float = descr === '<f8' || descr === '<f4';
    assert.equal(fast('info', file).code === 0, float, `${file} (${descr}, ${shape.length}-D): taken iff a little-endian float file`);
  }
  assert.ok(taken >= 40, `only ${taken} calls took the fast path`);
});

test('the fast path declines other calls: options, other formats, extra arguments, help, errors, LOWRANK_THREADS', () => {
  const f8 = join(FIXTURES, 'info', 'f8_c_special.npy');
  assert.equal(fast('info', f8).code, 0);
  for (const argv of [
    ['info', f8, '--header', 'no'],
    ['info', f8, '--delimiter', ','],
    ['info', f8, '-h'],
    ['info', f8, f8],
    ['info', '--', f8],
    ['info'],
    ['convert', f8],
    ['info', join(FIXTURES, 'text', 'header.csv')],
    ['info', join(FIXTURES, 'npy', 'be_f8.npy')],
    ['info', join(FIXTURES, 'npy', 'object.npy')],
    ['info', join(FIXTURES, 'info', 'complex.npy')],
    ['info', join(FIXTURES, 'info', 'i4.npy')],
    ['info', join(FIXTURES, 'info', 'missing.npy')],
    ['info', FIXTURES + 'info.npy'],
  ]) {
    assert.deepEqual(fast(...argv), { code: undefined, out: '' }, argv.join(' '));
  }
  process.env.LOWRANK_THREADS = '1';
  try {
    assert.equal(fast('info', f8).code, undefined);
  } finally {
    delete process.env.LOWRANK_THREADS;
  }
});
