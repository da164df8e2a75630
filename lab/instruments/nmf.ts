/**
 * Instrument 3, NMF parts: glyphs built from a few overlapping strokes; NMF with k parts
 * shows the parts (columns of W) beside the SVD's signed components of the same glyphs, the
 * weights H, the reconstructions, and the loss from the random start (iteration 0) with a
 * fixed axis and a play button. Parts that a too-large k makes empty, duplicated or mixed
 * are flagged. The fit runs in the Lab's worker (nmf-jobs.ts).
 */
import { DIVERGING, INK_ON_PAPER, MUTED, SERIES, colorBar, dataTable, drawScalar, lineChart } from '../charts.js';
import { equation, inlineMath, mi, mo, norm, paren, row, sub, sup, transpose } from '../math.js';
import { choiceParam, figure, fmt, h, intParam, pct, readout, select, setControl, shell, slider } from '../ui.js';
import { latest } from '../worker-client.js';
import type { NMFSolver } from '../../src/browser.js';
import { ITER_MAX, K_MAX, SHOWN, type NmfFitOutput, type nmfFit } from './nmf-jobs.js';
import type { PartFlag } from './nmf-model.js';
import type { Instrument } from './types.js';

const ID = 'nmf';
const DEFAULTS = { k: 5, iterations: 60, solver: 'mu' as NMFSolver };
const SOLVERS = ['mu', 'cd'] as const;

const FLAG_TEXT: Record<PartFlag, string> = { ok: '', empty: 'empty', duplicate: 'duplicate', mixed: 'not one stroke' };

/**
 * A row of captioned glyph-shaped images kept between updates: canvases are made only when
 * the count changes (a new canvas and its context cost more than drawing 144 pixels).
 */
class TileRow {
  readonly element: HTMLElement;
  private readonly tiles: { fig: HTMLElement; canvas: HTMLCanvasElement; cap: HTMLElement }[] = [];
  constructor(
    private readonly name: string,
    attrs: Record<string, string> = {},
  ) {
    this.element = h('div', { class: 'tiles', ...attrs });
  }
  /** Show `count` columns of `values` (column-major, side x side each) with their captions and flags. */
  update(values: Float64Array, count: number, side: number, range: [number, number], diverging: boolean, caption: (i: number) => string, flag: (i: number) => PartFlag = () => 'ok'): void {
    while (this.tiles.length < count) {
      const canvas = h('canvas', { 'data-tile': this.name, 'aria-hidden': 'true' });
      const cap = h('figcaption', {});
      const fig = h('figure', {}, canvas, cap);
      this.tiles.push({ fig, canvas, cap });
      this.element.append(fig);
    }
    while (this.tiles.length > count) this.tiles.pop()!.fig.remove();
    this.tiles.forEach((t, i) => {
      drawScalar(t.canvas, values.subarray(i * side * side, (i + 1) * side * side), side, side, { scale: diverging ? DIVERGING : INK_ON_PAPER, lo: range[0], hi: range[1] });
      const f = flag(i);
      const text = caption(i) + (f === 'ok' ? '' : ` · ${FLAG_TEXT[f]}`);
      if (t.cap.textContent !== text) {
        t.cap.replaceChildren(caption(i), f === 'ok' ? '' : h('span', { class: 'flag' }, ` · ${FLAG_TEXT[f]}`));
        t.fig.classList.toggle('flagged', f !== 'ok');
        t.fig.setAttribute('data-flag', f);
      }
    });
  }
}

/** A colour bar redrawn only when its range changes. */
function colorBarSlot(scale: typeof DIVERGING, label: string): { element: HTMLElement; set(lo: number, hi: number): void } {
  const element = h('div', {});
  let key = '';
  return {
    element,
    set(lo, hi) {
      const k = `${lo.toPrecision(2)}:${hi.toPrecision(2)}`;
      if (k === key) return;
      key = k;
      element.replaceChildren(colorBar(scale, lo, hi, label));
    },
  };
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m || 1;
}

const EQ = equation([
  [row(mi('A'), mo('≈'), mi('W'), mi('H'), mo(','), mi('W'), mo('≥'), '<mn>0</mn>', mo(','), mi('H'), mo('≥'), '<mn>0</mn>'), 'A is approximately W times H, with W and H nonnegative'],
  [
    row(mi('H'), mo('←'), mi('H'), mo('⊙'), paren(row(transpose(mi('W')), mi('A'))), mo('⊘'), paren(row(transpose(mi('W')), mi('W'), mi('H')))),
    'multiplicative update: H becomes H times W transpose A, divided entrywise by W transpose W H',
  ],
  [
    row(mi('W'), mo('←'), mi('W'), mo('⊙'), paren(row(mi('A'), transpose(mi('H')))), mo('⊘'), paren(row(mi('W'), mi('H'), transpose(mi('H'))))),
    'and W becomes W times A H transpose, divided entrywise by W H H transpose',
  ],
]);

