/**
 * The static file server behind `lowrank lab`: serves the built Lab (`dist/lab/`) and
 * nothing else.
 *
 * - Binds 127.0.0.1 by default: the Lab is a local teaching tool, not a public site.
 * - Answers only requests whose `Host` header names this server: `localhost` (with the bound
 *   port, or bare) or the bound address with its port (`127.0.0.1:PORT`, `[::1]:PORT`; a
 *   wildcard bind accepts the loopback address of its family). Anything else, including a
 *   missing `Host`, gets 421 Misdirected Request. This defeats DNS rebinding: a page on
 *   `evil.example` whose name is re-pointed at 127.0.0.1 still sends `Host: evil.example`.
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

/**
 * The `Host` header values (lower case) that {@link startLabServer} answers when bound to
 * `address` (as `server.address().address` reports it) on `port`: `localhost:PORT`,
 * `localhost`, and the bound address with the port, `[...]`-bracketed for IPv6. A wildcard
 * bind (`0.0.0.0`, `::`) stands for the loopback address of its family (`::` also accepts
 * `127.0.0.1`, since it usually serves IPv4 too). A DNS name other than localhost is never
 * accepted: that is what a DNS-rebinding page would send.
 * @param address - the bound IP address, e.g. `'127.0.0.1'` or `'::1'`.
 * @param port - the bound TCP port.
 * @example
 * ```ts
 * [...labHostNames('127.0.0.1', 8080)]
 * // => ['localhost:8080', 'localhost', '127.0.0.1:8080']
 * ```
 */
export function labHostNames(address: string, port: number): ReadonlySet<string> {
  const names = new Set([`localhost:${port}`, 'localhost']);
  const literal = (a: string): string => (a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`);
  if (address === '0.0.0.0') names.add(literal('127.0.0.1'));
  else if (address === '::') {
    names.add(literal('::1'));
    names.add(literal('127.0.0.1'));
  } else names.add(literal(address.toLowerCase()));
  return names;
}

function send(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...LAB_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

async function handle(rootReal: string, hosts: ReadonlySet<string>, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const host = req.headers.host;
  if (host === undefined || !hosts.has(host.toLowerCase())) {
    send(res, 421, 'misdirected request: this server answers only for localhost\n');
    return 421;
  }
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
  // Filled in once the port is known; until then every request is refused.
  let hosts: ReadonlySet<string> = new Set();
  // requireHostHeader off: a request without Host reaches handle() and gets its 421 (Node
  // would otherwise answer HTTP/1.1 ones with a bare 400 and pass HTTP/1.0 ones through).
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    handle(rootReal, hosts, req, res).then(
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
  const bound = server.address() as AddressInfo;
  const port = bound.port;
  hosts = labHostNames(bound.address, port);
  // The URL must name a host the server answers (see labHostNames): localhost as given, else
  // the bound address, a wildcard shown as its family's loopback address.
  const a = bound.address;
  const shown = host === 'localhost' ? 'localhost' : a === '0.0.0.0' ? '127.0.0.1' : a === '::' ? '[::1]' : a.includes(':') ? `[${a}]` : a;
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
