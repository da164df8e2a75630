/**
 * Instrument 5, PCA explorer: the scikit-learn digits (1797 handwritten digits, 8 x 8
 * pixels) projected on two chosen principal components, colored by digit, with the
 * explained variance of each component and the cumulative share of the first k.
 */
import { PCA, parseNpy, type Matrix, type PCAModel } from '../../src/browser.js';
import { PALETTE, drawGray, scatterChart, screeChart } from '../charts.js';
import { explain, h, panel, pct, readout, select, slider } from '../ui.js';
import type { Instrument } from './types.js';

const SHOWN_COMPONENTS = 10;

/** Fetch a .npy asset and decode it with the library's reader. */
async function fetchNpy(url: string): Promise<Matrix> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return parseNpy(new Uint8Array(await res.arrayBuffer()), url).matrix;
}

/** Rows of X (n x 64, the digit images) and their labels, from the Lab's assets. */
async function loadDigits(): Promise<{ X: Matrix; y: Int32Array }> {
  const [X, target] = await Promise.all([fetchNpy('assets/digits.npy'), fetchNpy('assets/digits-target.npy')]);
  return { X, y: Int32Array.from(target.toFlat()) };
}

function componentImage(model: PCAModel, c: number): HTMLCanvasElement {
  const canvas = h('canvas', { 'data-tile': `component-${c + 1}`, 'aria-label': `component ${c + 1} as an 8 by 8 image` });
  const v = new Float64Array(64);
  for (let i = 0; i < 64; i++) v[i] = model.components.get(c, i);
  const a = Math.max(...v.map(Math.abs));
  drawGray(canvas, v, 8, 8, { lo: -a, hi: a });
  return canvas;
}

export const pcaInstrument: Instrument = {
  id: 'pca',
  title: 'PCA explorer',
  async mount(container) {
    const root = panel('pca', 'PCA explorer');
    root.append(
      explain(
        'Each dot is one of 1797 handwritten digits (8 × 8 = 64 pixel values), projected on two principal components of the centered data and colored by the digit it shows. ' +
          'The components are the right singular vectors of the centered matrix; the share of the variance each explains is σᵢ² / Σσ², and the shares add up to 100% over all 64. ' +
          'Already the first two separate 0, 4, 6 and 3 from each other; the chart below shows how many components it takes to keep most of the variance.',
        'X − 1μᵀ = U Σ Vᵀ,   scores Z = (X − 1μᵀ) V_k,   explained variance ratio_i = σᵢ² / Σⱼ σⱼ²',
      ),
    );
    const status = h('p', { class: 'note', role: 'alert' });
    root.append(status);
    container.append(root);
    let data: { X: Matrix; y: Int32Array };
    try {
      data = await loadDigits();
    } catch (e) {
      status.textContent = `Could not load the digits: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    const model = new PCA({ solver: 'full' }).fit(data.X);
    const scores = model.transform(data.X);
    const ratio = model.explainedVarianceRatio;
    const cumulative = new Float64Array(ratio.length);
    ratio.reduce((acc, r, i) => (cumulative[i] = acc + r), 0);

    let cx = 0, cy = 1;
    const xVar = readout('x-ratio', 'Variance on x component');
    const yVar = readout('y-ratio', 'Variance on y component');
    const cum = readout('cumulative', 'Cumulative, first k');
    const total = readout('total', 'Sum over all components');
    const scatter = h('div', { class: 'chart-box' });
    const scree = h('div', { class: 'chart-box' });
    const images = h('div', { class: 'tiles' });
    const options = Array.from({ length: SHOWN_COMPONENTS }, (_, i) => [String(i), `component ${i + 1}`] as const);
    const xSel = select('x', 'x axis', options, '0', (v) => { cx = Number(v); update(); });
    const ySel = select('y', 'y axis', options, '1', (v) => { cy = Number(v); update(); });
    const kSlider = slider({ name: 'k', label: 'Components kept k', min: 1, max: ratio.length, value: 10, onInput: () => update() });
    const legend = h('p', { class: 'note legend-row' }, 'digits: ');
    PALETTE.forEach((color, d) => {
      const sw = h('span', { class: 'swatch' }, `■ ${d} `);
      sw.style.color = color;
      legend.append(sw);
    });
    root.append(
      h('div', { class: 'controls' }, xSel, ySel, kSlider.element),
      h('div', { class: 'readouts' }, xVar.element, yVar.element, cum.element, total.element),
      scatter,
      legend,
      h('div', { class: 'tiles' }, images),
      scree,
    );
    let sum = 0;
    for (const r of ratio) sum += r;
    total.set(sum, pct(sum, 2));

    function update(): void {
      const k = kSlider.value();
      xVar.set(ratio[cx]!, pct(ratio[cx]!, 2));
      yVar.set(ratio[cy]!, pct(ratio[cy]!, 2));
      cum.set(cumulative[k - 1]!, pct(cumulative[k - 1]!, 2));
      const xs = new Float64Array(scores.rows), ys = new Float64Array(scores.rows);
      for (let i = 0; i < scores.rows; i++) {
        xs[i] = scores.get(i, cx);
        ys[i] = scores.get(i, cy);
      }
      scatter.replaceChildren(scatterChart(xs, ys, data.y, `component ${cx + 1}`, `component ${cy + 1}`));
      images.replaceChildren(
        h('figure', {}, componentImage(model, cx), h('figcaption', {}, `x: component ${cx + 1}`)),
        h('figure', {}, componentImage(model, cy), h('figcaption', {}, `y: component ${cy + 1}`)),
      );
      scree.replaceChildren(screeChart(ratio, cumulative, k));
    }
    update();
  },
};
