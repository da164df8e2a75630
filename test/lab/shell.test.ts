// The Lab's shell checks in real Chromium, the same for every instrument (issue 21), in a
// browser session of their own (the instruments' own checks are in e2e.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { controlValues, keys, noOverflow, openInstrument, openLab, screenshot, setValue, settled, showInstrument, skipReason, type LabSession } from './harness.js';

const skip = skipReason();
let session: LabSession | undefined;
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

async function show(id: string): Promise<void> {
  await showInstrument(page, errors, id);
}

// ---------------------------------------------------------------------------------------
// The shell's checks, the same for every instrument (issue 21): axe-core finds no serious or
// critical violation; the equations are MathML; a "Reset" button restores the defaults; the
// URL fragment carries the settings and a link with them restores them; no main-thread task
// over 150 ms while the controls move with the CPU slowed 4x; on a 390x844 phone the first
// picture is within 400 px of the first control; no console error; screenshots at both sizes.

const INSTRUMENTS = ['ratings', 'scree', 'nmf', 'compress', 'pca', 'tensor-train'] as const;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A page of its own on `hash` (errors collected), settled. */
async function freshPage(hash: string, id: string): Promise<{ page: Page; errors: string[] }> {
  const p = await session!.browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errs: string[] = [];
  p.on('pageerror', (e) => errs.push(`pageerror: ${String(e)}`));
  p.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errs.push(`console.${m.type()}: ${m.text()}`);
  });
  await p.goto(`${session!.url}${hash}`);
  await p.waitForSelector(`[data-instrument="${id}"][data-state="ready"]`, { timeout: 30_000 });
  await settled(p, id);
  return { page: p, errors: errs };
}

/** New values for the instrument's controls: ranges a third of the way from their minimum, the last other option, checkboxes flipped. */
async function otherValues(p: Page, id: string): Promise<Record<string, string>> {
  return p.$$eval(`[data-instrument="${id}"] [data-control]`, (els) => {
    const out: Record<string, string> = {};
    for (const el of els) {
      const name = (el as HTMLElement).dataset.control!;
      if ((el as HTMLElement).dataset.state === 'skip' || (el as HTMLInputElement).disabled) continue;
      if (el instanceof HTMLSelectElement) {
        const opts = Array.from(el.options).map((o) => o.value).filter((v) => v !== el.value && v !== 'file');
        if (opts.length > 0) out[name] = opts[opts.length - 1]!;
      } else if (el instanceof HTMLInputElement && el.type === 'range') {
        const min = Number(el.min), max = Number(el.max), step = Number(el.step) || 1;
        let v = min + Math.round((max - min) / 3 / step) * step;
        if (String(v) === el.value) v = Math.min(max, v + step);
        out[name] = String(Number(v.toFixed(10)));
      } else if (el instanceof HTMLInputElement && el.type === 'checkbox') out[name] = el.checked ? '0' : '1';
    }
    return out;
  });
}

/** Set one control as a user would (select option, check box, drag a range). */
async function setControlValue(p: Page, id: string, name: string, value: string): Promise<void> {
  const sel = `[data-instrument="${id}"] [data-control="${name}"]`;
  const kind = await p.$eval(sel, (el) => (el instanceof HTMLSelectElement ? 'select' : (el as HTMLInputElement).type));
  if (kind === 'select') await p.selectOption(sel, value);
  else if (kind === 'checkbox') await p.setChecked(sel, value === '1');
  else await setValue(p, id, name, value);
}

// Longest main-thread task allowed at 4x CPU, in thread time (the issue's 150 ms, for every
// instrument).
const LONG_TASK_MS = 150;

/** One renderer main-thread task of the trace: thread time, wall time, the control being moved, what it spent its time on. */
interface TaskTime {
  readonly thread: number;
  readonly wall: number;
  readonly control: string;
  /** The largest trace events inside it (name and thread ms), e.g. "FunctionCall 80, Layout 30". */
  readonly inside: string;
}

