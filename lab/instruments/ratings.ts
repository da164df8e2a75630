/**
 * Instrument 1, low-rank ratings: the observed grid with blanks, its reconstruction
 * mu + U V^T where the blanks become predictions (or the hidden true ratings, or the error of
 * every cell), sliders for k and the gradient steps with a play button, the train and
 * held-out RMSE against k at the current steps (the lesson: train error keeps falling,
 * held-out error turns up past the planted rank) and along the steps for the current k.
 * The fitting runs in the Lab's compute worker (ratings-jobs.ts).
 */
import { DIVERGING, colorBar, legend, lineChart, luminanceOf, stopsScale, toHex, type ColorScale } from '../charts.js';
import { equation, inlineMath, mi, mn, mo, ms, norm, paren, row, space, sub, sum, sup, transpose } from '../math.js';
import { choiceParam, figure, fmt, h, intParam, numParam, readout, select, setControl, shell, slider } from '../ui.js';
import { latest } from '../worker-client.js';
import { K_MAX, MAX_STEPS, STEP, type RatingsFitOutput, type ratingsFit } from './ratings-jobs.js';
import type { Instrument } from './types.js';

const ID = 'ratings';
const DEFAULTS = { k: 2, steps: 300, show: 'prediction' as View, grid: 5 };
type View = 'prediction' | 'truth' | 'error';
const VIEWS: readonly View[] = ['prediction', 'truth', 'error'];

/** Star values 1..5: light blue through green to orange (all light, so dark text reads on them). */
const STARS: ColorScale = stopsScale('1 star (blue) – 5 stars (orange)', ['#cbd9f6', '#aaf0e7', '#8aea92', '#c1e569', '#df9449']);
/** The largest error the colours distinguish (a cell's prediction minus its true rating). */
const ERR = 2;

function cellColors(scale: ColorScale, t: number): { bg: string; fg: string } {
  const c = scale.at(t);
  return { bg: toHex(c), fg: luminanceOf(c) < 0.18 ? '#ffffff' : '#111111' };
}

/** min over U, V of sum over observed (r_ij - mu - u_i . v_j)^2 + lambda (||U||^2 + ||V||^2). */
const EQ_OBJECTIVE = equation([
  [
    row(
      sub(mo('min'), row(mi('U'), mo(','), mi('V'))),
      sum(row(paren(row(mi('i'), mo(','), mi('j'))), mo('∈'), mi('Ω'))),
      sup(paren(row(sub(mi('r'), row(mi('i'), mi('j'))), mo('−'), mi('μ'), mo('−'), sub(mi('u'), mi('i')), mo('·'), sub(mi('v'), mi('j')))), mn(2)),
      mo('+'),
      mi('λ'),
      paren(row(sup(norm(mi('U')), mn(2)), mo('+'), sup(norm(mi('V')), mn(2)))),
    ),
    'minimize over U and V the sum over observed cells i j of r i j minus mu minus u i dot v j, squared, plus lambda times the squared norms of U and V',
  ],
  [
    row(mi('R'), mo('≈'), mi('μ'), mo('+'), mi('U'), transpose(mi('V')), mo(','), space(), mi('k'), paren(row(mi('m'), mo('+'), mi('n'))), space(0.3), ms('parameters')),
    'R is approximated by mu plus U V transposed, with k times m plus n parameters',
  ],
]);

/** What one cell shows: its text, its colour (a scale and a position on it) and what a screen reader hears first. */
interface Cell {
  text: string;
  t: number;
  scale: ColorScale;
  /** Said before the value ('predicted ', 'hidden '); '' for none. */
  prefix: string;
}

/**
 * A ratings grid as a table built once per grid (users x items, blanks where `present` is
 * false) and repainted in place: only texts and colours change when k or the steps move,
 * so the browser re-lays out nothing (fixed table layout).
 */
class GridTable {
  readonly element: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly captionEl: HTMLElement;
  private readonly cells: ({ td: HTMLTableCellElement; prefix: HTMLSpanElement; v: HTMLSpanElement; bg?: string; fg?: string } | undefined)[] = [];
  private caption = '';

  constructor(
    readonly users: number,
    readonly items: number,
    present: (i: number, j: number) => boolean,
    predicted: (i: number, j: number) => boolean,
  ) {
    this.table = h('table', { class: 'ratings-grid' });
    this.captionEl = h('caption', {});
    this.table.append(this.captionEl);
    const head = h('tr', {}, h('td', {}));
    for (let j = 0; j < items; j++) head.append(h('th', { scope: 'col' }, `i${j + 1}`));
    this.table.append(h('thead', {}, head));
    const body = h('tbody');
    for (let i = 0; i < users; i++) {
      const tr = h('tr', {}, h('th', { scope: 'row' }, `u${i + 1}`));
      for (let j = 0; j < items; j++) {
        if (!present(i, j)) {
          tr.append(h('td', { class: 'blank' }, h('span', { class: 'sr-only' }, 'blank')));
          this.cells.push(undefined);
          continue;
        }
        const prefix = h('span', { class: 'sr-only' });
        const v = h('span', { class: 'v' });
        const td = h('td', { class: predicted(i, j) ? 'predicted' : undefined }, prefix, v);
        tr.append(td);
        this.cells.push({ td, prefix, v });
      }
      body.append(tr);
    }
    this.table.append(body);
    this.element = h('div', { class: 'scroll-x', tabindex: 0, role: 'region' }, this.table);
  }