export const nmfInstrument: Instrument = {
  id: ID,
  title: 'NMF parts',
  mount(container) {
    const s = shell({
      id: ID,
      title: 'NMF parts',
      intro:
        'Each of the 60 glyphs is a sum of some of 5 strokes (bars, posts, a diagonal); they are the columns of the nonnegative matrix A (144 pixels × 60 glyphs). ' +
        'NMF writes A ≈ WH with W, H ≥ 0: the columns of W are the parts, H says how much of each part every glyph uses. ' +
        'Since nothing can be subtracted, the parts come out as strokes. The SVD’s components of the same glyphs need both signs (blue is negative), so they are not parts of anything. ' +
        'Iteration 0 is the random start; press Play to watch the strokes appear. With k above 5, extra parts come out empty, duplicated or as pieces of strokes.',
      equation: EQ,
    });
    const q = s.params;
    const kSlider = slider({ name: 'k', label: 'Parts k', min: 1, max: K_MAX, value: intParam(q, 'k', 1, K_MAX, DEFAULTS.k), onInput: () => go() });
    const iters = slider({ name: 'iterations', label: 'Iterations', min: 0, max: ITER_MAX, value: intParam(q, 'iterations', 0, ITER_MAX, DEFAULTS.iterations), onInput: () => go() });
    const solverSelect = select(
      'solver',
      'Solver',
      [
        ['mu', 'multiplicative updates (Lee & Seung)'],
        ['cd', 'coordinate descent (HALS)'],
      ],
      choiceParam(q, 'solver', SOLVERS, DEFAULTS.solver),
      () => go(),
    );
    const solverInput = solverSelect.querySelector('select')!;
    const play = h('button', { type: 'button', 'data-action': 'play', 'aria-pressed': 'false' }, 'Play');
    s.controls.append(kSlider.element, iters.element, solverSelect);
    s.buttons.prepend(play);

    const error = readout('rel-error', h('span', {}, 'NMF error ', inlineMath(row(norm(row(mi('A'), mo('−'), mi('W'), mi('H'))), mo('/'), norm(mi('A'))), 'norm of A minus W H over norm of A')));
    const nonneg = readout('nonnegative', 'All entries of W, H ≥ 0');
    const minEntry = readout('min-entry', 'Smallest entry of W, H');
    const recovery = readout('recovery', 'Stroke recovery (cosine)');
    const svdError = readout('svd-error', h('span', {}, 'SVD error at rank k ', inlineMath(norm(row(mi('A'), mo('−'), sub(mi('A'), mi('k')))), 'norm of A minus A k')));
    const svdNeg = readout('svd-negative', 'SVD entries < 0');
    const flagsNote = h('p', { class: 'note', 'data-stat': 'flags' });
    s.side.append(h('div', { class: 'readouts' }, error.element, nonneg.element, minEntry.element, recovery.element, svdError.element, svdNeg.element), flagsNote);

    const partRow = new TileRow('part', { 'data-tiles': 'parts', role: 'img', 'aria-label': 'NMF parts' });
    const svdRow = new TileRow('svd', { 'data-tiles': 'svd', role: 'img', 'aria-label': 'SVD components' });
    const parts = partRow.element, svdTiles = svdRow.element;
    const partsBar = colorBarSlot(INK_ON_PAPER, 'W entry');
    const svdBar = colorBarSlot(DIVERGING, 'U entry');
    const weights = h('canvas', { class: 'heatmap', 'data-canvas': 'weights', role: 'img', 'aria-label': 'H as an image' });
    const weightsBar = colorBarSlot(INK_ON_PAPER, 'H entry');
    const weightsTable = h('div', {});
    const glyphRow = new TileRow('glyph', { 'data-tiles': 'glyphs', role: 'img', 'aria-label': `the first ${SHOWN} glyphs, 12 by 12 images of ink strokes` });
    const reconRow = new TileRow('reconstruction', { 'data-tiles': 'reconstructions', role: 'img', 'aria-label': 'their reconstructions WH' });
    const glyphs = glyphRow.element, recon = reconRow.element;
    const lossBox = h('div', { class: 'chart-box' });
    s.pictures.append(
      figure(
        'parts',
        h('div', { class: 'nmf-parts' }, h('h3', {}, 'NMF: the parts, columns of W (all ≥ 0)'), parts, partsBar.element, h('h3', {}, 'SVD: the first k left singular vectors (signed)'), svdTiles, svdBar.element),
        'Parts as 12 × 12 images. NMF’s add up to glyphs; the SVD’s cancel each other (red + blue) and their signs are arbitrary.',
      ),
      figure('weights', h('div', {}, weights, weightsBar.element, weightsTable), 'H: one row per part, one column per glyph: how much of each part every glyph uses (white = none).'),
      figure('glyphs', h('div', {}, glyphs, recon), `The first ${SHOWN} glyphs (top) and their reconstructions WH (bottom).`),
      figure('loss', lossBox, 'The loss ½‖A − WH‖²_F at every iteration of the whole run (dashed) and up to the slider’s (solid), on a fixed log axis.'),
    );
    container.append(s.root);

    let last: { out: NmfFitOutput; input: { k: number; iterations: number; solver: NMFSolver } } | undefined;
    const channel = latest<typeof nmfFit>('nmf.fit', {
      onBusy: s.setBusy,
      onResult(out, input) {
        last = { out, input };
        show();
        s.saveState();
      },
      onError(msg) {
        s.say(`Could not fit NMF: ${msg}`);
      },
    });
    const go = (): void => channel.request({ k: kSlider.value(), iterations: iters.value(), solver: solverInput.value as NMFSolver });

    function show(): void {
      if (!last) return;
      const { out: r, input } = last;
      const k = input.k;
      const width = lossBox.clientWidth || 480; // read before the DOM changes below (no forced layout)
      error.set(r.relError, pct(r.relError, 2));
      const ok = r.minEntry >= 0;
      nonneg.set(ok ? 1 : 0, ok ? '✓ yes' : '✗ no');
      nonneg.element.classList.toggle('ok', ok);
      nonneg.element.classList.toggle('bad', !ok);
      minEntry.set(r.minEntry, fmt(r.minEntry));
      recovery.set(r.recovery, fmt(r.recovery, 3));
      svdError.set(r.svdError, r.svdError < 1e-12 ? '0 (exact)' : pct(r.svdError, 2));
      svdNeg.set(r.svdNegativeShare, pct(r.svdNegativeShare, 0));

      const wMax = maxAbs(r.W);
      partRow.update(r.W, k, r.side, [0, wMax], false, (j) => `part ${j + 1}`, (j) => r.flags[j]!);
      const flagged = r.flags.map((f, j) => (f === 'ok' ? '' : `part ${j + 1} ${FLAG_TEXT[f]}`)).filter(Boolean);
      parts.setAttribute(
        'aria-label',
        `${k} NMF parts (columns of W) as ${r.side} by ${r.side} images, white 0 to black ${fmt(wMax, 3)}, after ${input.iterations} iterations: relative error ${pct(r.relError, 2)}; ${flagged.length === 0 ? 'no part flagged' : `flagged: ${flagged.join(', ')}`}`,
      );
      partsBar.set(0, wMax);
      const uMax = maxAbs(r.svdU);
      svdRow.update(r.svdU, k, r.side, [-uMax, uMax], true, (j) => `u${j + 1}`);
      svdTiles.setAttribute('aria-label', `SVD components u1 to u${k} as ${r.side} by ${r.side} images, blue −${fmt(uMax, 3)} to white 0 to red ${fmt(uMax, 3)}: ${pct(r.svdNegativeShare, 0)} of their entries are negative; error at rank ${k} ${r.svdError < 1e-12 ? '0 (exact)' : pct(r.svdError, 2)}`);
      svdBar.set(-uMax, uMax);

      const hMax = maxAbs(r.H);
      drawScalar(weights, r.H, r.glyphs, k, { scale: INK_ON_PAPER, lo: 0, hi: hMax, pixel: 8 });
      weights.setAttribute('aria-label', `H as a ${k} by ${r.glyphs} image (a row per part, a column per glyph), white 0 to black ${fmt(hMax, 3)}; its numbers are in the table below`);
      weightsBar.set(0, hMax);
      weightsTable.replaceChildren(
        dataTable(() => ({
          caption: `H: weight of each part (columns) in each glyph (rows), after ${input.iterations} iterations`,
          columns: ['glyph', ...Array.from({ length: k }, (_, p) => `part ${p + 1}`)],
          rows: Array.from({ length: r.glyphs }, (_, j) => [j + 1, ...Array.from({ length: k }, (_, p) => r.H[p * r.glyphs + j]!)]),
        }), 'H as a table'),
      );
      if (glyphs.childElementCount === 0) glyphRow.update(r.originals, SHOWN, r.side, [0, maxAbs(r.originals)], false, (j) => `glyph ${j + 1}`);
      reconRow.update(r.reconstructions, SHOWN, r.side, [0, maxAbs(r.originals)], false, (j) => `WH ${j + 1}`);
      recon.setAttribute('aria-label', `their reconstructions WH with ${k} parts after ${input.iterations} iterations: relative error ${pct(r.relError, 2)} over all ${r.glyphs} glyphs`);

      const full = r.lossFull;
      const top = Math.max(...full) * 1.3;
      const floor = Math.max(Math.min(...full.filter((v) => v > 0)), top * 1e-9);
      lossBox.replaceChildren(
        lineChart(
          [
            { name: `whole run (${ITER_MAX} iterations)`, color: MUTED, dashed: true, points: Array.from(full, (v, i) => [i, Math.max(v, floor)] as const) },
            { name: `up to iteration ${input.iterations}`, color: SERIES[0], points: Array.from(full.subarray(0, input.iterations + 1), (v, i) => [i, Math.max(v, floor)] as const) },
          ],
          'iteration',
          '½‖A − WH‖²',
          { width, x: { domain: [0, ITER_MAX], integer: true }, y: { scale: 'log', domain: [floor, top] }, markers: [{ axis: 'x', value: input.iterations, label: `iteration ${input.iterations}` }], highlightX: input.iterations },
        ),
      );

      const bad = r.flags.map((f, j) => [f, j + 1] as const).filter(([f]) => f !== 'ok');
      flagsNote.textContent =
        bad.length === 0
          ? k === r.truePart
            ? `All ${k} parts are clean strokes.`
            : k < r.truePart
              ? `With k = ${k} < ${r.truePart} parts some strokes must share a part.`
              : `All ${k} parts are strokes.`
          : `Flagged: ${bad.map(([f, j]) => `part ${j} ${FLAG_TEXT[f]}`).join(', ')}${k > r.truePart ? ` (k = ${k} is more than the ${r.truePart} strokes the glyphs are made of)` : ''}.`;
      s.say(
        `k = ${k}, ${input.iterations} iterations (${input.solver === 'mu' ? 'multiplicative updates' : 'coordinate descent'}): error ${pct(r.relError, 2)}, ` +
          `${ok ? 'every entry of W and H is at least 0' : 'some entries are negative'}; the SVD reaches ${r.svdError < 1e-12 ? '0' : pct(r.svdError, 2)} with ${pct(r.svdNegativeShare, 0)} negative entries. ` +
          (bad.length > 0 ? `${bad.length} part${bad.length > 1 ? 's' : ''} flagged.` : ''),
      );
    }

    // Play: step the iterations from where they are (from 0 when at the end) to the end.
    let timer: ReturnType<typeof setInterval> | undefined;
    const stop = (): void => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      play.textContent = 'Play';
      play.setAttribute('aria-pressed', 'false');
    };
    play.addEventListener('click', () => {
      if (timer !== undefined) {
        stop();
        return;
      }
      if (iters.value() >= ITER_MAX) iters.set(0);
      play.textContent = 'Pause';
      play.setAttribute('aria-pressed', 'true');
      timer = setInterval(() => {
        if (channel.busy) return; // let the worker catch up: one frame per result
        const next = Math.min(ITER_MAX, iters.value() + (iters.value() < 40 ? 2 : 8));
        iters.set(next);
        if (next >= ITER_MAX) stop();
      }, 70);
    });
    iters.input.addEventListener('pointerdown', stop);
    iters.input.addEventListener('keydown', stop);

    s.onReset(() => {
      stop();
      setControl(s.root, 'solver', DEFAULTS.solver);
      setControl(s.root, 'k', DEFAULTS.k);
      setControl(s.root, 'iterations', DEFAULTS.iterations);
    });
    new ResizeObserver(() => {
      if (last && Math.abs((lossBox.clientWidth || 0) - (lossBox.querySelector('svg')?.width.baseVal.value ?? 0)) > 8) show();
    }).observe(lossBox);
    go();
  },
};
