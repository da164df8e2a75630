// The library bundled for browsers (esbuild, platform=browser) runs in real Chromium: the
// WASM kernels load asynchronously via ready(), gemm is correct, and in a cross-origin-
// isolated page (COOP/COEP) worker threads share the memory. Skipped where Debian's
// chromium is not installed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';

const CHROMIUM = '/usr/bin/chromium';

async function serve(files: Record<string, string>, isolated: boolean): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const body = files[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': req.url!.endsWith('.js') ? 'text/javascript' : 'text/html' };
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

const PAGE_SCRIPT = `
import * as L from './lowrank.js';
window.run = async () => {
  const backend = await L.ready();
  const A = L.Matrix.random(300, 200, { seed: 1 }), B = L.Matrix.random(200, 150, { seed: 2 });
  const C = L.matmul(A, B);
  let err = 0;
  for (const [i, j] of [[0, 0], [299, 149], [17, 88]]) {
    let s = 0; for (let p = 0; p < 200; p++) s += A.get(i, p) * B.get(p, j);
    err = Math.max(err, Math.abs(s - C.get(i, j)));
  }
  L.setThreads(2);
  L.matmul(A, B);
  await new Promise((r) => setTimeout(r, 500));
  const C2 = L.matmul(A, B);
  return { backend, err, same: C2.equals(C, { rtol: 1e-12 }), workers: L.threadInfo().workers, isolated: self.crossOriginIsolated };
};
`;

test('browser bundle: kernels load, gemm correct, threads in an isolated page', async (t) => {
  if (!existsSync(CHROMIUM)) return t.skip('chromium not installed (apt-get install chromium)');
  const esbuild = await import('esbuild');
  const { chromium } = await import('playwright-core');
  const out = await esbuild.build({
    entryPoints: [new URL('../../src/browser.ts', import.meta.url).pathname],
    bundle: true, platform: 'browser', format: 'esm', write: false, target: 'es2022',
  });
  const bundle = out.outputFiles[0]!.text;
  assert.ok(!/from\s*["']node:/.test(bundle), 'the browser bundle imports no Node modules');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    for (const isolated of [true, false]) {
      const { server, url } = await serve({ '/favicon.ico': '', '/': `<!doctype html><script type="module" src="./app.js"></script>`, '/app.js': PAGE_SCRIPT, '/lowrank.js': bundle }, isolated);
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        await page.goto(url);
        await page.waitForFunction(() => typeof (window as unknown as { run?: unknown }).run === 'function');
        const r = await page.evaluate(() => (window as unknown as { run: () => Promise<{ backend: string; err: number; same: boolean; workers: number; isolated: boolean }> }).run());
        t.diagnostic(`isolated=${isolated}: backend ${r.backend}, workers ${r.workers}`);
        assert.deepEqual(errors, []);
        assert.ok(r.err < 1e-12, `gemm error ${r.err}`);
        assert.ok(r.same, 'threaded result equals single-threaded');
        if (isolated) {
          assert.equal(r.isolated, true);
          assert.match(r.backend, /^wasm/);
          assert.ok(r.workers >= 1, 'a Web Worker joined the pool');
        } else {
          // Without isolation shared memory is refused: the TS kernels must still be right.
          assert.ok(['js', 'wasm', 'wasm-fma'].includes(r.backend));
        }
        await page.close();
      } finally {
        server.close();
      }
    }
  } finally {
    await browser.close();
  }
});
