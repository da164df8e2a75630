/**
 * Shared set-up of the Lab's end-to-end tests: build the Lab once into a temporary
 * directory, serve it with the real Lab server, and drive Debian's chromium through
 * playwright-core (headless, no sandbox, no GPU, no background networking). Pages collect
 * console errors and uncaught exceptions so every test can assert there were none.
 * Screenshots go to test-artifacts/lab/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildLab } from '../../scripts/build-lab.mjs';
import { startLabServer, type LabServer } from '../../src/cli/lab-server.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'lab');

/** Why the e2e tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return 'chromium not installed (apt-get install chromium)';
  if (!existsSync(join(process.cwd(), 'src', 'kernels', 'generated'))) return 'WASM kernels not built (npm run build:wasm)';
  return undefined;
}

/** A built and served Lab with a browser. */
export interface LabSession {
  readonly browser: Browser;
  readonly server: LabServer;
  readonly url: string;
  close(): Promise<void>;
}

/** Build the Lab into a temporary directory, serve it on 127.0.0.1 and launch chromium. */
export async function openLab(): Promise<LabSession> {
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-lab-'));
  await buildLab({ outdir: dir, quiet: true });
  const server = await startLabServer({ root: dir });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    browser,
    server,
    url: server.url,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The desktop viewport the instruments are opened and shown at. */
const DESKTOP = { width: 1100, height: 900 };

/** A page on instrument `id` (waits until it is mounted) and the list its errors go to. */
export async function openInstrument(session: LabSession, id: string, viewport = DESKTOP): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${String(e)}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  await page.goto(`${session.url}#${id}`);
  await page.waitForSelector(`[data-instrument="${id}"][data-state="ready"]`, { timeout: 30_000 });
  return { page, errors };
}

/** The exact number behind a read-out (`data-stat` name) inside instrument `id`. */
export async function stat(page: Page, id: string, name: string): Promise<number> {
  const v = await page.getAttribute(`[data-instrument="${id}"] [data-stat="${name}"]`, 'data-value');
  return Number(v);
}

/** Set a range slider by keyboard: focus it, Home or End, then `presses` arrow presses. */
export async function keys(page: Page, id: string, control: string, ...sequence: string[]): Promise<void> {
  const sel = `[data-instrument="${id}"] [data-control="${control}"]`;
  await page.focus(sel);
  for (const k of sequence) await page.keyboard.press(k);
}

/** Set a control's value directly (like a drag) and fire its input/change events. */
export async function setValue(page: Page, id: string, control: string, value: string | number): Promise<void> {
  const sel = `[data-instrument="${id}"] [data-control="${control}"]`;
  await page.$eval(
    sel,
    (el, v) => {
      const input = el as HTMLInputElement | HTMLSelectElement;
      input.value = String(v);
      input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
    },
    value,
  );
}

/**
 * Show instrument `id` in an already open Lab page (the kernels stay loaded) by changing
 * the URL fragment, and wait until it is mounted. The page's error list (from
 * {@link openInstrument}) is emptied first and the desktop viewport restored, so each test
 * starts at the same size and sees only its own errors.
 */
export async function showInstrument(page: Page, errors: string[], id: string): Promise<void> {
  errors.length = 0;
  await page.setViewportSize(DESKTOP);
  await page.evaluate((h) => {
    location.hash = h;
  }, `#${id}`);
  await page.waitForSelector(`[data-instrument="${id}"][data-state="ready"]`, { timeout: 30_000 });
}

/**
 * Save a screenshot of the whole page as test-artifacts/lab/<name>.png. The viewport is
 * made as tall as the page first and given time to draw, rather than using playwright's
 * `fullPage`: that capture is taken before pictures drawn off the main thread (the PCA
 * scatter painted by the worker on an OffscreenCanvas, the compression's transferred
 * ImageBitmaps) are composited at the new size, and showed them blank.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => Math.ceil(document.documentElement.scrollHeight));
  if (viewport && height > viewport.height) {
    const y = await page.evaluate(() => window.scrollY);
    await page.setViewportSize({ width: viewport.width, height: Math.min(height, 8000) });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.waitForTimeout(250);
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    await page.setViewportSize(viewport);
    await page.evaluate((top) => window.scrollTo(0, top), y);
  } else {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  }
}


/** Wait until instrument `id` has shown its latest result (its section is not `data-busy="true"`). */
export async function settled(page: Page, id: string, timeout = 30_000): Promise<void> {
  await page.waitForSelector(`[data-instrument="${id}"][data-state="ready"] #instrument-${id}:not([data-busy="true"])`, { timeout, state: 'attached' });
}

/**
 * Open the data table under the chart `figure` (a selector) and wait until it is there: the
 * table is built on the disclosure's toggle event, which the browser fires in a task after
 * the click, so counting its rows right after the click can find none.
 */
export async function openDataTable(page: Page, figure: string): Promise<void> {
  await page.click(`${figure} details.chart-data summary`);
  await page.waitForSelector(`${figure} details.chart-data table`, { state: 'attached' });
}

/** The settings of every `data-control` range, number, checkbox and select of instrument `id` (like the shell's URL state). */
export async function controlValues(page: Page, id: string): Promise<Record<string, string>> {
  return page.$$eval(`[data-instrument="${id}"] [data-control]`, (els) => {
    const out: Record<string, string> = {};
    for (const el of els) {
      const name = (el as HTMLElement).dataset.control!;
      if ((el as HTMLElement).dataset.state === 'skip') continue;
      if (el instanceof HTMLSelectElement) out[name] = el.value;
      else if (el instanceof HTMLInputElement) {
        if (el.type === 'checkbox') out[name] = el.checked ? '1' : '0';
        else if (el.type === 'range' || el.type === 'number') out[name] = el.value;
      }
    }
    return out;
  });
}

/** The page is no wider than its viewport (no sideways scrolling). */
export async function noOverflow(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client + 1, `page is ${scroll}px wide in a ${client}px viewport`);
}
