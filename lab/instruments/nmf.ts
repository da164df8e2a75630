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

/** One glyph-shaped image (a column of a column-major pixels x n array) as a captioned tile. */
function tile(values: Float64Array, col: number, side: number, caption: string, name: string, range: [number, number], diverging: boolean, flag: PartFlag = 'ok'): HTMLElement {
  const canvas = h('canvas', { 'data-tile': name, 'aria-hidden': 'true' });
  drawScalar(canvas, values.subarray(col * side * side, (col + 1) * side * side), side, side, { scale: diverging ? DIVERGING : INK_ON_PAPER, lo: range[0], hi: range[1] });
  const fig = h('figure', { class: flag === 'ok' ? undefined : 'flagged', 'data-flag': flag }, canvas, h('figcaption', {}, caption, flag === 'ok' ? null : h('span', { class: 'flag' }, ` · ${FLAG_TEXT[flag]}`)));
  return fig;
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
    s.controls.append(kSlider.element, iters.element, h('div', { class: 'control control-button' }, play), solverSelect);

    const error = readout('rel-error', h('span', {}, 'NMF error ', inlineMath(row(norm(row(mi('A'), mo('−'), mi('W'), mi('H'))), mo('/'), norm(mi('A'))), 'norm of A minus W H over norm of A')));
    const nonneg = readout('nonnegative', 'All entries of W, H ≥ 0');
    const minEntry = readout('min-entry', 'Smallest entry of W, H');
    const recovery = readout('recovery', 'Stroke recovery (cosine)');
    const svdError = readout('svd-error', h('span', {}, 'SVD error at rank k ', inlineMath(norm(row(mi('A'), mo('−'), sub(mi('A'), mi('k')))), 'norm of A minus A k')));
    const svdNeg = readout('svd-negative', 'SVD entries < 0');
    const flagsNote = h('p', { class: 'note', 'data-stat': 'flags' });
    s.side.append(h('div', { class: 'readouts' }, error.element, nonneg.element, minEntry.element, recovery.element, svdError.element, svdNeg.element), flagsNote);

    const parts = h('div', { class: 'tiles', 'data-tiles': 'parts', role: 'img' });
    const svdTiles = h('div', { class: 'tiles', 'data-tiles': 'svd', role: 'img' });
    const partsBar = h('div', {});
    const svdBar = h('div', {});
    const weights = h('canvas', { class: 'heatmap', 'data-canvas': 'weights', role: 'img' });
    const weightsBar = h('div', {});
    const weightsTable = h('div', {});
    const glyphs = h('div', { class: 'tiles', 'data-tiles': 'glyphs' });
    const recon = h('div', { class: 'tiles', 'data-tiles': 'reconstructions' });
    const lossBox = h('div', { class: 'chart-box' });
    s.pictures.append(
      figure(
        'parts',
        h('div', { class: 'nmf-parts' }, h('h3', {}, 'NMF: the parts, columns of W (all ≥ 0)'), parts, partsBar, h('h3', {}, 'SVD: the first k left singular vectors (signed)'), svdTiles, svdBar),
        'Parts as 12 × 12 images. NMF’s add up to glyphs; the SVD’s cancel each other (red + blue) and their signs are arbitrary.',
      ),
      figure('weights', h('div', {}, weights, weightsBar, weightsTable), 'H: one row per part, one column per glyph: how much of each part every glyph uses (white = none).'),
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
      parts.replaceChildren(...Array.from({ length: k }, (_, j) => tile(r.W, j, r.side, `part ${j + 1}`, 'part', [0, wMax], false, r.flags[j])));
      parts.setAttribute('aria-label', `NMF parts: ${r.flags.map((f, j) => `part ${j + 1}${f === 'ok' ? '' : ` (${FLAG_TEXT[f]})`}`).join(', ')}`);
      partsBar.replaceChildren(colorBar(INK_ON_PAPER, 0, wMax, 'W entry'));
      const uMax = maxAbs(r.svdU);
      svdTiles.replaceChildren(...Array.from({ length: k }, (_, j) => tile(r.svdU, j, r.side, `u${j + 1}`, 'svd', [-uMax, uMax], true)));
      svdTiles.setAttribute('aria-label', `SVD components u1 to u${k}: ${pct(r.svdNegativeShare, 0)} of their entries are negative`);
      svdBar.replaceChildren(colorBar(DIVERGING, -uMax, uMax, 'U entry'));

      const hMax = maxAbs(r.H);
      drawScalar(weights, r.H, r.glyphs, k, { scale: INK_ON_PAPER, lo: 0, hi: hMax, pixel: 8 });
      weights.setAttribute('aria-label', `H as a ${k} by ${r.glyphs} image; its numbers are in the table below`);
      weightsBar.replaceChildren(colorBar(INK_ON_PAPER, 0, hMax, 'H entry'));
      weightsTable.replaceChildren(
        dataTable(() => ({
          caption: `H: weight of each part (columns) in each glyph (rows), after ${input.iterations} iterations`,
          columns: ['glyph', ...Array.from({ length: k }, (_, p) => `part ${p + 1}`)],
          rows: Array.from({ length: r.glyphs }, (_, j) => [j + 1, ...Array.from({ length: k }, (_, p) => r.H[p * r.glyphs + j]!)]),
        }), 'H as a table'),
      );
      glyphs.replaceChildren(...Array.from({ length: SHOWN }, (_, j) => tile(r.originals, j, r.side, `glyph ${j + 1}`, 'glyph', [0, maxAbs(r.originals)], false)));
      recon.replaceChildren(...Array.from({ length: SHOWN }, (_, j) => tile(r.reconstructions, j, r.side, `WH ${j + 1}`, 'reconstruction', [0, maxAbs(r.originals)], false)));

      const full = r.lossFull;
      const top = Math.max(...full) * 1.3;
      const floor = Math.max(Math.min(...full.filter((v) => v > 0)), top * 1e-9);
      const width = lossBox.clientWidth || 480;
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