/** "k: 162 ms thread / 240 ms wall (FunctionCall 80, ...)" for the report of a failed check. */
function describeTasks(id: string, tasks: readonly TaskTime[], detail = false): string {
  return tasks.map((t) => `${id} ${t.control}: ${t.thread.toFixed(0)} ms thread / ${t.wall.toFixed(0)} ms wall${detail ? ` (${t.inside})` : ''}`).join('; ');
}

/**
 * The renderer main thread's tasks in a DevTools trace, each with the control that was being
 * moved when it started (from the `console.timeStamp` marks the test writes before moving each one).
 */
function mainThreadTasks(trace: Buffer): TaskTime[] {
  type Ev = { name: string; ph?: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; data?: { message?: string } } };
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: Ev[] }).traceEvents;
  const mainThreads = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const marks = events
    .filter((e) => e.name === 'TimeStamp' && e.args?.data?.message?.startsWith('control:'))
    .map((e) => ({ ts: e.ts, control: e.args!.data!.message!.slice('control:'.length) }))
    .sort((a, b) => a.ts - b.ts);
  const onMain = events.filter((e) => e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`));
  return onMain
    .filter((e) => e.name === 'RunTask' && e.tdur !== undefined)
    .map((e) => {
      let control = 'before the first control';
      for (const m of marks) if (m.ts <= e.ts) control = m.control;
      const thread = e.tdur! / 1000;
      // What a long task spent its time on (only worked out for those that can fail).
      let inside = '';
      if (thread > LONG_TASK_MS / 2) {
        const by = new Map<string, number>();
        for (const c of onMain) if (c !== e && c.ts >= e.ts && c.ts < e.ts + (e.dur ?? 0) && c.name !== 'RunTask') by.set(c.name, (by.get(c.name) ?? 0) + (c.tdur ?? c.dur ?? 0) / 1000);
        inside = [...by].sort((x, y) => y[1] - x[1]).slice(0, 5).map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', ');
      }
      return { thread, wall: (e.dur ?? 0) / 1000, control, inside };
    });
}

/**
 * Move `controls` of instrument `id` (each range: ArrowRight x3, ArrowLeft, PageUp; each
 * select: another option) with the CPU slowed 4x, and return the renderer main thread's
 * tasks (from a DevTools trace, with their thread time) and a check of the wall-clock
 * 'longtask' entries. Thread time is the rule: under the throttle it is 4x the unthrottled
 * CPU time. Wall time on this shared box also counts the time a task waits for a core while
 * other processes run, so it is asserted only when the machine is not oversubscribed.
 */
async function longTasks(t: { diagnostic(s: string): void }, id: string, controls: readonly string[]): Promise<{ tasks: TaskTime[]; assertWall(): void }> {
  const root = `[data-instrument="${id}"]`;
  const cdp = await page.context().newCDPSession(page);
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[]; controlMarks: { control: string; t: number }[]; longObserver?: PerformanceObserver };
    w.longTasks = [];
    w.controlMarks = [];
    w.longObserver?.disconnect();
    w.longObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
    });
    w.longObserver.observe({ type: 'longtask' });
  });
  // Marks the control about to move, in the trace (console.timeStamp) and for the longtask entries.
  const mark = (control: string): Promise<void> =>
    page.evaluate((c) => {
      console.timeStamp(`control:${c}`);
      (window as unknown as { controlMarks: { control: string; t: number }[] }).controlMarks.push({ control: c, t: performance.now() });
    }, control);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await session!.browser.startTracing(page, { categories: ['__metadata', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  let trace: Buffer;
  const loadBefore = loadavg()[0]!;
  try {
    for (const name of controls) {
      const sel = `${root} [data-control="${name}"]`;
      const isSelect = await page.$eval(sel, (el) => el instanceof HTMLSelectElement);
      if (isSelect) {
        const w = await otherValues(page, id);
        if (w[name] === undefined) continue;
        await mark(name);
        await page.selectOption(sel, w[name]!);
      } else {
        await mark(name);
        await keys(page, id, name, 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowLeft', 'PageUp');
      }
      await settled(page, id, 60_000).catch((e: unknown) => {
        throw new Error(`${id}: not settled 60 s after moving ${name} at 4x CPU: ${String(e)}`);
      });
    }
    await mark('after the last control');
    await page.waitForTimeout(200);
  } finally {
    trace = await session!.browser.stopTracing();
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
  }
  const tasks = mainThreadTasks(trace);
  assert.ok(tasks.length > 0, 'the trace holds the main thread tasks');
  const { wall, controlMarks } = await page.evaluate(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[]; controlMarks: { control: string; t: number }[] };
    return { wall: w.longTasks, controlMarks: w.controlMarks };
  });
  const wallText = (list: { start: number; duration: number }[]): string =>
    list.map((e) => `${id} ${controlMarks.filter((m) => m.t <= e.start).at(-1)?.control ?? 'before the first control'}: ${e.duration.toFixed(0)} ms wall`).join('; ');
  // The load average lags by a minute, and it misses the test file that the runner
  // (scripts/run-tests.mjs) runs beside this one: each of those takes a core too.
  const besideUs = Math.max(0, Number(process.env.LOWRANK_TEST_CONCURRENCY ?? 1) - 1);
  const load = Math.max(loadBefore, loadavg()[0]!);
  const oversubscribed = load > cpus().length - besideUs;
  const wallLong = wall.filter((d) => d.duration > LONG_TASK_MS);
  return {
    tasks,
    assertWall() {
      if (!oversubscribed) assert.ok(wallLong.length === 0, `long tasks (wall time, PerformanceObserver) over ${LONG_TASK_MS} ms at 4x CPU slowdown with load ${load.toFixed(1)} on ${cpus().length} cores: ${wallText(wallLong)}`);
      else if (wallLong.length > 0) t.diagnostic(`${id}: wall-clock long tasks ${wallText(wallLong)} with load average ${load.toFixed(1)} on ${cpus().length} cores and ${besideUs} test file(s) beside this one (thread time under ${LONG_TASK_MS} ms)`);
    },
  };
}

for (const id of INSTRUMENTS) {
  test(`lab shell: ${id} (axe, MathML, Reset, URL state, no long task at 4x CPU, phone layout, screenshots)`, { skip }, async (t) => {
    await show(id);
    await settled(page, id);
    const root = `[data-instrument="${id}"]`;
    await page.setViewportSize({ width: 1366, height: 768 });

    // MathML and the Reset button.
    assert.ok((await page.$$(`${root} math`)).length >= 1, 'the equations are MathML');
    assert.equal((await page.textContent(`${root} button[data-action="reset"]`))?.trim(), 'Reset');

    // axe-core (evaluated through the DevTools protocol: the page's CSP stays as it is).
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`);
    });
    assert.deepEqual(violations, [], 'axe-core: no serious or critical violation');

    // The defaults: what a page opened on '#id' shows.
    const plain = await freshPage(`#${id}`, id);
    const defaults = await controlValues(plain.page, id);
    await plain.page.close();
    assert.deepEqual(plain.errors, []);
    await page.click(`${root} button[data-action="reset"]`);
    await settled(page, id);
    assert.deepEqual(await controlValues(page, id), defaults, 'Reset restores the defaults');

    // The fragment round-trips: move every control, then open the URL in a new page.
    const wanted = await otherValues(page, id);
    for (const [name, value] of Object.entries(wanted)) {
      if (!(await page.isVisible(`${root} [data-control="${name}"]`)) && !(await page.isEnabled(`${root} [data-control="${name}"]`))) continue;
      await setControlValue(page, id, name, value);
      await settled(page, id);
    }
    const moved = await controlValues(page, id);
    await page.waitForTimeout(300); // the shell writes the URL at most every 200 ms
    const hash = await page.evaluate(() => location.hash);
    assert.ok(hash.startsWith(`#${id}?`), `the fragment carries the settings: ${hash}`);
    for (const [name, value] of Object.entries(moved)) assert.equal(new URLSearchParams(hash.slice(hash.indexOf('?') + 1)).get(name), value, `${name} in ${hash}`);
    const linked = await freshPage(hash, id);
    assert.deepEqual(await controlValues(linked.page, id), moved, `opening ${hash} restores the settings`);
    assert.deepEqual(linked.errors, []);
    await linked.page.close();

    // Reset restores the defaults.
    await page.click(`${root} button[data-action="reset"]`);
    await settled(page, id);
    assert.deepEqual(await controlValues(page, id), defaults, 'Reset restores the defaults');

    // No long task while the controls move, with the CPU slowed 4x. Two measures: the
    // PerformanceObserver's 'longtask' entries (wall time), and the renderer main thread's
    // tasks in a DevTools trace with their thread time (under the throttle, 4x the
    // unthrottled CPU time). The trace's thread time is what must stay under 150 ms on this
    // shared 2-core box: wall time there also counts the time a task waits for a core while
    // other processes run, so it is asserted only when the machine is not oversubscribed.
    const controls = async (): Promise<string[]> => [
      ...(await page.$$eval(`${root} input[type="range"][data-control]`, (els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => (e as HTMLElement).dataset.control!))),
      ...(await page.$$eval(`${root} select[data-control]`, (els) => els.map((e) => (e as HTMLElement).dataset.control!))),
    ];
    const first = await longTasks(t, id, await controls());
    const longFirst = first.tasks.filter((d) => d.thread > LONG_TASK_MS);
    t.diagnostic(`${id}: longest main-thread task at 4x CPU: ${describeTasks(id, [first.tasks.reduce((a, b) => (b.thread > a.thread ? b : a))], true)} (${first.tasks.length} tasks)`);
    if (longFirst.length === 0) {
      first.assertWall();
    } else {
      // A task over the limit must recur to fail: on a shared 2-core box a task's thread
      // time also grows when another process thrashes the caches (one run at load 20 showed
      // 246 ms where the next showed 48 ms for the same control). The controls that made
      // one move again, in a second trace; a systematic long task (the PCA scatter's old
      // SVG redraw: 110-340 ms every time) fails here.
      t.diagnostic(`${id}: over ${LONG_TASK_MS} ms in the first pass, measured again: ${describeTasks(id, longFirst, true)} (load ${loadavg()[0]!.toFixed(1)})`);
      const again = await longTasks(t, id, [...new Set(longFirst.map((d) => d.control))].filter((c) => c !== 'before the first control' && c !== 'after the last control'));
      const longAgain = again.tasks.filter((d) => d.thread > LONG_TASK_MS);
      assert.ok(
        longAgain.length === 0,
        `main-thread tasks over ${LONG_TASK_MS} ms of thread time at 4x CPU slowdown, twice: first ${describeTasks(id, longFirst, true)}; again ${describeTasks(id, longAgain, true)}`,
      );
      again.assertWall();
    }
    await page.click(`${root} button[data-action="reset"]`);
    await settled(page, id);

    // Screenshots at a laptop's and a phone's size; on the phone the first picture is near the first control.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, `shell-${id}-1366x768`);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(150);
    await noOverflow(page);
    const gap = await page.evaluate((r) => {
      const c = document.querySelector(`${r} [data-control]`)!.getBoundingClientRect();
      const p = document.querySelector(`${r} [data-figure]`)!.getBoundingClientRect();
      return p.top - c.top;
    }, root);
    assert.ok(gap > 0 && gap < 400, `first picture ${gap.toFixed(0)} px below the first control on a 390x844 phone`);
    await screenshot(page, `shell-${id}-390x844`);
    await page.setViewportSize({ width: 1100, height: 900 });
    assert.deepEqual(errors, []);
  });
}
