// The Lab end to end in real Chromium (Debian's /usr/bin/chromium via playwright-core):
// each instrument loads without console errors, its controls move by keyboard and by
// value, and the numbers respond as the mathematics says. Screenshots are saved to
// test-artifacts/lab/. Skipped where chromium is not installed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { parseNpy } from '../../src/browser.js';
import { keys, noOverflow, openDataTable, openInstrument, openLab, screenshot, setValue, settled, showInstrument, skipReason, stat, type LabSession } from './harness.js';

const skip = skipReason();
let session: LabSession | undefined;
// One page for all the tests (loading the kernels once); each test shows its instrument
// and checks the errors logged since it started.
let page: Page;
let errors: string[] = [];

before(async () => {
  if (skip) return;
  session = await openLab();
  ({ page, errors } = await openInstrument(session, 'ratings'));
});
after(async () => {
  await session?.close();
});

async function show(id: string): Promise<{ page: Page; errors: string[] }> {
  await showInstrument(page, errors, id);
  return { page, errors };
}

const close = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol;

test('lab: low-rank ratings (RMSE falls with steps; k past the planted rank overfits)', { skip }, async () => {
  await show('ratings');
  const id = 'ratings';
  const settled = (): Promise<unknown> => page.waitForSelector(`#instrument-${id}[data-busy="false"]`);
  assert.match((await page.textContent('#backend')) ?? '', /kernels: wasm/);
  await settled();
  await keys(page, id, 'steps', 'Home');
  await settled();
  const r0 = await stat(page, id, 'train-rmse');
  await keys(page, id, 'steps', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight');
  await settled();
  assert.equal(Number(await page.inputValue(`[data-instrument="${id}"] [data-control="steps"]`)), 50);
  const r50 = await stat(page, id, 'train-rmse');
  await keys(page, id, 'steps', 'End');
  await settled();
  const r2000 = await stat(page, id, 'train-rmse');
  assert.ok(r0 > r50 && r50 > r2000, `train RMSE must fall with steps: ${r0} ${r50} ${r2000}`);
  const h2 = await stat(page, id, 'heldout-rmse');
  assert.equal(await stat(page, id, 'params'), 2 * (16 + 12));
  // The RMSE-against-k chart: one point per k for train and held-out, k = 2 highlighted.
  const kChart = `[data-instrument="${id}"] [data-figure="rmse-k"]`;
  assert.equal(await page.$$eval(`${kChart} circle.dot`, (c) => c.length), 16);
  assert.equal(await page.$$eval(`${kChart} circle.current`, (c) => c.length), 2);
  await screenshot(page, 'ratings-k2');
  await keys(page, id, 'k', 'End');
  await settled();
  const t8 = await stat(page, id, 'train-rmse');
  const h8 = await stat(page, id, 'heldout-rmse');
  assert.equal(await stat(page, id, 'params'), 8 * (16 + 12));
  assert.ok(t8 < r2000, `train RMSE keeps falling with k: ${t8} vs ${r2000}`);
  assert.ok(h8 > 1.2 * h2, `held-out RMSE rises past the planted rank: k=8 ${h8} vs k=2 ${h2}`);
  const predicted = await page.$$eval(`[data-instrument="${id}"] [data-grid="reconstruction"] td.predicted`, (tds) => tds.map((t) => [t.querySelector('.v')?.textContent, t.textContent]));
  assert.ok(predicted.length > 0 && predicted.every(([v, all]) => /^\d\.\d$/.test(v ?? '') && all === `predicted ${v}`), 'blank cells show predictions, announced as predicted');
  await screenshot(page, 'ratings-k8-overfit');
  // Reveal the hidden ratings, then the error of every cell (prediction - truth).
  await page.selectOption(`[data-instrument="${id}"] [data-control="show"]`, 'truth');
  assert.equal(await page.$$eval(`[data-instrument="${id}"] [data-grid="truth"] td .v`, (t) => t.length), 192);
  await page.selectOption(`[data-instrument="${id}"] [data-control="show"]`, 'error');
  const errs = await page.$$eval(`[data-instrument="${id}"] [data-grid="error"] td .v`, (t) => t.map((x) => Number((x.textContent ?? '').replace('−', '-'))));
  assert.equal(errs.length, 192);
  const rms = Math.sqrt(errs.reduce((a, e) => a + e * e, 0) / 192);
  assert.ok(rms > 0 && rms < 2, `per-cell errors look like RMSEs: ${rms}`);
  // Play runs the steps to the end.
  await setValue(page, id, 'steps', 1800);
  await settled();
  await page.click(`[data-instrument="${id}"] button[data-action="play"]`);
  await page.waitForFunction(() => (document.querySelector('[data-instrument="ratings"] [data-control="steps"]') as HTMLInputElement).value === '2000' && document.querySelector('[data-instrument="ratings"] [data-action="play"]')?.getAttribute('aria-pressed') === 'false');
  await settled();
  assert.ok(close(await stat(page, id, 'train-rmse'), t8, 1e-12), 'played to 2000 steps: the same fit');
  assert.deepEqual(errors, []);
});

test('lab: scree and energy (energy rises with k; error = Eckart-Young; log axis; storage marker; your file: labels, quotes, zeros, twice)', { skip }, async () => {
  await show('scree');
  const id = 'scree';
  const root = `[data-instrument="${id}"]`;
  const settled = (): Promise<unknown> => page.waitForSelector(`#instrument-${id}[data-busy="false"]`);
  await settled();
  await keys(page, id, 'k', 'Home');
  await settled();
  let prev = -1;
  for (let k = 1; k <= 8; k++) {
    const e = await stat(page, id, 'energy');
    const err = await stat(page, id, 'rel-error');
    const ey = await stat(page, id, 'eckart-young');
    assert.ok(e > prev, `energy rises with k: k=${k} ${e} after ${prev}`);
    assert.ok(close(err, ey, 1e-9), `measured error ${err} = Eckart-Young ${ey} at k=${k}`);
    assert.ok(close(e + err * err, 1, 1e-9), `energy + error^2 = 1 at k=${k}`);
    assert.ok(close(await stat(page, id, 'storage'), (k * (60 + 40 + 1)) / (60 * 40), 1e-12));
    prev = e;
    await page.keyboard.press('ArrowRight');
    await settled();
  }
  await keys(page, id, 'k', 'End');
  await settled();
  assert.ok(close(await stat(page, id, 'energy'), 1, 1e-12));
  assert.ok((await stat(page, id, 'rel-error')) < 1e-12);
  // Tick numbers on both axes, and the rank where storage passes 100% (60*40/101 = 23.8) marked.
  assert.ok((await page.$$(`${root} [data-figure="scree"] .x-tick`)).length >= 3);
  assert.ok((await page.$$(`${root} [data-figure="scree"] .y-tick`)).length >= 3);
  assert.match((await page.textContent(`${root} [data-figure="scree"] svg`)) ?? '', /storage 100%/);
  await setValue(page, id, 'k', 3);
  await settled();
  const fast3 = await stat(page, id, 'energy');
  await page.selectOption(`${root} [data-control="source"]`, 'slow');
  await settled();
  const slow3 = await stat(page, id, 'energy');
  assert.ok(slow3 < fast3 - 0.3, `slow decay keeps less energy at k=3: ${slow3} vs ${fast3}`);
  await screenshot(page, 'scree-slow');
  await page.selectOption(`${root} [data-control="source"]`, 'picture');
  await page.waitForFunction(() => document.querySelector('[data-instrument="scree"] [data-stat="source"]')?.textContent?.includes('cameraman'));
  await settled();
  await setValue(page, id, 'k', 10);
  await settled();
  const photo10 = await stat(page, id, 'energy');
  await setValue(page, id, 'k', 30);
  await settled();
  assert.ok((await stat(page, id, 'energy')) > photo10 && photo10 > 0.9, 'a photo keeps most energy in few components');
  assert.ok(close(await stat(page, id, 'rel-error'), await stat(page, id, 'eckart-young'), 1e-9));
  // The log scale: the photo's small shares become visible (tick labels in powers of ten).
  await page.check(`${root} [data-control="log"]`);
  await page.waitForFunction(() => /log scale/.test(document.querySelector('[data-instrument="scree"] [data-figure="scree"] svg')?.textContent ?? ''));
  await screenshot(page, 'scree-photo-log');
  await page.uncheck(`${root} [data-control="log"]`);
  // A user's matrix with a label column, a header and quoted numbers: rank 2 exactly, so k = 2 keeps all the energy.
  const csv = 'name,a,b,c,d\nr1,1,2,3,4\n"r2, two","2","4","6","8"\nr3,0,1,0,1\nr4,1,3,3,5\n';
  const file = `${root} [data-control="matrix-file"]`;
  await page.setInputFiles(file, { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => document.querySelector('[data-instrument="scree"] [data-stat="source"]')?.textContent?.includes('mine.csv, 4 × 4'));
  await settled();
  assert.equal(await page.inputValue(`${root} [data-control="source"]`), 'file');
  assert.match((await page.textContent(`${root} [data-control="source"] option[value="file"]`)) ?? '', /your file: mine\.csv/);
  assert.equal(await page.inputValue(file), '', 'the file input is cleared so the same file can be chosen again');
  await setValue(page, id, 'k', 2);
  await settled();
  assert.ok(close(await stat(page, id, 'energy'), 1, 1e-12));
  assert.equal(await page.getAttribute(`${root} [data-control="k"]`, 'max'), '4');
  await screenshot(page, 'scree-csv');
  // Away and back through the menu: the file's data comes back.
  await page.selectOption(`${root} [data-control="source"]`, 'flat');
  await settled();
  await page.selectOption(`${root} [data-control="source"]`, 'file');
  await settled();
  assert.match((await page.textContent(`${root} [data-stat="source"]`)) ?? '', /mine\.csv/);
  // The same file again after another source: it is read again (the menu shows it).
  await page.selectOption(`${root} [data-control="source"]`, 'slow');
  await settled();
  await page.setInputFiles(file, { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => (document.querySelector('[data-instrument="scree"] [data-control="source"]') as HTMLSelectElement).value === 'file');
  await settled();
  assert.match((await page.textContent(`${root} [data-stat="source"]`)) ?? '', /mine\.csv/);
  // An all-zero matrix says so instead of "energy retained 100%".
  await page.setInputFiles(file, { name: 'zeros.csv', mimeType: 'text/csv', buffer: Buffer.from('0,0,0\n0,0,0\n') });
  await page.waitForSelector(`${root} [data-stat="zero"]`);
  assert.match((await page.textContent(`${root} [data-stat="summary"]`)) ?? '', /all zeros/);
  assert.equal(await page.textContent(`${root} [data-stat="energy"]`), '—');
  // A bad file leaves the menu and the data as they were and says why.
  await page.setInputFiles(file, { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('1,2\n3,x\n') });
  await page.waitForFunction(() => /bad\.csv.*line 2/.test(document.querySelector('[data-instrument="scree"] [role="alert"]')?.textContent ?? ''));
  assert.match((await page.textContent(`${root} [data-control="source"] option[value="file"]`)) ?? '', /zeros\.csv/);
  assert.deepEqual(errors, []);
});

test('lab: NMF parts (iteration 0 is the start; entries stay >= 0; fixed loss axis; flags past the true k; SVD beside; play)', { skip }, async () => {
  await show('nmf');
  const id = 'nmf';
  const root = `[data-instrument="${id}"]`;
  await settled(page, id);
  const xTicks = (): Promise<string[]> => page.$$eval(`${root} [data-figure="loss"] .x-tick`, (t) => t.map((e) => e.textContent ?? ''));
  await setValue(page, id, 'iterations', 0);
  await settled(page, id);
  const e0 = await stat(page, id, 'rel-error');
  assert.ok(e0 > 0.5, `iteration 0 is the random start: error ${e0}`);
  const ticks0 = await xTicks();
  assert.equal(ticks0.at(-1), '400', 'the loss axis runs to the last iteration from the start');
  const errs: number[] = [e0];
  for (const it of [5, 30, 120, 400]) {
    await setValue(page, id, 'iterations', it);
    await settled(page, id);
    assert.equal(await stat(page, id, 'nonnegative'), 1, `all entries >= 0 after ${it} iterations`);
    assert.ok((await stat(page, id, 'min-entry')) >= 0);
    errs.push(await stat(page, id, 'rel-error'));
    assert.deepEqual(await xTicks(), ticks0, 'the loss chart keeps its axis');
  }
  for (let i = 1; i < errs.length; i++) assert.ok(errs[i]! < errs[i - 1]!, `error falls with iterations: ${errs.join(' ')}`);
  assert.ok(errs.at(-1)! < 0.01, `k = 5 fits the glyphs: ${errs.at(-1)}`);
  assert.ok((await stat(page, id, 'recovery')) > 0.99, 'the true k gives clean strokes');
  assert.equal((await page.$$(`${root} [data-tile="part"]`)).length, 5);
  assert.equal((await page.$$(`${root} [data-flag]:not([data-flag="ok"])`)).length, 0, 'no part flagged at the true k');
  // The images' text equivalents give what they show and the numbers.
  assert.match((await page.getAttribute(`${root} [data-tiles="parts"]`, 'aria-label')) ?? '', /^5 NMF parts \(columns of W\) as 12 by 12 images, white 0 to black [\d.]+, after \d+ iterations: relative error [\d.]+%; no part flagged$/);
  assert.match((await page.getAttribute(`${root} [data-tiles="svd"]`, 'aria-label')) ?? '', /^SVD components u1 to u5 .* error at rank 5 0 \(exact\)$/);
  assert.match((await page.getAttribute(`${root} [data-tiles="reconstructions"]`, 'aria-label')) ?? '', /^their reconstructions WH with 5 parts after \d+ iterations: relative error [\d.]+% over all \d+ glyphs$/);
  // The SVD's components beside: as many, signed, and exact at rank 5.
  assert.equal((await page.$$(`${root} [data-tile="svd"]`)).length, 5);
  assert.ok((await stat(page, id, 'svd-negative')) > 0.05);
  assert.ok((await stat(page, id, 'svd-error')) < 1e-9);
  // H: one 8-pixel row per part.
  assert.equal(await page.$eval(`${root} [data-canvas="weights"]`, (c) => (c as HTMLCanvasElement).height), 5 * 8);
  await screenshot(page, 'nmf-k5');
  // Too many parts: some are flagged (empty, duplicate or not one stroke).
  await keys(page, id, 'k', 'End');
  await settled(page, id);
  assert.equal((await page.$$(`${root} [data-tile="part"]`)).length, 8);
  assert.ok((await page.$$(`${root} [data-flag]:not([data-flag="ok"])`)).length >= 1, 'k = 8 > 5 strokes: flagged parts');
  assert.match((await page.textContent(`${root} [data-stat="flags"]`)) ?? '', /Flagged/);
  await screenshot(page, 'nmf-k8-flags');
  await setValue(page, id, 'k', 3); // too few parts
  await settled(page, id);
  assert.equal((await page.$$(`${root} [data-tile="part"]`)).length, 3);
  assert.ok((await stat(page, id, 'rel-error')) > 0.1, 'three parts cannot build five strokes');
  assert.ok((await stat(page, id, 'svd-error')) <= (await stat(page, id, 'rel-error')) + 1e-12, 'Eckart-Young: the SVD is at least as close');
  await page.selectOption(`${root} [data-control="solver"]`, 'cd');
  await settled(page, id);
  assert.equal(await stat(page, id, 'nonnegative'), 1);
  // Play runs the iterations forward; pressing again pauses.
  await setValue(page, id, 'iterations', 0);
  await settled(page, id);
  await page.click(`${root} button[data-action="play"]`);
  assert.equal(await page.getAttribute(`${root} button[data-action="play"]`, 'aria-pressed'), 'true');
  await page.waitForFunction((r) => Number((document.querySelector(`${r} [data-control="iterations"]`) as HTMLInputElement).value) >= 20, root);
  await page.click(`${root} button[data-action="play"]`);
  assert.equal(await page.getAttribute(`${root} button[data-action="play"]`, 'aria-pressed'), 'false');
  await settled(page, id);
  // The chart's data table lists the loss at every iteration.
  await openDataTable(page, `${root} [data-figure="loss"]`);
  assert.equal(await page.$$eval(`${root} [data-figure="loss"] details.chart-data tbody tr`, (r) => r.length), 401);
  // Leave the defaults for the tests that follow.
  await page.click(`${root} button[data-action="reset"]`);
  await settled(page, id);
  assert.deepEqual(errors, []);
});

test('lab: image compression (error falls with k; size k(h+w+1); residual; break-even marked; lossless; dropped photo)', { skip }, async () => {
  await show('compress');
  const id = 'compress';
  const root = `[data-instrument="${id}"]`;
  await page.waitForSelector(`#instrument-${id}[data-ready="true"]`);
  const rows: { e: number; p: number; s: number }[] = [];
  for (const k of [1, 5, 20, 60]) {
    await setValue(page, id, 'k', k);
    await settled(page, id);
    rows.push({ e: await stat(page, id, 'rel-error'), p: await stat(page, id, 'psnr'), s: await stat(page, id, 'size') });
  }
  for (let i = 1; i < rows.length; i++) {
    assert.ok(rows[i]!.e < rows[i - 1]!.e, 'error falls with k');
    assert.ok(rows[i]!.p > rows[i - 1]!.p, 'PSNR rises with k');
  }
  assert.ok(close(rows[1]!.s / rows[0]!.s, 5, 1e-9), 'size is linear in k');
  assert.ok(close(rows[0]!.s, (512 + 512 + 1) / (512 * 512), 1e-12), 'camera at its 512x512, gray: k(h+w+1)/(hw)');
  // The pictures are drawn at the photo's size and scaled to the column (two a row here); the
  // curve marks k and the break-even rank 262144/1025 -> 256.
  for (const c of ['original', 'compressed', 'residual']) {
    const [w, h, shown] = await page.$eval(`${root} [data-canvas="${c}"]`, (el) => [(el as HTMLCanvasElement).width, (el as HTMLCanvasElement).height, el.getBoundingClientRect().width]);
    assert.deepEqual([w, h], [512, 512], `${c} at the photo's size`);
    assert.ok(shown >= 300 && shown <= 520, `${c} shown ${shown.toFixed(0)} px wide`);
  }
  // Each picture's text equivalent gives its numbers.
  const alt = (c: string): Promise<string> => page.$eval(`${root} [data-canvas="${c}"]`, (el) => el.getAttribute('aria-label') ?? '');
  assert.match(await alt('original'), /^original picture: camera\.png, 512 × 512 pixels, gray$/);
  assert.match(await alt('compressed'), /^rank-60 picture of camera\.png, 512 × 512 pixels: relative error \d+\.\d+%, PSNR [\d.]+ dB, 61,500 numbers kept \(23\.5% of the pixels\)$/);
  assert.match(await alt('residual'), /^residual at rank 60, original minus rank-60 picture .* root mean square 0\.0\d+ of the 0\.\.1 range$/);
  const labels = await page.$$eval(`${root} [data-figure="curve"] .marker-label`, (t) => t.map((e) => e.textContent));
  assert.ok(labels.includes('k = 60') && labels.includes('break-even k = 256'), `markers: ${labels}`);
  await keys(page, id, 'k', 'End');
  await settled(page, id);
  assert.ok((await stat(page, id, 'rel-error')) < 1e-6, 'full rank reproduces the picture');
  assert.equal((await page.textContent(`${root} [data-stat="psnr"]`))?.trim(), 'lossless');
  await setValue(page, id, 'k', 20);
  await settled(page, id);
  assert.match((await page.textContent(`${root} [data-stat="psnr"]`)) ?? '', /dB$/);
  await screenshot(page, 'compress-camera-k20');
  await page.selectOption(`${root} [data-control="picture"]`, 'chelsea');
  await page.waitForFunction(() => document.querySelector('[data-instrument="compress"] [data-stat="image"]')?.textContent?.includes('chelsea'));
  await settled(page, id);
  assert.match((await page.textContent(`${root} [data-stat="image"]`)) ?? '', /RGB/);
  await screenshot(page, 'compress-chelsea-k20');
  const png = readFileSync(new URL('../../data/images/camera.png', import.meta.url));
  for (const name of ['my-photo.png', 'my-photo.png']) {
    // The same file twice: both load (the input is cleared after each).
    await page.selectOption(`${root} [data-control="picture"]`, 'synthetic');
    await settled(page, id);
    await page.setInputFiles(`${root} [data-control="image-file"]`, { name, mimeType: 'image/png', buffer: png });
    await page.waitForFunction(() => document.querySelector('[data-instrument="compress"] [data-stat="image"]')?.textContent?.includes('my-photo.png'));
    await settled(page, id);
    assert.equal(await page.inputValue(`${root} [data-control="picture"]`), 'file', 'the menu says "your file"');
  }
  assert.ok((await stat(page, id, 'rel-error')) > 0);
  // Leave the defaults for the tests that follow.
  await page.click(`${root} button[data-action="reset"]`);
  await settled(page, id);
  assert.deepEqual(errors, []);
});

test('lab: PCA explorer on digits (ratios match scikit-learn; equal aspect; tooltips; x and y differ; variance axis)', { skip }, async () => {
  await show('pca');
  const id = 'pca';
  const root = `[data-instrument="${id}"]`;
  // The PCA runs in the worker while the instrument mounts; a failure to load says why in the note.
  await settled(page, id);
  assert.equal((await page.textContent(`${root} .lab-side .note`))?.trim() ?? '', '', 'the digits loaded');
  const r1 = await stat(page, id, 'x-ratio');
  const r2 = await stat(page, id, 'y-ratio');
  // scikit-learn 1.x: PCA().fit(load_digits().data).explained_variance_ratio_[:2]
  assert.ok(close(r1, 0.14890593584063852, 1e-9), `component 1: ${r1}`);
  assert.ok(close(r2, 0.13618771239635444, 1e-9), `component 2: ${r2}`);
  assert.ok(close(await stat(page, id, 'total'), 1, 1e-12));
  await setValue(page, id, 'k', 2);
  assert.ok(close(await stat(page, id, 'cumulative'), r1 + r2, 1e-12), 'cumulative = sum of the first k ratios');
  let prev = 0;
  await keys(page, id, 'k', 'Home');
  for (let k = 1; k <= 12; k++) {
    const c = await stat(page, id, 'cumulative');
    assert.ok(c > prev, 'cumulative rises with k');
    prev = c;
    await page.keyboard.press('ArrowRight');
  }
  await keys(page, id, 'k', 'End');
  assert.ok(close(await stat(page, id, 'cumulative'), 1, 1e-12));
  // Equal aspect: a unit is as many pixels on x as on y (from the tick labels' positions).
  const unit = await page.$eval(`${root} [data-figure="scatter"] svg`, (svgEl) =>
    (['x', 'y'] as const).map((coord) => {
      const t = Array.from(svgEl.querySelectorAll(`.${coord}-tick`)).map((e) => [Number(e.textContent!.replace('−', '-')), Number(e.getAttribute(coord))]);
      return Math.abs((t[t.length - 1]![1]! - t[0]![1]!) / (t[t.length - 1]![0]! - t[0]![0]!));
    }),
  );
  assert.ok(Math.abs(unit[0]! / unit[1]! - 1) < 0.01, `pixels per unit x ${unit[0]} vs y ${unit[1]}`);
  // The points are painted on a canvas over the plot area; hovering one shows its digit, index
  // and scores. Hover a grid of positions until tooltips appear, and check each names the
  // true digit of its sample and scores next to the pointer (read through the tick labels).
  assert.equal(await page.getAttribute(`${root} [data-figure="scatter"] canvas.chart-points`, 'data-points'), '1797');
  const box = (await page.locator(`${root} [data-figure="scatter"] canvas.chart-points`).boundingBox())!;
  const ticks = await page.$eval(`${root} [data-figure="scatter"] svg`, (svgEl) => {
    const r = svgEl.getBoundingClientRect();
    const k = r.width / Number(svgEl.getAttribute('viewBox')!.split(' ')[2]);
    return (['x', 'y'] as const).map((coord) => {
      const t = Array.from(svgEl.querySelectorAll(`.${coord}-tick`)).map((e) => [Number(e.textContent!.replace('−', '-')), (coord === 'x' ? r.left : r.top) + k * Number(e.getAttribute(coord)) - (coord === 'y' ? 4 * k : 0)] as const);
      const [a, b] = [t[0]!, t[t.length - 1]!];
      return { v0: a[0], p0: a[1], perPx: (b[0] - a[0]) / (b[1] - a[1]) };
    });
  });
  const digits = Array.from(parseNpy(new Uint8Array(readFileSync(new URL('../../data/digits/target.npy', import.meta.url))), 'target.npy').matrix.toFlat());
  let hits = 0;
  for (let gx = 0.1; gx < 1; gx += 0.1) {
    for (let gy = 0.1; gy < 1; gy += 0.1) {
      const mx = box.x + gx * box.width, my = box.y + gy * box.height;
      await page.mouse.move(mx, my);
      const tip = page.locator(`${root} [data-figure="scatter"] [data-tooltip]`);
      if (!(await tip.isVisible())) continue;
      const m = /^digit (\d), sample #(\d+): \((-?[\d.]+), (-?[\d.]+)\)$/.exec((await tip.textContent()) ?? '');
      assert.ok(m, `tooltip text: ${await tip.textContent()}`);
      assert.equal(Number(m[1]), digits[Number(m[2])], `the digit of sample #${m[2]}`);
      // Within the 8 px hit radius (plus a pixel of rounding) of the pointer, in data units.
      const [tx, ty] = ticks as [{ v0: number; p0: number; perPx: number }, { v0: number; p0: number; perPx: number }];
      const dx = (Number(m[3]) - (tx.v0 + (mx - tx.p0) * tx.perPx)) / tx.perPx, dy = (Number(m[4]) - (ty.v0 + (my - ty.p0) * ty.perPx)) / ty.perPx;
      assert.ok(Math.hypot(dx, dy) <= 9.5, `sample #${m[2]} is ${Math.hypot(dx, dy).toFixed(1)} px from the pointer`);
      hits++;
    }
  }
  assert.ok(hits >= 10, `tooltips on hovering the points (${hits} of 81 positions)`);
  await page.mouse.move(box.x - 30, box.y - 30);
  assert.equal(await page.locator(`${root} [data-figure="scatter"] [data-tooltip]`).isVisible(), false, 'the tooltip goes when the pointer leaves');
  // x and y are never the same component: choosing y's component for x swaps them.
  await page.selectOption(`${root} [data-control="x"]`, '1');
  assert.equal(await page.inputValue(`${root} [data-control="y"]`), '0');
  assert.ok(close(await stat(page, id, 'x-ratio'), r2, 1e-12));
  await page.selectOption(`${root} [data-control="x"]`, '2');
  const r3 = await stat(page, id, 'x-ratio');
  assert.ok(r3 < r2 && r3 > 0, 'ratios descend');
  assert.match(await page.$eval(`${root} [data-figure="variance"] svg`, (s) => s.getAttribute('aria-label') ?? ''), /explained variance/);
  assert.ok((await page.$$(`${root} [data-figure="components"] .chart-colorbar`)).length === 1, 'a colour scale for the component images');
  assert.equal((await page.$$(`${root} [data-figure="components"] canvas`)).length, 2);
  assert.match((await page.getAttribute(`${root} [data-tile="component-3"]`, 'aria-label')) ?? '', /^x axis: component 3 as an 8 by 8 image, [\d.]+% of the variance; pixel weights from -0\.\d+ \(blue\) to 0\.\d+ \(red\), white 0$/);
  await screenshot(page, 'pca-digits');
  // Leave the defaults for the tests that follow.
  await page.click(`${root} button[data-action="reset"]`);
  await settled(page, id);
  assert.deepEqual(errors, []);
});

test('lab: tensor train (eps moves the ranks; error <= eps; storage sum r n r; sin rank 2, random full; Reset; state in the URL)', { skip }, async () => {
  await show('tensor-train');
  const id = 'tensor-train';
  const root = `[data-instrument="${id}"]`;
  const settled = (): Promise<unknown> => page.waitForSelector(`#instrument-${id}[data-busy="false"]`);
  const ranks = async (): Promise<number[]> => ((await page.getAttribute(`${root} [data-stat="ranks"]`, 'data-value')) ?? '').split(',').map(Number);
  await settled();
  assert.ok((await page.$$(`${root} math`).then((m) => m.length)) >= 8, 'the equations are MathML');
  assert.equal(await page.textContent(`${root} button[data-action="reset"]`), 'Reset');

  // The default: 1/(1 + x1 + ... + x5) on a 12^5 grid. Moving eps by keyboard moves the ranks.
  assert.equal(await stat(page, id, 'size'), 12 ** 5);
  await keys(page, id, 'log-eps', 'End');
  await settled();
  const loose = await ranks();
  await keys(page, id, 'log-eps', 'Home');
  await settled();
  const tight = await ranks();
  assert.equal(await stat(page, id, 'eps'), 1e-12);
  assert.ok(tight.slice(1, -1).every((r, k) => r > loose[k + 1]!), `ranks grow as eps falls: ${loose} -> ${tight}`);
  await page.keyboard.press('ArrowRight');
  await settled();
  assert.ok(close(await stat(page, id, 'eps'), 10 ** -11.5, 1e-20), 'one arrow is half a decade');
  for (const e of [-12, -9, -6, -3, -1]) {
    await setValue(page, id, 'log-eps', e);
    await settled();
    const r = await ranks();
    const err = await stat(page, id, 'rel-error');
    assert.ok(err <= 10 ** e && err > 0, `measured error ${err} <= eps 1e${e}`);
    let params = 0;
    for (let k = 0; k < 5; k++) params += r[k]! * 12 * r[k + 1]!;
    assert.equal(await stat(page, id, 'params'), params, `sum r_(k-1) n r_k for ranks ${r}`);
    assert.ok(close(await stat(page, id, 'compression'), 12 ** 5 / params, 1e-9));
  }
  await setValue(page, id, 'log-eps', -6);
  await settled();
  await page.waitForFunction(() => document.querySelector('[data-instrument="tensor-train"] [data-figure="sweep"] .tt-chart')?.getAttribute('data-points') === '12');
  // The charts are lab/charts.ts charts: a legend and a data table each; the measured error stays under the bound.
  for (const f of ['ranks', 'sweep', 'entropy']) {
    assert.ok((await page.$$(`${root} [data-figure="${f}"] .chart-legend li`)).length >= 2, `${f}: a legend`);
    assert.equal((await page.$$(`${root} [data-figure="${f}"] details.chart-data`)).length, 1, `${f}: a data table`);
  }
  await openDataTable(page, `${root} [data-figure="sweep"]`);
  const sweepRows = await page.$$eval(`${root} [data-figure="sweep"] details.chart-data tbody tr`, (rows) => rows.map((r) => Array.from(r.children, (c) => c.textContent ?? '')));
  assert.equal(sweepRows.length, 12);
  // Rows for ε = 10⁻¹² .. 10⁻¹ in order.
  sweepRows.forEach(([e, err], i) => assert.ok(Number(err) <= 10 ** (-12 + i), `error ${err} at ε = ${e}`));
  await page.waitForFunction(() => /^#tensor-train\?source=hilbert&d=5&log-eps=-6$/.test(location.hash));

  // sin(x1 + ... + xd): rank 2 at every bond for every d; the random tensor: full ranks, no saving.
  await page.selectOption(`${root} [data-control="source"]`, 'sin');
  for (const d of [4, 5, 6]) {
    await setValue(page, id, 'd', d);
    await settled();
    assert.deepEqual(await ranks(), [1, ...new Array(d - 1).fill(2), 1], `sin, d = ${d}`);
  }
  // Its entropy across every bond (computed after the view, on a later task): two terms, at most 1 bit.
  await page.waitForFunction(() => document.querySelector('[data-instrument="tensor-train"] [data-stat="entropy"]')?.getAttribute('data-value') !== '');
  const entropy = ((await page.getAttribute(`${root} [data-stat="entropy"]`, 'data-value')) ?? '').split(',').map(Number);
  assert.equal(entropy.length, 5);
  assert.ok(entropy.every((v) => v > 0.01 && v <= 1 + 1e-9), `sin: ${entropy}`);
  await page.selectOption(`${root} [data-control="source"]`, 'random');
  await setValue(page, id, 'log-eps', -12);
  await settled();
  assert.deepEqual(await ranks(), [1, 8, 64, 64, 8, 1]);
  assert.ok((await stat(page, id, 'compression')) < 1, 'the random tensor does not compress');
  // The quantics chirp: d is L, 12..16.
  await page.selectOption(`${root} [data-control="source"]`, 'chirp');
  await settled();
  assert.equal(await page.getAttribute(`${root} [data-control="d"]`, 'min'), '12');
  assert.equal(await page.inputValue(`${root} [data-control="d"]`), '14');
  assert.equal(await stat(page, id, 'size'), 2 ** 14);
  assert.ok(Math.max(...(await ranks())) <= 16);
  assert.equal(await page.isVisible(`${root} [data-figure="signal"]`), true);

  // Reset restores the defaults.
  await page.click(`${root} button[data-action="reset"]`);
  await settled();
  assert.equal(await page.inputValue(`${root} [data-control="source"]`), 'hilbert');
  assert.equal(await page.inputValue(`${root} [data-control="d"]`), '5');
  assert.equal(await page.inputValue(`${root} [data-control="log-eps"]`), '-6');
  assert.equal(await page.isVisible(`${root} [data-figure="signal"]`), false);

  // Screenshots at a laptop's and a phone's size; on the phone the rank chart sits right under the controls.
  await page.waitForFunction(() => document.querySelector('[data-instrument="tensor-train"] [data-figure="sweep"] .tt-chart')?.getAttribute('data-points') === '12');
  await page.setViewportSize({ width: 1366, height: 768 });
  await screenshot(page, 'tensor-train-1366x768');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(100);
  await noOverflow(page);
  const gap = await page.evaluate(() => {
    const c = document.querySelector('[data-instrument="tensor-train"] [data-control="source"]')!.getBoundingClientRect();
    const p = document.querySelector('[data-instrument="tensor-train"] [data-figure="ranks"] svg')!.getBoundingClientRect();
    return p.top - c.top;
  });
  assert.ok(gap > 0 && gap < 400, `rank chart ${gap}px below the first control`);
  await screenshot(page, 'tensor-train-390x844');
  assert.deepEqual(errors, []);

  // A link with settings opens the instrument in that state.
  const other = await session!.browser.newPage({ viewport: { width: 1366, height: 768 } });
  const otherErrors: string[] = [];
  other.on('pageerror', (e) => otherErrors.push(String(e)));
  other.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') otherErrors.push(m.text());
  });
  await other.goto(`${session!.url}#tensor-train?source=gauss&d=6&log-eps=-3`);
  await other.waitForSelector(`#instrument-${id}[data-busy="false"]`, { timeout: 30_000 });
  assert.equal(await other.inputValue(`${root} [data-control="source"]`), 'gauss');
  assert.equal(await other.inputValue(`${root} [data-control="d"]`), '6');
  assert.equal(await other.inputValue(`${root} [data-control="log-eps"]`), '-3');
  assert.equal(await other.getAttribute(`${root} [data-stat="ranks"]`, 'data-value'), '1,1,1,1,1,1,1');
  await other.close();
  assert.deepEqual(otherErrors, []);
});

test('lab: keyboard navigation between instruments and a narrow screen', { skip }, async () => {
  await show('ratings');
  await page.setViewportSize({ width: 375, height: 740 });
  await page.focus('[data-tab="ratings"]');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-instrument="scree"][data-state="ready"]');
  assert.match(await page.evaluate(() => location.hash), /^#scree(\?|$)/, 'the instrument shown, with its settings');
  assert.equal(await page.getAttribute('[data-tab="scree"]', 'aria-current'), 'page');
  for (const id of ['ratings', 'scree', 'nmf', 'compress', 'pca', 'tensor-train']) {
    await page.evaluate((h) => (location.hash = h), `#${id}`);
    await page.waitForSelector(`[data-instrument="${id}"][data-state="ready"]`);
    await noOverflow(page);
    await screenshot(page, `narrow-${id}`);
  }
  assert.deepEqual(errors, []);
});
