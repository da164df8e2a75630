/**
 * Instrument 3, NMF parts: glyphs built from a few overlapping strokes; NMF with k parts
 * shows the parts (columns of W) and the reconstructions, with an iterations slider, the
 * reconstruction error and an "all entries >= 0" indicator.
 */
import { drawGray, lineChart } from '../charts.js';
import { explain, fmt, h, panel, pct, readout, select, slider } from '../ui.js';
import type { Matrix } from '../../src/browser.js';
import type { NMFSolver } from '../../src/browser.js';
import { GLYPH, TRUE_PARTS, fitParts, makeGlyphs, strokeRecovery } from './nmf-model.js';
import type { Instrument } from './types.js';

const SHOWN = 10;

function tile(M: Matrix, col: number, caption: string, name: string): HTMLElement {
  const canvas = h('canvas', { 'data-tile': name });
  const v = new Float64Array(GLYPH * GLYPH);
  for (let i = 0; i < v.length; i++) v[i] = M.get(i, col);
  drawGray(canvas, v, GLYPH, GLYPH, { lo: 0, invert: true });
  return h('figure', {}, canvas, h('figcaption', {}, caption));
}

export const nmfInstrument: Instrument = {
  id: 'nmf',
  title: 'NMF parts',
  mount(container) {
    const root = panel('nmf', 'NMF parts');
    root.append(
      explain(
        `Each of the 60 glyphs is a sum of some of ${TRUE_PARTS} strokes (bars, posts, a diagonal); they are the columns of the nonnegative matrix A (144 pixels × 60 glyphs). ` +
          'NMF writes A ≈ WH with W, H ≥ 0: the columns of W (top row) are the parts, H says how much of each part every glyph uses. ' +
          `Since nothing can be subtracted, the parts come out as strokes; with the true k = ${TRUE_PARTS} they are clean and the error goes to zero as the iterations grow.`,
        'A ≈ W H,  W ≥ 0, H ≥ 0;  multiplicative updates  H ← H ⊙ (WᵀA) ⊘ (WᵀWH),  W ← W ⊙ (AHᵀ) ⊘ (WHHᵀ)',
      ),
    );
    const A = makeGlyphs();
    const error = readout('rel-error', 'Error ‖A−WH‖_F/‖A‖_F');
    const nonneg = readout('nonnegative', 'All entries ≥ 0');
    const minEntry = readout('min-entry', 'Smallest entry of W, H');
    const recovery = readout('recovery', 'Stroke recovery (cosine)');
    const parts = h('div', { class: 'tiles', 'data-tiles': 'parts', 'aria-label': 'parts: columns of W' });
    const glyphs = h('div', { class: 'tiles', 'data-tiles': 'glyphs', 'aria-label': 'glyphs and their reconstructions' });
    const chart = h('div', { class: 'chart-box' });
    let solver: NMFSolver = 'mu';
    const kSlider = slider({ name: 'k', label: 'Parts k', min: 1, max: 8, value: TRUE_PARTS, onInput: () => update() });
    const iters = slider({ name: 'iterations', label: 'Iterations', min: 1, max: 400, value: 60, onInput: () => update() });
    const solverSelect = select(
      'solver',
      'Solver',
      [
        ['mu', 'multiplicative updates (Lee & Seung)'],
        ['cd', 'coordinate descent (HALS)'],
      ],
      solver,
      (v) => {
        solver = v as NMFSolver;
        update();
      },
    );
    root.append(
      h('div', { class: 'controls' }, kSlider.element, iters.element, solverSelect),
      h('div', { class: 'readouts' }, error.element, nonneg.element, minEntry.element, recovery.element),
      h('h3', {}, 'Parts: the columns of W'),
      parts,
      h('h3', {}, `The first ${SHOWN} glyphs (top) and their reconstructions WH (bottom)`),
      glyphs,
      chart,
    );
    container.append(root);

    function update(): void {
      const k = kSlider.value();
      const r = fitParts(A, k, iters.value(), solver);
      error.set(r.relError, pct(r.relError, 2));
      const ok = r.minEntry >= 0;
      nonneg.set(ok ? 1 : 0, ok ? '✓ yes' : '✗ no');
      nonneg.element.classList.toggle('ok', ok);
      nonneg.element.classList.toggle('bad', !ok);
      minEntry.set(r.minEntry, fmt(r.minEntry));
      recovery.set(strokeRecovery(r.W), fmt(strokeRecovery(r.W), 3));
      parts.replaceChildren(...Array.from({ length: k }, (_, j) => tile(r.W, j, `part ${j + 1}`, 'part')));
      const originals = Array.from({ length: SHOWN }, (_, j) => tile(A, j, `glyph ${j + 1}`, 'glyph'));
      const recon = Array.from({ length: SHOWN }, (_, j) => tile(r.reconstruction, j, `WH ${j + 1}`, 'reconstruction'));
      glyphs.replaceChildren(h('div', { class: 'tiles' }, ...originals), h('div', { class: 'tiles' }, ...recon));
      chart.replaceChildren(
        lineChart([{ name: '½‖A − WH‖²', cls: 'loss', points: Array.from(r.lossHistory, (v, i) => [i + 1, v] as const) }], 'iteration', 'loss'),
      );
    }
    update();
  },
};
