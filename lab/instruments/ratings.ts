/**
 * Instrument 1, low-rank ratings: the observed grid with blanks, its reconstruction
 * mu + U V^T where the blanks become predictions, sliders for k and gradient steps, and
 * live train RMSE, held-out RMSE and parameter count k(m + n).
 */
import { lineChart } from '../charts.js';
import { explain, fmt, h, panel, readout, slider } from '../ui.js';
import { fitFactors, makeRatingsGrid, type FitResult, type RatingsGrid } from './ratings-model.js';
import type { Instrument } from './types.js';

/** Star value 1..5 as a background color (cool to warm). */
function starColor(v: number): string {
  const t = Math.min(1, Math.max(0, (v - 1) / 4));
  return `hsl(${Math.round(220 - 190 * t)} 70% ${Math.round(88 - 30 * t)}%)`;
}

function gridTable(grid: RatingsGrid, caption: string, value: (i: number, j: number) => number | undefined, predicted: (i: number, j: number) => boolean, name: string): HTMLTableElement {
  const table = h('table', { class: 'ratings-grid', 'data-grid': name });
  table.append(h('caption', {}, caption));
  const head = h('tr', {}, h('th', { scope: 'col' }, ''));
  for (let j = 0; j < grid.items; j++) head.append(h('th', { scope: 'col' }, `i${j + 1}`));
  table.append(h('thead', {}, head));
  const body = h('tbody');
  for (let i = 0; i < grid.users; i++) {
    const tr = h('tr', {}, h('th', { scope: 'row' }, `u${i + 1}`));
    for (let j = 0; j < grid.items; j++) {
      const v = value(i, j);
      const td = h('td', { class: predicted(i, j) ? 'predicted' : undefined }, v === undefined ? '' : v.toFixed(1));
      if (v !== undefined) td.style.background = starColor(v);
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  return table;
}

export const ratingsInstrument: Instrument = {
  id: 'ratings',
  title: 'Low-rank ratings',
  mount(container) {
    const root = panel('ratings', 'Low-rank ratings');
    root.append(
      explain(
        'Left: the observed ratings of 16 users for 12 items (blank = unrated); they were generated with 2 hidden taste dimensions plus noise. ' +
          'Right: the reconstruction μ + UVᵀ fitted by gradient descent on the observed cells only, where the blanks become predictions (outlined). ' +
          'Raise the steps to watch the train RMSE fall; raise k past 2 and the train RMSE keeps falling while the held-out RMSE on the blanks gets worse: overfitting.',
        'min over U, V of Σ_(i,j) observed (r_ij − μ − u_i·v_j)² + λ(‖U‖² + ‖V‖²),   parameters = k(m + n)',
      ),
    );
    let seed = 5;
    let grid = makeRatingsGrid({ seed });
    const train = readout('train-rmse', 'Train RMSE');
    const held = readout('heldout-rmse', 'Held-out RMSE (blanks)');
    const params = readout('params', 'Parameters k(m+n)');
    const observedCount = readout('observed', 'Observed cells');
    const grids = h('div', { class: 'grids' });
    const chart = h('div', { class: 'chart-box' });
    const kSlider = slider({ name: 'k', label: 'Rank k', min: 1, max: 8, value: 2, onInput: () => update() });
    const steps = slider({ name: 'steps', label: 'Training steps', min: 0, max: 2000, step: 10, value: 300, onInput: () => update() });
    const reseed = h('button', { type: 'button', 'data-control': 'new-grid' }, 'New grid');
    reseed.addEventListener('click', () => {
      seed += 1;
      grid = makeRatingsGrid({ seed });
      update();
    });
    root.append(
      h('div', { class: 'controls' }, kSlider.element, steps.element, reseed),
      h('div', { class: 'readouts' }, train.element, held.element, params.element, observedCount.element),
      grids,
      chart,
    );
    container.append(root);

    function update(): void {
      const r: FitResult = fitFactors(grid, { k: kSlider.value(), steps: steps.value() });
      train.set(r.trainRmse);
      held.set(r.heldOutRmse);
      params.set(r.parameters, `${r.parameters} (vs ${grid.users * grid.items} cells)`);
      let obs = 0;
      for (const o of grid.observed) obs += o;
      observedCount.set(obs, `${obs} of ${grid.users * grid.items}`);
      const isObs = (i: number, j: number): boolean => grid.observed[i * grid.items + j] === 1;
      grids.replaceChildren(
        gridTable(grid, 'Observed ratings R', (i, j) => (isObs(i, j) ? grid.truth.get(i, j) : undefined), () => false, 'observed'),
        gridTable(grid, `Reconstruction μ + UVᵀ (k = ${kSlider.value()})`, (i, j) => Math.min(5, Math.max(1, r.prediction.get(i, j))), (i, j) => !isObs(i, j), 'reconstruction'),
      );
      chart.replaceChildren(
        lineChart(
          [
            { name: 'train RMSE', cls: 'train', points: r.curve.map((p) => [p.step, p.train] as const) },
            { name: 'held-out RMSE', cls: 'heldout', points: r.curve.map((p) => [p.step, p.heldOut] as const) },
          ],
          'gradient step',
          'RMSE',
        ),
      );
      root.setAttribute('data-summary', `k=${kSlider.value()} steps=${steps.value()} train=${fmt(r.trainRmse)}`);
    }
    update();
  },
};
