#!/usr/bin/env node
// Builds the Lab (lab/) into dist/lab/: one ES module bundle (esbuild) holding the Lab and
// the lowrank library compiled from src/ (the WASM kernels are inlined in it as base64, so
// the page runs the same kernels as Node), plus index.html, styles.css and the data the
// instruments load (sample images, digits), and worker.js, the compute worker (lab/worker.ts
// with every lab/instruments/*-jobs.ts). No CDN: everything is served by `lowrank lab`.
//
// Needs the generated kernels (src/kernels/generated/, made by `npm run build:wasm`).
// Usage: node scripts/build-lab.mjs [--outdir DIR] [--no-minify]
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Files copied next to the bundle: [source relative to the repo, target relative to outdir]. */
const STATIC = [
  ['lab/index.html', 'index.html'],
  ['lab/styles.css', 'styles.css'],
  ['data/images/camera.png', 'assets/camera.png'],
  ['data/images/chelsea.png', 'assets/chelsea.png'],
  ['data/digits/digits.npy', 'assets/digits.npy'],
  ['data/digits/target.npy', 'assets/digits-target.npy'],
];

/**
 * Build the Lab.
 * @param {{ outdir?: string, minify?: boolean, quiet?: boolean }} [options]
 * @returns {Promise<{ outdir: string, files: { path: string, bytes: number }[] }>}
 */
export async function buildLab(options = {}) {
  const outdir = resolve(options.outdir ?? join(ROOT, 'dist', 'lab'));
  const generated = join(ROOT, 'src', 'kernels', 'generated');
  if (!existsSync(generated)) throw new Error(`missing ${generated}: run 'npm run build:wasm' first`);
  const esbuild = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(join(outdir, 'assets'), { recursive: true });
  // The page's bundle and the worker's: browser ESM, minified, with linked source maps.
  const browser = {
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: options.minify ?? true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: options.quiet ? 'silent' : 'warning',
    metafile: true,
  };
  const result = await esbuild.build({
    entryPoints: [join(ROOT, 'lab', 'main.ts')],
    outfile: join(outdir, 'lab.js'),
    ...browser,
  });
  // The compute worker (lab/worker.ts): an entry generated here that imports every
  // lab/instruments/*-jobs.ts module and serves their `jobs` tables.
  const jobFiles = readdirSync(join(ROOT, 'lab', 'instruments')).filter((f) => f.endsWith('-jobs.ts')).sort();
  const entry = [
    "import { serveJobs } from './lab/worker.ts';",
    ...jobFiles.map((f, i) => `import { jobs as j${i} } from './lab/instruments/${f}';`),
    `serveJobs({ ${jobFiles.map((_, i) => `...j${i}`).join(', ')} });`,
  ].join('\n');
  const workerResult = await esbuild.build({
    stdin: { contents: entry, resolveDir: ROOT, sourcefile: 'lab-worker-entry.ts', loader: 'ts' },
    outfile: join(outdir, 'worker.js'),
    ...browser,
  });
  const imports = [result, workerResult].flatMap((r) => Object.values(r.metafile.outputs)).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  if (imports.length > 0) throw new Error(`the Lab bundle must not import anything at run time: ${imports.join(', ')}`);
  for (const [from, to] of STATIC) {
    const src = join(ROOT, from);
    if (!existsSync(src)) {
      if (from.startsWith('lab/')) throw new Error(`missing ${from}`);
      if (!options.quiet) console.warn(`build-lab: ${from} not found; the instrument using it falls back to built-in data`);
      continue;
    }
    copyFileSync(src, join(outdir, to));
  }
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push({ path: p.slice(outdir.length + 1), bytes: statSync(p).size });
    }
  };
  walk(outdir);
  return { outdir, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--outdir');
  const { outdir, files } = await buildLab({ outdir: at >= 0 ? args[at + 1] : undefined, minify: !args.includes('--no-minify') });
  const total = files.reduce((a, f) => a + f.bytes, 0);
  console.log(`lab built in ${outdir}: ${files.length} files, ${(total / 1024).toFixed(0)} KiB (lab.js ${(files.find((f) => f.path === 'lab.js').bytes / 1024).toFixed(0)} KiB)`);
}
