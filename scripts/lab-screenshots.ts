// Screenshots of the Lab's instruments for the README: builds the Lab into a temporary
// directory, serves it, opens each instrument in Debian's chromium (playwright-core, never
// a downloaded browser) at 1180 x 760, waits until it has drawn its result and saves the
// first 760 px of the instrument as docs/lab/<id>.png.
// Usage: npx tsx scripts/lab-screenshots.ts [id ...]
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startLabServer } from '../src/cli/lab-server.js';
import { buildLab } from './build-lab.mjs';

const ALL = ['ratings', 'scree', 'nmf', 'compress', 'pca', 'tensor-train'];
const ids = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ALL;
const out = join(process.cwd(), 'docs', 'lab');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'lowrank-lab-shots-'));
await buildLab({ outdir: dir, quiet: true });
const server = await startLabServer({ root: dir });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  for (const id of ids) {
    // Tall enough for the clip below without playwright's fullPage capture, which is taken
    // before pictures drawn off the main thread (OffscreenCanvas, ImageBitmaps) are composited.
    const page = await browser.newPage({ viewport: { width: 1180, height: 1100 }, deviceScaleFactor: 1 });
    await page.goto(`${server.url}#${id}`);
    await page.waitForSelector(`[data-instrument="${id}"][data-state="ready"] #instrument-${id}:not([data-busy="true"])`, { timeout: 60_000, state: 'attached' });
    await page.waitForTimeout(1500); // follow-up drawing (sweeps, later chart tasks)
    const box = (await page.locator(`#instrument-${id}`).boundingBox())!;
    const file = join(out, `${id}.png`);
    await page.screenshot({ path: file, clip: { x: 0, y: Math.max(0, box.y - 8), width: 1180, height: Math.min(760, box.height + 16) } });
    console.log(`${file}: ${(statSync(file).size / 1024).toFixed(0)} KiB`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
