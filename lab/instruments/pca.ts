/**
 * Instrument 5, PCA explorer: the scikit-learn digits (1797 handwritten digits, 8 x 8
 * pixels) projected on two chosen principal components (equal aspect: one unit is as long
 * on both axes), colored by digit with a tooltip per point; the chosen components as images
 * on a diverging colour scale; the explained variance of each component and the cumulative
 * share of the first k. The PCA runs once in the Lab's worker (pca-jobs.ts).
 */
import { parseNpy, type Matrix } from '../../src/browser.js';
import { DIVERGING, barChart, colorBar, drawScalar, scatterChart } from '../charts.js';
import { equation, inlineMath, mi, mn, mo, paren, row, sub, sup, transpose } from '../math.js';
import { figure, fmt, h, intParam, pct, readout, select, setControl, shell, slider } from '../ui.js';
import { compute, paintInWorker } from '../worker-client.js';
import { SHOWN_COMPONENTS, type PcaOutput, type pcaFit } from './pca-jobs.js';
import type { Instrument } from './types.js';

const ID = 'pca';
const DEFAULTS = { x: 0, y: 1, k: 10 };

/** Fetch a .npy asset and decode it with the library's reader. */
async function fetchNpy(url: string): Promise<Matrix> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return parseNpy(new Uint8Array(await res.arrayBuffer()), url).matrix;
}

const centered = row(mi('X'), mo('−'), mn('1'), transpose(mi('μ')));
const EQ = equation([
  [row(centered, mo('='), mi('U'), mi('Σ'), transpose(mi('V'))), 'X minus one mu transpose equals U Sigma V transpose'],
  [row(mi('Z'), mo('='), paren(centered), sub(mi('V'), mi('k'))), 'the scores Z are the centered data times the first k columns of V'],
  [
    row(sub(mi('r'), mi('i')), mo('='), `<mfrac>${sup(sub(mi('σ'), mi('i')), mn('2'))}${row('<munder><mo>∑</mo><mi>j</mi></munder>', sup(sub(mi('σ'), mi('j')), mn('2')))}</mfrac>`),
    'the explained variance ratio r i is sigma i squared over the sum of all sigma j squared',
  ],
]);

