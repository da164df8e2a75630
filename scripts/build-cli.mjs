#!/usr/bin/env node
// Builds the `lowrank` executable that package.json's `bin` points to, dist/bin/lowrank.js:
// the command line (src/cli/full.ts) and everything it imports (commander and the other
// dependencies too) bundled by esbuild into one entry file plus one chunk per command module
// that run.ts imports on demand (code splitting keeps those imports lazy). A short command then loads
// 3 to 5 files instead of 20 to 40 modules, each resolved, read and compiled on its own
// (Node 20 has no module compile cache): `lowrank info` and `lowrank convert` spent 0.05 to
// 0.08 s of their 0.25 s of CPU loading modules. dist/cli/main.js (tsc's output) stays and
// behaves the same; both run the same source.
//
// The bin itself, dist/bin/lowrank.js, is a CommonJS launcher of a few lines (written here;
// dist/bin/package.json says "commonjs"): `lowrank info A.npy` runs the fast path
// (src/cli/commands/info-fast.ts, bundled apart as one CommonJS file, dist/bin/info-fast.js),
// anything else imports the ES-module bundle of src/cli/full.ts (dist/bin/full.mjs and its
// chunks, *.mjs). An ES-module entry costs Node 6-9 ms more than a CommonJS one, every
// further module file its resolution, read and compile, and an ES import of node:fs loads
// fs/promises and the stream modules (3-4 ms): together a third of the fast path's own
// time for a 0.15 s target. src/cli/main.ts does the same for tsc's dist/cli/main.js.
//
// Sources that locate files from their own URL (`new URL('../../package.json',
// import.meta.url)` in run.ts, the Lab's folder in commands/lab.ts) get the URL their
// module has in dist/ (dist/bin/../<path under src>.js), so they find the same files from
// the bundle as from dist/cli/main.js.
//
// Needs the generated kernels (src/kernels/generated/, made by `npm run build:wasm`).
// Usage: node scripts/build-cli.mjs [--outdir DIR]   (run by `npm run build:ts`)
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/** dist/bin/lowrank.js: what src/cli/main.ts does, as CommonJS. */
const LAUNCHER = `#!/usr/bin/env node
// The lowrank executable, written by scripts/build-cli.mjs: what src/cli/main.ts does, as
// CommonJS. \`lowrank info A.npy\` on a float file runs the fast path (info-fast.js, from
// src/cli/commands/info-fast.ts); anything else, or any error there, the command line
// (full.mjs, from src/cli/full.ts).
'use strict';
const argv = process.argv.slice(2);
let fast;
if (argv[0] === 'info') {
  const { infoFast, stdoutSync } = require('./info-fast.js');
  fast = infoFast(argv, stdoutSync);
}
if (fast !== undefined) process.exitCode = fast;
else import('./full.mjs');
`;

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
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    legalComments: 'none',
    logLevel: options.quiet ? 'silent' : 'warning',
    metafile: true,
  };
  // The fast path: one CommonJS file (its modules use no import.meta.url).
  const fast = await esbuild.build({
    ...common,
    entryPoints: { 'info-fast': join(SRC, 'cli', 'commands', 'info-fast.ts') },
    outdir,
    format: 'cjs',
  });
  // Everything else: ES modules, one chunk per command module run.ts imports on demand.
  const result = await esbuild.build({
    ...common,
    entryPoints: { full: join(SRC, 'cli', 'full.ts') },
    outdir,
    format: 'esm',
    splitting: true,
    outExtension: { '.js': '.mjs' },
    // CommonJS dependencies (commander) call require() for Node's modules.
    banner: { js: "import { createRequire as __lowrankRequire } from 'node:module';\nconst require = __lowrankRequire(import.meta.url);" },
    plugins: [ownUrl],
  });
  writeFileSync(join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(join(outdir, 'lowrank.js'), LAUNCHER);
  const entry = join(outdir, 'lowrank.js');
  chmodSync(entry, 0o755);
  return { outdir, entry, files: Object.keys(result.metafile.outputs).length + Object.keys(fast.metafile.outputs).length + 2 };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--outdir');
  const r = await buildCli({ outdir: i >= 0 ? process.argv[i + 1] : undefined });
  console.log(`built ${relative(process.cwd(), r.entry)} (${r.files} files in ${relative(process.cwd(), r.outdir) || '.'})`);
}
