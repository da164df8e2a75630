// The bundled executable that package.json's `bin` points to (dist/bin/lowrank.js, built by
// scripts/build-cli.mjs during `npm run build:ts`): it answers exactly as tsc's
// dist/cli/main.js does (version, JSON reports, written files, exit codes and error lines),
// the version read from package.json through the module's rewritten URL included. Built here when missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { tempDir } from '../io/util.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BUNDLE = join(ROOT, 'dist', 'bin', 'lowrank.js');
const TSC = join(ROOT, 'dist', 'cli', 'main.js');

before(async () => {
  if (!existsSync(TSC)) {
    const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  }
  if (!existsSync(BUNDLE)) {
    const { buildCli } = await import('../../scripts/build-cli.mjs');
    await buildCli({ quiet: true });
  }
});

function run(exe: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [exe, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same call through both executables: the same status and streams (`normalize` applied to stdout). */
function same(args: string[], normalize: (s: string) => string = (s) => s): { status: number | null; stdout: string; stderr: string } {
  const a = run(BUNDLE, ...args);
  const b = run(TSC, ...args);
  assert.equal(a.status, b.status, `${args.join(' ')}: ${a.stderr} / ${b.stderr}`);
  assert.equal(normalize(a.stdout), normalize(b.stdout), args.join(' '));
  assert.equal(a.stderr, b.stderr, args.join(' '));
  return a;
}

test('package.json bin points to the bundle, which is executable and starts with a shebang', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
  assert.equal(pkg.bin.lowrank, './dist/bin/lowrank.js');
  assert.match(readFileSync(BUNDLE, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  const v = same(['--version']);
  assert.equal(v.stdout, `${pkg.version}\n`);
});

test('every import.meta.url in the bundle is the banner\'s require or a source module\'s URL in dist/ (package.json, the Lab\'s folder)', () => {
  const dir = join(ROOT, 'dist', 'bin');
  const rewritten: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js') || n.endsWith('.mjs'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const all = text.match(/import\.meta\.url/g)?.length ?? 0;
    const banner = text.match(/__lowrankRequire\(import\.meta\.url\)/g)?.length ?? 0;
    const urls = [...text.matchAll(/new URL\("([^"]+)", import\.meta\.url\)\.href/g)].map((m) => m[1]!);
    assert.equal(all, banner + urls.length, `${f}: an import.meta.url that is not rewritten`);
    for (const u of urls) assert.ok(existsSync(join(dir, u)), `${f}: ${u} is not a module in dist/`);
    rewritten.push(...urls);
  }
  assert.deepEqual([...new Set(rewritten)].sort(), ['../cli/commands/lab.js', '../cli/run.js']);
});

test('the bundle answers as dist/cli/main.js: a data error, info, convert, a factorization', () => {
  const dir = tempDir();
  assert.equal(same(['info', 'test/fixtures/npy/object.npy', '--json']).status, 1);
  assert.equal(same(['info', 'test/fixtures/npy/v2_f8_f.npy', '--json']).status, 0);
  const seconds = (s: string): string => s.replace(/"seconds":[0-9.e-]+/g, '"seconds":0').replace(/\d+\.\d+ s\b/g, 'T s');
  // .npy -> .npy (the streaming converter) and .npy -> .csv (the general path's modules).
  for (const out of ['c.npy', 'c.csv']) {
    const a = run(BUNDLE, 'convert', 'test/fixtures/npy/v1_f8_c.npy', join(dir, `a-${out}`), '--json');
    const b = run(TSC, 'convert', 'test/fixtures/npy/v1_f8_c.npy', join(dir, `b-${out}`), '--json');
    assert.equal(a.status, 0, a.stderr);
    assert.equal(seconds(a.stdout).replace('a-', ''), seconds(b.stdout).replace('b-', ''));
    assert.ok(readFileSync(join(dir, `a-${out}`)).equals(readFileSync(join(dir, `b-${out}`))), out);
  }
  // A command that computes (the WASM kernels and their worker source inside the bundle).
  const svd = same(['svd', 'test/fixtures/npy/v1_f8_c.npy', '--out', join(dir, 's'), '--json'], seconds);
  assert.equal(svd.status, 0, svd.stderr);
});

test('the bin is a CommonJS launcher; info on a float .npy runs the bundled fast path (dist/bin/info-fast.js, one CommonJS file), which takes the file itself and prints what the command prints', async () => {
  const dir = join(ROOT, 'dist', 'bin');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')), { type: 'commonjs' });
  const launcher = readFileSync(join(dir, 'lowrank.js'), 'utf8');
  assert.match(launcher, /require\('\.\/info-fast\.js'\)/);
  assert.match(launcher, /import\('\.\/full\.mjs'\)/);
  const text = readFileSync(join(dir, 'info-fast.js'), 'utf8');
  assert.deepEqual([...new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort(), ['node:fs', 'node:path'], 'info-fast.js requires only node:fs and node:path');
  assert.doesNotMatch(text, /\bimport\(/);
  const { infoFast } = createRequire(import.meta.url)(join(dir, 'info-fast.js')) as typeof import('../../src/cli/commands/info-fast.js');
  const { run: runIn } = await import('./harness.js');
  for (const f of ['test/fixtures/info/f8_c_special.npy', 'test/fixtures/info/f4_f_special.npy', 'test/fixtures/npy/v3_f8_f.npy']) {
    for (const json of [false, true]) {
      const argv = json ? ['info', join(ROOT, f), '--json'] : ['info', join(ROOT, f)];
      let out = '';
      assert.equal(infoFast(argv, { write: (s: string) => (out += s) }), 0, f);
      assert.equal(out, (await runIn(...argv)).out, argv.join(' '));
      assert.equal(same(argv).stdout, out);
    }
  }
  // Declined (an option the fast path does not take): the command line answers, the same.
  const csvLike = same(['info', join(ROOT, 'test/fixtures/info/f8_1d.npy'), '--header', 'no', '--json']);
  assert.equal(csvLike.status, 0);
  assert.equal(csvLike.stdout, (await runIn('info', join(ROOT, 'test/fixtures/info/f8_1d.npy'), '--header', 'no', '--json')).out);
});
