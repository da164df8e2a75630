#!/usr/bin/env node
// Builds the `lowrank` executable that package.json's `bin` points to, dist/bin/lowrank.js:
// src/cli/main.ts and everything it imports (commander and the other dependencies too)
// bundled by esbuild into one entry file plus one chunk per command module that run.ts
// imports on demand (code splitting keeps those imports lazy). A short command then loads
// 3 to 5 files instead of 20 to 40 modules, each resolved, read and compiled on its own
// (Node 20 has no module compile cache): `lowrank info` and `lowrank convert` spent 0.05 to
// 0.08 s of their 0.25 s of CPU loading modules. dist/cli/main.js (tsc's output) stays and
// behaves the same; both run the same source.
//
// `lowrank info A.npy` has a fast path (src/cli/commands/info-fast.ts) that main.ts imports
// before anything else: it is built apart, as one file without splitting
// (dist/bin/info-fast.js, its few modules inlined), and the main build leaves that import
// to it. Each module file the ESM loader loads costs its resolution, package-scope lookup,
// read and compile: the fast path's 10 chunks were 5-10 ms of a 0.15 s target.
//
// Sources that locate files from their own URL (`new URL('../../package.json',
// import.meta.url)` in run.ts, the Lab's folder in commands/lab.ts) get the URL their
// module has in dist/ (dist/bin/../<path under src>.js), so they find the same files from
// the bundle as from dist/cli/main.js.
//
// Needs the generated kernels (src/kernels/generated/, made by `npm run build:wasm`).
// Usage: node scripts/build-cli.mjs [--outdir DIR]   (run by `npm run build:ts`)
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/**
 * Build the bundled CLI.
 * @param {{ outdir?: string, quiet?: boolean }} [options]
 * @returns {Promise<{ outdir: string, entry: string, files: number }>}
 */
export async function buildCli(options = {}) {
  const outdir = resolve(options.outdir ?? join(ROOT, 'dist', 'bin'));
  const generated = join(SRC, 'kernels', 'generated');
  if (!existsSync(generated)) throw new Error(`missing ${generated}: run 'npm run build:wasm' first`);
  const esbuild = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  /** @type {import('esbuild').Plugin} */
  const ownUrl = {
    name: 'import-meta-url-as-in-dist',
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        // The module's place in dist/ (tsc mirrors src/), relative to the bundle's folder,
        // which holds the entry and every chunk.
        const inDist = join(ROOT, 'dist', relative(SRC, args.path)).replace(/\.ts$/, '.js');
        const rel = relative(outdir, inDist).split('\\').join('/');
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
  // main.ts's `import('./commands/info-fast.js')`: the unsplit build below.
  const fastPathExternal = {
    name: 'info-fast-apart',
    setup(build) {
      build.onResolve({ filter: /[\\/]info-fast\.js$/ }, () => ({ path: './info-fast.js', external: true }));
    },
  };
  const common = {
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // CommonJS dependencies (commander) call require() for Node's modules.
    banner: { js: "import { createRequire as __lowrankRequire } from 'node:module';\nconst require = __lowrankRequire(import.meta.url);" },
    legalComments: 'none',
    logLevel: options.quiet ? 'silent' : 'warning',
    metafile: true,
  };
  // In the fast path, node:fs through require(): an ESM import of node:fs makes Node build
  // the module's ESM facade, which reads fs.promises and so loads fs/promises and the stream
  // modules (3-4 ms). The names are listed: using another fails the build ("No matching
  // export"), never the program.
  const fsByRequire = {
    name: 'node-fs-by-require',
    setup(build) {
      // Only the sources' import statements: the require() below is Node's own.
      build.onResolve({ filter: /^(node:)?fs$/ }, (args) => (args.kind === 'import-statement' ? { path: 'node:fs', namespace: 'fs-by-require' } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'fs-by-require' }, () => ({
        contents: "export const { closeSync, fstatSync, openSync, readSync, writeSync } = require('node:fs');",
        loader: 'js',
      }));
    },
  };
  const fast = await esbuild.build({
    ...common,
    entryPoints: { 'info-fast': join(SRC, 'cli', 'commands', 'info-fast.ts') },
    outdir,
    splitting: false,
    plugins: [fsByRequire, ownUrl],
  });
  const result = await esbuild.build({
    entryPoints: { lowrank: join(SRC, 'cli', 'main.ts') },
    ...common,
    outdir,
    splitting: true,
    plugins: [fastPathExternal, ownUrl],
  });
  const entry = join(outdir, 'lowrank.js');
  chmodSync(entry, 0o755);
  return { outdir, entry, files: Object.keys(result.metafile.outputs).length + Object.keys(fast.metafile.outputs).length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--outdir');
  const r = await buildCli({ outdir: i >= 0 ? process.argv[i + 1] : undefined });
  console.log(`built ${relative(process.cwd(), r.entry)} (${r.files} files in ${relative(process.cwd(), r.outdir) || '.'})`);
}