  /** Show `cell(i, j)` in every present cell of rows `from` to `to` - 1 (default all), name the grid (`data-grid`) and caption it. */
  paint(name: string, caption: string, cell: (i: number, j: number) => Cell, from = 0, to = this.users): void {
    this.table.setAttribute('data-grid', name);
    if (caption !== this.caption) {
      this.caption = caption;
      this.captionEl.textContent = caption;
      this.element.setAttribute('aria-label', caption);
    }
    for (let i = from; i < Math.min(to, this.users); i++) {
      for (let j = 0; j < this.items; j++) {
        const c = this.cells[i * this.items + j];
        if (!c) continue;
        const x = cell(i, j);
        if (c.v.textContent !== x.text) c.v.textContent = x.text;
        if (c.prefix.textContent !== x.prefix) c.prefix.textContent = x.prefix;
        const col = cellColors(x.scale, x.t);
        // Only what changed (an unchanged cell keeps its cached paint).
        if (c.bg !== col.bg) c.td.style.background = c.bg = col.bg;
        if (c.fg !== col.fg) c.td.style.color = c.fg = col.fg;
      }
    }
  }
}

export const ratingsInstrument: Instrument = {
  id: ID,
  title: 'Low-rank ratings',
  mount(container) {
    const s = shell({
      id: ID,
      title: 'Low-rank ratings',
      intro:
        'Observed ratings of 16 users for 12 items (blank = unrated), generated from 2 hidden taste dimensions plus noise. ' +
        'The reconstruction μ + UVᵀ is fitted by gradient descent on the observed cells only; the blanks become predictions (outlined). ' +
        'Raise the steps to watch the train RMSE fall; raise k past 2 and the train RMSE keeps falling while the held-out RMSE on the blanks gets worse: overfitting.',
      equation: EQ_OBJECTIVE,
    });
    const q = s.params;
    const kSlider = slider({ name: 'k', label: 'Rank k', min: 1, max: K_MAX, value: intParam(q, 'k', 1, K_MAX, DEFAULTS.k), onInput: () => request() });
    const steps = slider({ name: 'steps', label: 'Training steps', min: 0, max: MAX_STEPS, step: STEP, value: numParam(q, 'steps', 0, MAX_STEPS, STEP, DEFAULTS.steps), onInput: () => request() });
    const showSelect = select(
      'show',
      'Right-hand grid shows',
      [
        ['prediction', 'the reconstruction μ + UVᵀ'],
        ['truth', 'the hidden true ratings'],
        ['error', 'the error of each cell'],
      ],
      choiceParam(q, 'show', VIEWS, DEFAULTS.show),
      () => draw(),
    );
    const showInput = showSelect.querySelector('select')!;
    const gridId = `${ID}-grid-number`;
    const gridInput = h('input', { type: 'number', id: gridId, min: 1, max: 999, step: 1, value: intParam(q, 'grid', 1, 999, DEFAULTS.grid), 'data-control': 'grid', class: 'num' });
    gridInput.addEventListener('change', () => request());
    const newGrid = h('button', { type: 'button', 'data-control': 'new-grid' }, 'New grid');
    newGrid.addEventListener('click', () => {
      gridInput.value = String((Number(gridInput.value) % 999) + 1);
      request();
    });
    const play = h('button', { type: 'button', 'data-action': 'play', 'aria-pressed': 'false' }, 'Play steps');
    s.controls.append(kSlider.element, steps.element, showSelect, h('div', { class: 'control control-inline' }, h('label', { for: gridId }, 'Grid'), gridInput));
    s.buttons.prepend(play, newGrid);

    const train = readout('train-rmse', 'Train RMSE (observed cells)');
    const held = readout('heldout-rmse', 'Held-out RMSE (the blanks)');
    const params = readout('params', h('span', {}, 'Parameters ', inlineMath(row(mi('k'), paren(row(mi('m'), mo('+'), mi('n')))), 'k times m plus n')));
    const observedCount = readout('observed', 'Observed cells');
    s.side.append(h('div', { class: 'readouts' }, train.element, held.element, params.element, observedCount.element));

    const gridsBox = h('div', { class: 'grids' });
    const keyBox = h('div', { class: 'ratings-key' });
    const kBox = h('div', { class: 'chart-box' });
    const stepsBox = h('div', { class: 'chart-box' });
    s.pictures.append(
      figure('grids', h('div', {}, gridsBox, keyBox), 'Right: what the factors say about every cell; left: the ratings they were fitted to. Outlined italic cells are predictions for blanks.'),
      figure('rmse-k', kBox, 'Final train and held-out RMSE for every k at the current steps: past the true rank the train error keeps falling while the held-out error turns up.'),
      figure('rmse-steps', stepsBox, 'Train and held-out RMSE along the gradient steps for the current k (fixed axes, so playing the steps does not rescale them).'),
    );
    container.append(s.root);

    let last: { out: RatingsFitOutput; k: number; steps: number; seed: number } | undefined;
    let tables: { seed: number; right: GridTable; left: GridTable } | undefined;
    let keyView = '';
    let playing = false;
    let playTimer: ReturnType<typeof setTimeout> | undefined;

    const channel = latest<typeof ratingsFit>('ratings.fit', {
      onBusy: s.setBusy,
      onResult(out, input) {
        last = { out, k: input.k, steps: input.steps, seed: input.seed };
        draw();
        s.saveState();
        if (playing && !channel.busy) later(drawJob, () => (playTimer = setTimeout(advance, 30)));
      },
      onError(msg) {
        s.say(`The ratings could not be fitted: ${msg}`);
        stopPlay();
      },
    });

    function request(): void {
      channel.request({ seed: Number(gridInput.value) || DEFAULTS.grid, k: kSlider.value(), steps: steps.value() });
    }

    function draw(): void {
      if (!last) return;
      const { out, k, steps: st, seed } = last;
      const { users: m, items: n } = out;
      const view = showInput.value as View;
      train.set(out.trainRmse);
      held.set(out.heldOutRmse);
      params.set(out.parameters, `${out.parameters} (vs ${m * n} cells)`);
      let obs = 0;
      for (const o of out.observed) obs += o;
      observedCount.set(obs, `${obs} of ${m * n}`);
      const isObs = (i: number, j: number): boolean => out.observed[i * n + j] === 1;
      const star = (v: number): Pick<Cell, 'text' | 't' | 'scale'> => ({ text: Math.min(5, Math.max(1, v)).toFixed(1), t: (Math.min(5, Math.max(1, v)) - 1) / 4, scale: STARS });
      if (!tables || tables.seed !== seed) {
        tables = { seed, right: new GridTable(m, n, () => true, (i, j) => !isObs(i, j)), left: new GridTable(m, n, isObs, () => false) };
        tables.left.paint('observed', 'Observed ratings R', (i, j) => ({ ...star(out.truth[i * n + j]!), prefix: '' }));
        gridsBox.replaceChildren(tables.right.element, tables.left.element);
      }
      const job = ++drawJob;
      s.setBusy(true);
      const [gridName, gridCaption, cellOf]: [string, string, (i: number, j: number) => Cell] =
        view === 'truth'
          ? ['truth', 'The hidden true ratings (blanks revealed)', (i, j) => ({ ...star(out.truth[i * n + j]!), prefix: isObs(i, j) ? '' : 'hidden ' })]
          : view === 'error'
            ? [
                'error',
                `Error of μ + UVᵀ (k = ${k}): prediction − true rating`,
                (i, j) => {
                  const e = out.prediction[i * n + j]! - out.truth[i * n + j]!;
                  return { text: `${e >= 0 ? '+' : '−'}${Math.abs(e).toFixed(1)}`, t: (Math.max(-ERR, Math.min(ERR, e)) + ERR) / (2 * ERR), scale: DIVERGING, prefix: isObs(i, j) ? '' : 'predicted ' };
                },
              ]
            : ['reconstruction', `Reconstruction μ + UVᵀ (k = ${k})`, (i, j) => ({ ...star(out.prediction[i * n + j]!), prefix: isObs(i, j) ? '' : 'predicted ' })];
      if (keyView === view) tables.right.paint(gridName, gridCaption, cellOf);
      else {
        // A new view changes every cell's text, colour and prefix: half the rows now and
        // half on the next task, so that neither task's layout and paint is long at 4x CPU
        // throttling (the whole grid at once took 100-180 ms of thread time there).
        const half = Math.ceil(m / 2);
        tables.right.paint(gridName, gridCaption, cellOf, 0, half);
        const right = tables.right;
        later(job, () => right.paint(gridName, gridCaption, cellOf, half, m));
      }
      if (keyView !== view) keyBox.replaceChildren(
        view === 'error' ? colorBar(DIVERGING, -ERR, ERR, 'prediction − truth (stars)', { ticks: [-2, -1, 0, 1, 2] }) : colorBar(STARS, 1, 5, 'rating (stars)', { ticks: [1, 2, 3, 4, 5] }),
        legend([{ name: 'observed: fitted to', color: '#cbd9f6', shape: 'box' }, { name: 'blank: predicted (outlined, italic)', color: '#cbd9f6', shape: 'outline' }], 'Cells'),
      );
      keyView = view;
      // The charts follow on later tasks, so that no single task holds the main thread long
      // (a new result cancels the rest of the previous one's drawing).
      later(job, () => drawK(out, k));
      later(job, () => drawSteps(out));
      later(job, () => {
        if (!channel.busy) s.setBusy(false);
      });
      const best = out.byK.reduce((a, b) => (b.heldOut < a.heldOut ? b : a));
      s.say(
        `k = ${k}, ${st} steps: train RMSE ${fmt(out.trainRmse, 3)}, held-out RMSE ${fmt(out.heldOutRmse, 3)}. ` +
          `At ${st} steps the held-out error is lowest at k = ${best.k}; the grid was made with rank ${out.plantedRank}.`,
      );
      s.root.setAttribute('data-summary', `k=${k} steps=${st} train=${fmt(out.trainRmse)}`);
    }

    let drawJob = 0;
    let queue: Promise<void> = Promise.resolve();
    /** Run `fn` on a task of its own after the ones queued before it, unless drawing job `job` was superseded. */
    function later(job: number, fn: () => void): void {
      queue = queue.then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              if (job === drawJob) fn();
              resolve();
            }, 0),
          ),
      );
    }

    function drawK(out: RatingsFitOutput, k: number): void {
      const width = Math.max(280, kBox.clientWidth || 480);
      kBox.replaceChildren(
        lineChart(
          [
            { name: 'train RMSE', cls: 'train', points: out.byK.map((p) => [p.k, p.train] as const) },
            { name: 'held-out RMSE', cls: 'heldout', points: out.byK.map((p) => [p.k, p.heldOut] as const) },
          ],
          'rank k',
          'RMSE',
          {
            width,
            x: { domain: [1, K_MAX], integer: true, ticks: Array.from({ length: K_MAX }, (_, i) => i + 1) },
            highlightX: k,
            markers: [
              ...(k === out.plantedRank ? [] : [{ axis: 'x' as const, value: out.plantedRank, label: `true rank ${out.plantedRank}`, color: '#9fb0c0', dashed: true }]),
              { axis: 'x', value: k, label: k === out.plantedRank ? `k = ${k} = true rank` : `k = ${k}` },
            ],
          },
        ),
      );
    }

    function drawSteps(out: RatingsFitOutput): void {
      const width = Math.max(280, kBox.clientWidth || 480);
      stepsBox.replaceChildren(
        lineChart(
          [
            { name: 'train RMSE', cls: 'train', dots: false, points: out.curve.map((p) => [p.step, p.train] as const) },
            { name: 'held-out RMSE', cls: 'heldout', dots: false, points: out.curve.map((p) => [p.step, p.heldOut] as const) },
          ],
          'gradient step',
          'RMSE',
          { width, x: { domain: [0, MAX_STEPS] }, y: { domain: [0, out.curveMax * 1.05] } },
        ),
      );
    }

    // Play: the steps slider runs from where it is (or from 0 at the end) to the end, one
    // step of the slider per shown result, so it never runs ahead of the worker.
    function advance(): void {
      playTimer = undefined;
      if (!playing) return;
      const v = steps.value();
      if (v >= MAX_STEPS) return stopPlay();
      steps.set(Math.min(MAX_STEPS, v + 2 * STEP));
    }
    function stopPlay(): void {
      playing = false;
      clearTimeout(playTimer);
      play.textContent = 'Play steps';
      play.setAttribute('aria-pressed', 'false');
    }
    play.addEventListener('click', () => {
      if (playing) return stopPlay();
      playing = true;
      play.textContent = 'Pause';
      play.setAttribute('aria-pressed', 'true');
      if (steps.value() >= MAX_STEPS) steps.set(0);
      else advance();
    });
    steps.input.addEventListener('pointerdown', stopPlay);
    steps.input.addEventListener('keydown', stopPlay);

    s.onReset(() => {
      stopPlay();
      showInput.value = DEFAULTS.show;
      gridInput.value = String(DEFAULTS.grid);
      setControl(s.root, 'k', DEFAULTS.k);
      setControl(s.root, 'steps', DEFAULTS.steps);
    });

    let drawnWidth = 0;
    new ResizeObserver(() => {
      const w = kBox.clientWidth;
      if (w === 0 || Math.abs(w - drawnWidth) < 8) return;
      drawnWidth = w;
      requestAnimationFrame(draw);
    }).observe(kBox);

    request();
  },
};
