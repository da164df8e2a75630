// The Lab's static server and the `lowrank lab` command: loopback binding, COOP/COEP and
// MIME headers, no path traversal (encoded dots, backslashes, NUL, symlinks), 404/405, and
// 421 for any Host header that does not name this server (DNS rebinding).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { labHostNames, resolveLabPath, startLabServer, type LabServer } from '../../src/cli/lab-server.js';
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

/**
 * Send a raw request (no URL normalization, unlike fetch) and return status and response.
 * `head` is the header block after the request line; by default the Host the server answers.
 */
function raw(path: string, method = 'GET', head = `Host: 127.0.0.1:${lab.port}\r\n`, version = '1.1'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const sock = connect(lab.port, '127.0.0.1', () => sock.write(`${method} ${path} HTTP/${version}\r\n${head}Connection: close\r\n\r\n`));
    let data = '';
    sock.on('data', (d) => (data += d.toString('latin1')));
    sock.on('end', () => resolve({ status: Number(/^HTTP\/1\.[01] (\d+)/.exec(data)?.[1]), text: data }));
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

/** GET `path` through node:http with the given Host header (undefined: none sent at all). */
function withHost(port: number, connectTo: string, host: string | undefined, path = '/lab.js'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: connectTo, port, path, headers: host === undefined ? {} : { host }, setHost: host !== undefined, agent: false }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('labHostNames: localhost and the bound address with the port; wildcards mean loopback', () => {
  assert.deepEqual([...labHostNames('127.0.0.1', 8080)].sort(), ['127.0.0.1:8080', 'localhost', 'localhost:8080']);
  assert.deepEqual([...labHostNames('::1', 80)].sort(), ['[::1]:80', 'localhost', 'localhost:80']);
  assert.deepEqual([...labHostNames('0.0.0.0', 5)].sort(), ['127.0.0.1:5', 'localhost', 'localhost:5']);
  assert.deepEqual([...labHostNames('::', 5)].sort(), ['127.0.0.1:5', '[::1]:5', 'localhost', 'localhost:5']);
});

test('DNS rebinding: a Host that does not name this server gets 421, never the file', async () => {
  const p = lab.port;
  for (const good of [`127.0.0.1:${p}`, `localhost:${p}`, 'localhost', `LOCALHOST:${p}`]) {
    const r = await withHost(lab.port, '127.0.0.1', good);
    assert.equal(r.status, 200, good);
    assert.equal(r.body, 'export {};', good);
  }
  const bad = [
    'evil.example',
    `evil.example:${p}`,
    `127.0.0.1.evil.example:${p}`,
    `localhost.evil.example:${p}`,
    `localhost:${p === 1 ? 2 : p - 1}`,
    `127.0.0.1:${p + 1}`,
    '127.0.0.1',
    `[::1]:${p}`, // bound to IPv4 only
    `0.0.0.0:${p}`,
    `localhost.:${p}`,
    `127.0.0.1:${p}@evil.example`,
  ];
  for (const host of bad) {
    const r = await withHost(lab.port, '127.0.0.1', host);
    assert.equal(r.status, 421, JSON.stringify(host));
    assert.ok(!r.body.includes('export'), host);
    assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp', host);
  }
  // No Host header at all, over HTTP/1.1 and HTTP/1.0; and HEAD / POST are refused the same way.
  assert.equal((await withHost(lab.port, '127.0.0.1', undefined)).status, 421);
  assert.equal((await raw('/lab.js', 'GET', '')).status, 421);
  assert.equal((await raw('/lab.js', 'GET', 'Host: \r\n')).status, 421);
  assert.equal((await raw('/lab.js', 'GET', '', '1.0')).status, 421);
  assert.equal((await raw('/lab.js', 'HEAD', 'Host: evil.example\r\n')).status, 421);
  assert.equal((await raw('/lab.js', 'POST', 'Host: evil.example\r\n')).status, 421);
  // Two Host headers: Node keeps the first; an evil first one is refused.
  assert.equal((await raw('/lab.js', 'GET', `Host: evil.example\r\nHost: 127.0.0.1:${p}\r\n`)).status, 421);
});

test('DNS rebinding: a server bound to ::1 answers [::1]:PORT and localhost, not 127.0.0.1', async (t) => {
  let six: LabServer;
  try {
    six = await startLabServer({ root, host: '::1' });
  } catch (e) {
    t.skip(`no IPv6 loopback here: ${(e as Error).message}`);
    return;
  }
  try {
    assert.equal(six.url, `http://[::1]:${six.port}/`);
    assert.equal((await withHost(six.port, '::1', `[::1]:${six.port}`)).status, 200);
    assert.equal((await withHost(six.port, '::1', `localhost:${six.port}`)).status, 200);
    assert.equal((await withHost(six.port, '::1', `127.0.0.1:${six.port}`)).status, 421);
    assert.equal((await withHost(six.port, '::1', 'evil.example')).status, 421);
    const res = await fetch(six.url);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  } finally {
    await six.close();
  }
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
    assert.equal((await withHost(Number(new URL(url).port), '127.0.0.1', 'evil.example', '/')).status, 421);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
