// The Lab's static server and the `lowrank lab` command: loopback binding, COOP/COEP and
// MIME headers, no path traversal (encoded dots, backslashes, NUL, symlinks), 404/405.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveLabPath, startLabServer, type LabServer } from '../../src/cli/lab-server.js';
import { assertFails, run } from '../cli/harness.js';

let base: string;
let root: string;
let lab: LabServer;

before(async () => {
  base = mkdtempSync(join(tmpdir(), 'lowrank-lab-server-'));
  root = join(base, 'site');
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(join(root, 'lab.js'), 'export {};');
  writeFileSync(join(root, 'k.wasm'), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  writeFileSync(join(root, 'styles.css'), 'body{}');
  writeFileSync(join(root, 'sub', 'index.html'), 'sub');
  writeFileSync(join(base, 'secret.txt'), 'SECRET');
  symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'));
  lab = await startLabServer({ root });
});

after(async () => {
  await lab.close();
  rmSync(base, { recursive: true, force: true });
});

/** Send a raw request line (no URL normalization, unlike fetch) and return status and body. */
function raw(path: string, method = 'GET'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const sock = connect(lab.port, '127.0.0.1', () => sock.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let data = '';
    sock.on('data', (d) => (data += d.toString('latin1')));
    sock.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1]), text: data }));
    sock.on('error', reject);
  });
}

test('resolveLabPath maps URL paths inside the root and rejects escapes', () => {
  const r = '/srv/lab';
  assert.equal(resolveLabPath(r, '/'), '/srv/lab/index.html');
  assert.equal(resolveLabPath(r, '/lab.js?v=2#x'), '/srv/lab/lab.js');
  assert.equal(resolveLabPath(r, '/sub/'), '/srv/lab/sub/index.html');
  assert.equal(resolveLabPath(r, '/a%20b.png'), '/srv/lab/a b.png');
  assert.equal(resolveLabPath(r, '/./x/./y.css'), '/srv/lab/x/y.css');
  for (const bad of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/x/..%2f..%2f..%2fetc/passwd', '/..%5c..%5cwin.ini', '/a\\..\\b', '/x%00.html', '/%E0%A4%A', 'lab.js', '//..//..//etc/passwd']) {
    assert.equal(resolveLabPath(r, bad), undefined, bad);
  }
});

test('binds 127.0.0.1 by default and prints a loopback URL', () => {
  const addr = lab.server.address();
  assert.ok(addr !== null && typeof addr === 'object');
  assert.equal(addr.address, '127.0.0.1');
  assert.equal(lab.url, `http://127.0.0.1:${lab.port}/`);
});

test('every response carries COOP/COEP/CORP and nosniff; MIME types are right', async () => {
  const want: Record<string, string> = {
    '/': 'text/html; charset=utf-8',
    '/lab.js': 'text/javascript; charset=utf-8',
    '/k.wasm': 'application/wasm',
    '/styles.css': 'text/css; charset=utf-8',
  };
  for (const [path, type] of Object.entries(want)) {
    const res = await fetch(new URL(path, lab.url));
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-type'), type, path);
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'same-origin');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    await res.arrayBuffer();
  }
  const wasm = new Uint8Array(await (await fetch(new URL('/k.wasm', lab.url))).arrayBuffer());
  assert.deepEqual([...wasm], [0, 97, 115, 109, 1, 0, 0, 0]);
  const missing = await fetch(new URL('/nope.js', lab.url));
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('cross-origin-embedder-policy'), 'require-corp');
  const sub = await fetch(new URL('/sub', lab.url));
  assert.equal(await sub.text(), 'sub');
});

test('no path traversal: raw dot segments, encoded dots and slashes, backslashes, NUL, symlinks out', async () => {
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/sub/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/sub/../../secret.txt', '/link.txt', '/index.html%00.js', `/${'../'.repeat(12)}etc/passwd`]) {
    const r = await raw(path);
    assert.equal(r.status, 404, `${path}: ${r.text.slice(0, 60)}`);
    assert.ok(!r.text.includes('SECRET') && !r.text.includes('root:'), path);
  }
  // '..' segments are refused outright, even where they would stay inside the root.
  assert.equal((await raw('/sub/../lab.js')).status, 404);
  assert.equal((await raw('/lab.js')).status, 200);
});

test('only GET and HEAD', async () => {
  const head = await raw('/lab.js', 'HEAD');
  assert.equal(head.status, 200);
  assert.match(head.text, /content-length: 10/i);
  assert.ok(!head.text.includes('export'));
  for (const m of ['POST', 'PUT', 'DELETE']) {
    const r = await raw('/lab.js', m);
    assert.equal(r.status, 405, m);
    assert.match(r.text, /allow: GET, HEAD/i);
  }
});

test('lowrank lab: bad options and a missing build fail with one line', async () => {
  assertFails(await run('lab', '--port', 'abc'), 2, /--port must be an integer/);
  assertFails(await run('lab', '--port', '70000'), 2, /--port/);
  assertFails(await run('lab', '--open', 'maybe'), 2, /--open/);
  assertFails(await run('lab', '--dir', join(base, 'missing')), 1, /the Lab is not built/);
});

test('lowrank lab: serves, prints the URL, stops on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'lab', '--port', '0', '--dir', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
      child.stdout.on('data', (d) => {
        out += String(d);
        const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.match(await res.text(), /<title>lab<\/title>/);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
