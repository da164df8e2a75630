/**
 * The static file server behind `lowrank lab`: serves the built Lab (`dist/lab/`) and
 * nothing else.
 *
 * - Binds 127.0.0.1 by default: the Lab is a local teaching tool, not a public site.
 * - Serves only files under its root: the URL path is decoded once, must not contain NUL
 *   or backslashes, is normalized, and the resolved real path (symlinks followed) must stay
 *   inside the root's real path; anything else is a 404 (403 would confirm that a file
 *   exists outside). Only GET and HEAD are allowed (405 otherwise).
 * - Sends `Cross-Origin-Opener-Policy: same-origin` and
 *   `Cross-Origin-Embedder-Policy: require-corp` on every response: with them the page is
 *   cross-origin isolated, so `SharedArrayBuffer` (shared WebAssembly memory) exists and the
 *   GEMM kernels can run on Web Workers. `Cross-Origin-Resource-Policy: same-origin` lets
 *   the page's own subresources load under require-corp.
 * - Correct MIME types, including `application/wasm` (needed by
 *   `WebAssembly.instantiateStreaming`) and `text/javascript` for modules.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/** MIME types of the files the Lab ships (anything else is `application/octet-stream`). */
export const LAB_MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.npy': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

/** The headers every Lab response carries (cross-origin isolation and no sniffing). */
export const LAB_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Options of {@link startLabServer}. */
export interface LabServerOptions {
  /** Directory to serve (the built Lab, normally `dist/lab`). */
  root: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default `'127.0.0.1'` (this machine only). */
  host?: string;
  /** Called once per request with method, path and status (for logging); optional. */
  onRequest?: (method: string, path: string, status: number) => void;
}

/** A running Lab server. */
export interface LabServer {
  /** The underlying node:http server. */
  readonly server: Server;
  /** The address to open, e.g. `http://127.0.0.1:43117/`. */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  /** Stop accepting connections and close open ones; resolves when closed. */
  close(): Promise<void>;
}

/**
 * Map a request URL path to a file path under `root`, or `undefined` when the path is
 * malformed or would leave the root. Pure (no file system access); {@link startLabServer}
 * additionally checks the real path so symlinks cannot escape.
 * @param root - absolute directory being served.
 * @param urlPath - the request target, e.g. `/lab.js?v=1`.
 */
export function resolveLabPath(root: string, urlPath: string): string | undefined {
  const q = urlPath.search(/[?#]/);
  const raw = q < 0 ? urlPath : urlPath.slice(0, q);
  if (!raw.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined; // malformed percent-encoding
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return undefined;
  let rel = segments.filter((s) => s !== '' && s !== '.').join('/');
  if (rel === '' || decoded.endsWith('/')) rel = rel === '' ? 'index.html' : `${rel}/index.html`;
  const full = resolve(root, rel);
  return isInside(root, full) ? full : undefined;
}

function isInside(root: string, full: string): boolean {
  const r = relative(root, full);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r) && !r.split(sep).includes('..');
}

function send(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...LAB_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

async function handle(rootReal: string, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    return 405;
  }
  let file = resolveLabPath(rootReal, req.url ?? '/');
  if (file === undefined) {
    send(res, 404, 'not found\n');
    return 404;
  }
  try {
    let st = await stat(file);
    if (st.isDirectory()) {
      file = resolve(file, 'index.html');
      st = await stat(file);
    }
    const real = await realpath(file);
    if (!isInside(rootReal, real) || !st.isFile()) throw new Error('outside');
    const type = LAB_MIME_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      ...LAB_SECURITY_HEADERS,
      'Content-Type': type,
      'Content-Length': String(st.size),
      // The Lab is rebuilt in place during development: always revalidate.
      'Cache-Control': 'no-cache',
    });
    if (method === 'HEAD') {
      res.end();
      return 200;
    }
    await new Promise<void>((done) => {
      const stream = createReadStream(real);
      stream.on('error', () => {
        res.destroy();
        done();
      });
      stream.on('end', done);
      stream.pipe(res);
    });
    return 200;
  } catch {
    if (!res.headersSent) send(res, 404, 'not found\n');
    return 404;
  }
}

/**
 * Serve `options.root` over HTTP until {@link LabServer.close} is called.
 * @returns once listening, with the URL to open.
 * @throws the listen error (e.g. `EADDRINUSE`, `EACCES`) when the port cannot be bound.
 */
export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const host = options.host ?? '127.0.0.1';
  const rootReal = await realpath(resolve(options.root));
  const server = createServer((req, res) => {
    handle(rootReal, req, res).then(
      (status) => options.onRequest?.(req.method ?? 'GET', req.url ?? '/', status),
      () => {
        if (!res.headersSent) send(res, 500, 'internal error\n');
      },
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${shown}:${port}/`,
    port,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        // Browsers keep connections alive; a static server can cut them without loss.
        server.closeAllConnections();
      }),
  };
}