export const pcaInstrument: Instrument = {
  id: ID,
  title: 'PCA explorer',
  async mount(container) {
    const s = shell({
      id: ID,
      title: 'PCA explorer',
      intro:
        'Each dot is one of 1797 handwritten digits (8 × 8 = 64 pixel values), projected on two principal components of the centered data and colored by the digit it shows (hover a dot for its digit and index). ' +
        'The components are the right singular vectors of the centered matrix, drawn below as images (red: the pixel counts positively, blue: negatively); the share of the variance each explains is σᵢ² / Σσ², and the shares add up to 100% over all 64. ' +
        'Already the first two separate 0, 4, 6 and 3 from each other; the bar chart shows how many components it takes to keep most of the variance.',
      equation: EQ,
    });
    const q = s.params;
    // Filled once the PCA has run (the handlers below do nothing before that).
    let fit: PcaOutput | undefined;
    let labels = new Int32Array(0);
    let n = 0, p = 0;
    let ratio: Float64Array = new Float64Array(0), cumulative: Float64Array = new Float64Array(0);
    const options = Array.from({ length: SHOWN_COMPONENTS }, (_, i) => [String(i), `component ${i + 1}`] as const);
    let cx = intParam(q, 'x', 0, SHOWN_COMPONENTS - 1, DEFAULTS.x);
    let cy = intParam(q, 'y', 0, SHOWN_COMPONENTS - 1, DEFAULTS.y);
    if (cx === cy) [cx, cy] = [DEFAULTS.x, DEFAULTS.y];
    // x and y are never the same component: choosing the other axis's component swaps the two.
    const xSel = select('x', 'x axis', options, String(cx), (v) => {
      const nx = Number(v);
      if (nx === cy) cy = cx;
      cx = nx;
      syncAxes();
      drawScatter();
      summarize();
      s.saveState();
    });
    const ySel = select('y', 'y axis', options, String(cy), (v) => {
      const ny = Number(v);
      if (ny === cx) cx = cy;
      cy = ny;
      syncAxes();
      drawScatter();
      summarize();
      s.saveState();
    });
    const xInput = xSel.querySelector('select')!, yInput = ySel.querySelector('select')!;
    const kSlider = slider({ name: 'k', label: 'Components kept k', min: 1, max: 64, value: intParam(q, 'k', 1, 64, DEFAULTS.k), onInput: () => {
      drawVariance();
      summarize();
      s.saveState();
    } });
    s.controls.append(xSel, ySel, kSlider.element);

    const xVar = readout('x-ratio', 'Variance on the x component');
    const yVar = readout('y-ratio', 'Variance on the y component');
    const cum = readout('cumulative', h('span', {}, 'Cumulative, first k ', inlineMath(row('<munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>k</mi></munderover>', sub(mi('r'), mi('i'))), 'sum of r i for i from 1 to k')));
    const total = readout('total', 'Sum over all components');
    const status = h('p', { class: 'note', role: 'alert' });
    s.side.append(h('div', { class: 'readouts' }, xVar.element, yVar.element, cum.element, total.element), status);

    const scatter = h('div', { class: 'chart-box chart-square' });
    const images = h('div', { class: 'pca-images' });
    const variance = h('div', { class: 'chart-box' });
    s.pictures.append(
      figure('scatter', scatter, 'Scores on the two chosen components, the same scale on both axes; the legend names the digits.'),
      figure('components', images, 'The chosen components as 8 × 8 images: a digit’s score is the sum of its pixels weighted by these (after subtracting the mean digit).'),
      figure('variance', variance, 'Explained variance ratio of every component (bars; the first k filled) and the cumulative share (line).'),
    );
    container.append(s.root);

    try {
      const [X, target] = await Promise.all([fetchNpy('assets/digits.npy'), fetchNpy('assets/digits-target.npy')]);
      labels = Int32Array.from(target.toFlat());
      const flat = new Float64Array(X.rows * X.cols);
      for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) flat[i * X.cols + j] = X.get(i, j);
      s.setBusy(true);
      fit = await compute<typeof pcaFit>('pca.fit', { n: X.rows, p: X.cols, X: flat });
      s.setBusy(false);
    } catch (e) {
      s.setBusy(false);
      status.textContent = `Could not load the digits: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    ({ n, p, ratio } = fit);
    kSlider.setMax(p);
    cumulative = new Float64Array(p);
    ratio.reduce((acc, r, i) => (cumulative[i] = acc + r), 0);
    total.set(cumulative[p - 1]!, pct(cumulative[p - 1]!, 2));

    function syncAxes(): void {
      xInput.value = String(cx);
      yInput.value = String(cy);
    }

    function componentImage(c: number, range: number, f: PcaOutput): HTMLElement {
      const weights = f.components.subarray(c * p, (c + 1) * p);
      let lo = Infinity, hi = -Infinity;
      for (const v of weights) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      const canvas = h('canvas', {
        'data-tile': `component-${c + 1}`,
        role: 'img',
        'aria-label': `${c === cx ? 'x' : 'y'} axis: component ${c + 1} as an 8 by 8 image, ${pct(ratio[c]!, 2)} of the variance; pixel weights from ${fmt(lo, 2)} (blue) to ${fmt(hi, 2)} (red), white 0`,
      });
      drawScalar(canvas, weights, 8, 8, { scale: DIVERGING, lo: -range, hi: range });
      return h('figure', {}, canvas, h('figcaption', {}, `${c === cx ? 'x' : 'y'}: component ${c + 1}`));
    }

    function drawScatter(): void {
      if (!fit) return;
      xVar.set(ratio[cx]!, pct(ratio[cx]!, 2));
      yVar.set(ratio[cy]!, pct(ratio[cy]!, 2));
      const xs = fit.scores.subarray(cx * n, (cx + 1) * n), ys = fit.scores.subarray(cy * n, (cy + 1) * n);
      scatter.replaceChildren(
        scatterChart(xs, ys, labels, `component ${cx + 1}`, `component ${cy + 1}`, {
          width: scatter.clientWidth || 480,
          equalAspect: true,
          painter: paintInWorker,
          labelName: (d) => `digit ${d}`,
          pointText: (i) => `digit ${labels[i]}, sample #${i}: (${xs[i]!.toFixed(2)}, ${ys[i]!.toFixed(2)})`,
        }),
      );
      let range = 0;
      for (const c of [cx, cy]) for (let j = 0; j < p; j++) range = Math.max(range, Math.abs(fit.components[c * p + j]!));
      images.replaceChildren(h('div', { class: 'tiles' }, componentImage(cx, range, fit), componentImage(cy, range, fit)), colorBar(DIVERGING, -range, range, 'pixel weight'));
    }

    function drawVariance(): void {
      if (!fit) return;
      const k = kSlider.value();
      cum.set(cumulative[k - 1]!, pct(cumulative[k - 1]!, 2));
      variance.replaceChildren(
        barChart(ratio, 'component i', 'explained variance ratio', {
          width: variance.clientWidth || 480,
          kept: k,
          keptName: `kept (first ${k})`,
          line: { name: 'cumulative explained variance', values: cumulative },
          y: { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1], format: (v) => `${Math.round(v * 100)}%` },
          barText: (i, v) => `component ${i + 1}: ${pct(v, 2)} of the variance; first ${i + 1} together ${pct(cumulative[i]!, 1)}`,
          table: {
            caption: `Explained variance ratio of each component, and cumulative (k = ${k})`,
            columns: ['component i', 'explained variance ratio', 'cumulative', 'kept'],
            rows: Array.from(ratio, (v, i) => [i + 1, v, cumulative[i]!, i < k ? 'yes' : 'no']),
          },
        }),
      );
    }

    function summarize(): void {
      if (!fit) return;
      const k = kSlider.value();
      s.say(`Components ${cx + 1} and ${cy + 1} explain ${pct(ratio[cx]!, 1)} and ${pct(ratio[cy]!, 1)} of the variance; the first ${k} together keep ${pct(cumulative[k - 1]!, 1)}.`);
    }

    s.onReset(() => {
      cx = DEFAULTS.x;
      cy = DEFAULTS.y;
      syncAxes();
      drawScatter();
      setControl(s.root, 'k', DEFAULTS.k);
    });
    let drawnWidth = scatter.clientWidth;
    new ResizeObserver(() => {
      if (Math.abs(scatter.clientWidth - drawnWidth) < 8) return;
      drawnWidth = scatter.clientWidth;
      drawScatter();
      drawVariance();
    }).observe(scatter);
    syncAxes();
    drawScatter();
    drawVariance();
    summarize();
    s.saveState();
  },
};
