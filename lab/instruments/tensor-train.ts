/**
 * Instrument 6, tensor train: a function of d variables on an n^d grid (or a 1-D signal on
 * 2^L points in quantics form), compressed by TT-SVD at a relative accuracy eps chosen on a
 * log slider. Shows the bond ranks against the largest possible ones, the numbers the train
 * stores against the full tensor, the error measured on the full tensor next to eps, the
 * entanglement entropy across each bond, and a sweep of error and storage over all eps.
 *
 * Work is taken off the input handlers and coalesced (latest state wins): a change marks the
 * instrument busy and schedules one recompute on a fresh task, which reads whatever the
 * controls hold by then. The grids keep a recompute to tens of milliseconds; the sweep runs
 * one eps per task afterwards and yields to any new change. The state lives in the controls
 * (keyed by their `data-control` names: source, d, log-eps) and in the URL fragment,
 * `#tensor-train?source=hilbert&d=5&log-eps=-6`.
 */
import { equation, frac, inlineMath, mi, mn, mo, ms, norm, row, space, sub, sum, sup, type Equation } from '../math.js';
import { MUTED, SERIES, barChart, lineChart } from '../charts.js';
import { choiceParam, figure as labFigure, fmt, h, intParam, numParam, pct, select, setControl, shell, slider } from '../ui.js';
import { latest, compute } from '../worker-client.js';
import {
  LOG_EPS_DEFAULT,
  LOG_EPS_MAX,
  LOG_EPS_MIN,
  LOG_EPS_STEP,
  TT_SOURCES,
  sourceById,
  sweepLogEps,
  type SweepPoint,
  type TtSourceId,
} from './tensor-train-model.js';
import type { TtCompressOutput, ttCompress, ttEntropy, ttSweepPoint } from './tensor-train-jobs.js';
import type { Instrument } from './types.js';

const ID = 'tensor-train';
const DEFAULT_SOURCE = 'hilbert';

/** The instrument's state, keyed by the controls' `data-control` names. */
interface TtState {
  source: string;
  d: number;
  'log-eps': number;
}

// ---------------------------------------------------------------------------------------
// Equations (MathML, lab/math.ts).

const gap = space();
const rk = (k: string): string => sub(mi('r'), k);
const iK = (k: string): string => sub(mi('i'), k);
const kMinus1 = row(mi('k'), mo('−'), mn('1'));
const TT = sub(mi('T'), `<mtext>TT</mtext>`);

const sigma2 = (i: string): string => sup(sub(mi('σ'), mi(i)), mn('2'));
const log2 = sub(mi('log'), mn('2'));

/** T(i_1, ..., i_d) = G_1(i_1) G_2(i_2) ... G_d(i_d);  G_k(i_k) in R^{r_{k-1} x r_k}, r_0 = r_d = 1. */
const EQ_FORMAT: Equation = [
  [
    row(
      mi('T'), mo('('), iK(mn('1')), mo(','), mo('…'), mo(','), iK(mi('d')), mo(')'), mo('='),
      sub(mi('G'), mn('1')), mo('('), iK(mn('1')), mo(')'), sub(mi('G'), mn('2')), mo('('), iK(mn('2')), mo(')'), mo('⋯'), sub(mi('G'), mi('d')), mo('('), iK(mi('d')), mo(')'),
    ),
    'T of i 1 to i d equals G 1 of i 1 times G 2 of i 2 and so on up to G d of i d',
  ],
  [
    row(sub(mi('G'), mi('k')), mo('('), iK(mi('k')), mo(')'), mo('∈'), sup(mi('ℝ'), row(rk(kMinus1), mo('×'), rk(mi('k')))), mo(','), gap, rk(mn('0')), mo('='), rk(mi('d')), mo('='), mn('1')),
    'where each G k of i k is an r k minus 1 by r k matrix, and r 0 = r d = 1',
  ],
];

/** Storage: sum_k r_{k-1} n_k r_k numbers instead of prod_k n_k. */
const EQ_STORAGE: Equation = [
  [
    row(sum(row(mi('k'), mo('='), mn('1')), mi('d')), rk(kMinus1), sub(mi('n'), mi('k')), rk(mi('k'))),
    'the sum over k of r k minus 1 times n k times r k numbers',
  ],
  [
    row(ms('instead of'), gap, `<munderover><mo>∏</mo>${row(mi('k'), mo('='), mn('1'))}${mi('d')}</munderover>`, sub(mi('n'), mi('k'))),
    'instead of the product of all n k',
  ],
];

/** ||T - TT||_F <= eps ||T||_F, as each of the d - 1 SVDs drops at most eps ||T||_F / sqrt(d - 1). */
const EQ_BOUND: Equation = [
  [row(norm(row(mi('T'), mo('−'), TT)), mo('≤'), mi('ε'), norm(mi('T'))), 'the norm of T minus the train is at most epsilon times the norm of T'],
  [
    row(ms('as at each bond'), gap, `<msqrt>${row(sum(row(mi('i'), mo('&gt;'), rk(mi('k')))), sigma2('i'))}</msqrt>`, mo('≤'), frac(row(mi('ε'), norm(mi('T'))), `<msqrt>${row(mi('d'), mo('−'), mn('1'))}</msqrt>`)),
    'as at each bond the dropped singular values have a root sum of squares of at most epsilon times the norm of T over the square root of d minus 1',
  ],
];

/** S_k = -sum_i p_i log2 p_i with p_i = sigma_i^2 / sum_j sigma_j^2;  0 <= S_k <= log2 rank. */
const EQ_ENTROPY: Equation = [
  [row(sub(mi('S'), mi('k')), mo('='), mo('−'), sum(mi('i')), sub(mi('p'), mi('i')), log2, sub(mi('p'), mi('i'))), 'S k equals minus the sum over i of p i times log base 2 of p i'],
  [row(sub(mi('p'), mi('i')), mo('='), frac(sigma2('i'), row(sum(mi('j')), sigma2('j')))), 'with p i the squared singular value sigma i over the sum of all squared singular values across the bond'],
  [
    row(mn('0'), mo('≤'), sub(mi('S'), mi('k')), mo('≤'), log2, mo('min'), mo('('), sup(mi('n'), mi('k')), mo(','), sup(mi('n'), row(mi('d'), mo('−'), mi('k'))), mo(')')),
    'and S k lies between 0 and log base 2 of the smaller of n to the k and n to the d minus k',
  ],
];

// ---------------------------------------------------------------------------------------
// Charts (lab/charts.ts: ticks, legends, data tables, contrast-checked colours).

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
/** 10^e as text with a superscript exponent: 10⁻⁶ (1 and 10 as they are). */
function pow10(e: number): string {
  if (e === 0) return '1';
  if (e === 1) return '10';
  return `10${superscript(e)}`;
}

/** A small integer as superscript digits (2¹⁴, 12⁵). */
function superscript(n: number): string {
  return String(n).replace(/./g, (c) => SUPERSCRIPT[c] ?? c);
}

/** eps as a short number: 1e-6, 3.2e-6. */
function epsText(logEps: number): string {
  const v = 10 ** logEps;
  return Number.isInteger(logEps) ? `1e${logEps}` : v.toExponential(1);
}

/**
 * Bond ranks as bars on a log axis (from 1/2, so rank 1 shows), with the largest possible
 * rank of each bond as a dashed outline behind its bar and the rank written over it.
 */
function rankChart(width: number, ranks: readonly number[], maxRanks: readonly number[]): HTMLElement {
  const top = Math.max(10, ...maxRanks);
  return barChart(ranks, 'bond k (between modes k and k+1)', 'rank', {
    width,
    name: 'the rank TT-SVD kept',
    behind: { name: 'the largest possible, min(nᵏ, nᵈ⁻ᵏ)', values: maxRanks },
    valueText: (_, r) => String(r),
    y: { scale: 'log', domain: [0.5, top * 1.6], ticks: [1, 10, 100, 1000, 1e4, 1e5, 1e6].filter((t) => t <= top), format: (v) => fmt(v) },
    barText: (k, r) => `bond ${k + 1}: rank ${r} of at most ${maxRanks[k]}`,
    table: {
      caption: 'Bond ranks of the train and the largest possible ranks',
      columns: ['bond k', 'rank kept', 'largest possible'],
      rows: ranks.map((r, k) => [k + 1, r, maxRanks[k]!]),
    },
  });
}

/**
 * The tensor's entropy per bond (bits) as bars, under the largest possible value
 * log2 min(n^k, n^(d-k)) (dashed outline), with log2 r_k of the current train marked: the
 * most a train of that rank can carry across the bond.
 */
function entropyChart(width: number, entropy: ArrayLike<number> | undefined, ranks: readonly number[], maxRanks: readonly number[]): HTMLElement {
  const S = entropy ? Array.from(entropy) : ranks.map(() => NaN);
  const caps = ranks.map((r) => Math.log2(r));
  const most = maxRanks.map((r) => Math.log2(r));
  const top = Math.max(1, ...most) * 1.12;
  const roomy = width / ranks.length >= 60; // room for a value over each bar
  return barChart(S, 'bond k', 'entropy (bits)', {
    width,
    color: SERIES[0],
    name: entropy ? 'the entanglement entropy of T/‖T‖' : 'the entanglement entropy (being computed)',
    behind: { name: 'its largest possible value', values: most },
    caps: { name: 'log₂ rₖ of the train at this ε', values: caps },
    valueText: roomy ? (_, v) => (v < 0.1 ? v.toFixed(3) : v.toFixed(2)) : undefined,
    y: { domain: [0, top] },
    barText: (k, v) => `bond ${k + 1}: entropy ${v.toFixed(3)} bits; log₂ r = ${caps[k]!.toFixed(2)}; at most ${most[k]!.toFixed(2)}`,
  });
}

/**
 * Error and storage against eps on log-log axes: the measured error of every whole decade
 * of eps (it must stay under the diagonal, the bound), the storage fraction params / n^d,
 * and the slider's eps marked with its own error and storage.
 */
function sweepChart(width: number, points: readonly SweepPoint[], current: { relError: number; storage: number }, logEps: number): HTMLElement {
  const eps = 10 ** logEps;
  return lineChart(
    [
      { name: 'storage, train ÷ tensor', color: SERIES[1], dots: true, points: points.map((p) => [10 ** p.logEps, p.storage] as const) },
      { name: 'measured error', color: SERIES[0], dots: true, cls: 'tt-error', points: points.map((p) => [10 ** p.logEps, p.relError] as const) },
      { name: 'the bound, error = ε', color: MUTED, dashed: true, dots: false, points: [[10 ** LOG_EPS_MIN, 10 ** LOG_EPS_MIN], [10 ** LOG_EPS_MAX, 10 ** LOG_EPS_MAX]] },
    ],
    'ε',
    'fraction of the tensor',
    {
      width,
      x: { scale: 'log', domain: [10 ** LOG_EPS_MIN, 10 ** LOG_EPS_MAX] },
      y: { scale: 'log', domain: [1e-16, 10] },
      markers: [{ axis: 'x', value: eps, label: `ε = ${epsText(logEps)}` }],
      points: [
        { x: eps, y: current.relError, label: `at ε = ${epsText(logEps)}: measured error ${current.relError.toExponential(2)}`, color: SERIES[0] },
        { x: eps, y: current.storage, label: `at ε = ${epsText(logEps)}: storage ${pct(current.storage, 3)}`, color: SERIES[1] },
      ],
      xText: (v) => pow10(Math.round(Math.log10(v))),
      yText: (v) => v.toExponential(2),
      table: {
        caption: 'Measured error and storage at every whole decade of ε',
        columns: ['ε', 'measured error', 'storage (train ÷ tensor)'],
        rows: points.map((p) => [pow10(p.logEps), p.relError.toExponential(2), pct(p.storage, 3)]),
      },
    },
  );
}

/** The quantics signal and the train's samples of it (subsampled to at most 1024 points). */
function signalChart(width: number, signal: Float64Array, approx: Float64Array, logEps: number): HTMLElement {
  const N = signal.length;
  const stride = Math.max(1, Math.floor(N / 1024));
  const pts = (v: Float64Array): (readonly [number, number])[] => {
    const out: (readonly [number, number])[] = [];
    for (let p = 0; p < N; p += stride) out.push([p / (N - 1), v[p]!]);
    return out;
  };
  return lineChart(
    [
      { name: `the chirp sin(100 t²), ${N} samples`, color: MUTED, points: pts(signal) },
      { name: `the train’s entries at ε = ${epsText(logEps)}`, color: SERIES[1], points: pts(approx) },
    ],
    't',
    'value',
    { width, x: { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] }, y: { domain: [-1.3, 1.3], ticks: [-1, 0, 1] }, yText: (v) => v.toFixed(4) },
  );
}

// ---------------------------------------------------------------------------------------

/** A number tile without its own live region (the shell's summary line announces changes). */
function tile(name: string, caption: string | Node): { element: HTMLElement; set(value: number | string, shown: string): void } {
  const value = h('span', { class: 'tt-tile-value', 'data-stat': name, 'data-value': '' }, '–');
  const element = h('div', { class: 'tt-tile' }, h('span', { class: 'tt-tile-caption' }, caption), value);
  return {
    element,
    set(v, shown) {
      value.setAttribute('data-value', String(v));
      value.textContent = shown;
    },
  };
}

function figure(name: string, chart: HTMLElement, caption: (Node | string)[], eq?: Equation, after: (Node | string)[] = []): HTMLElement {
  return labFigure(name, chart, h('span', {}, ...caption), eq ? equation(eq) : null, after.length > 0 ? h('span', {}, ...after) : null);
}

export const tensorTrainInstrument: Instrument = {
  id: ID,
  title: 'Tensor train',
  mount(container) {
    const s = shell({
      id: ID,
      title: 'Tensor train',
      intro:
        'A function of d variables sampled on an n × ⋯ × n grid is a d-way array of nᵈ numbers: far too many once d grows. ' +
        'The tensor train writes every entry as a product of d small matrices, one picked by each index; ' +
        'TT-SVD finds them with d − 1 truncated SVDs, keeping at each bond the fewest singular values that hold the error under ε. ' +
        'Move ε and watch the ranks, the storage and the error.',
      equation: equation(EQ_FORMAT),
    });
    const { root } = s;

    // The state from the URL fragment (#tensor-train?source=hilbert&d=5&log-eps=-6), checked.
    const sourceIds = TT_SOURCES.map((x) => x.id);
    const initialSourceId = choiceParam<TtSourceId>(s.params, 'source', sourceIds, DEFAULT_SOURCE);
    const initialSource = sourceById(initialSourceId);
    const initial: TtState = {
      source: initialSourceId,
      d: intParam(s.params, 'd', initialSource.dMin, initialSource.dMax, initialSource.dDefault),
      'log-eps': numParam(s.params, 'log-eps', LOG_EPS_MIN, LOG_EPS_MAX, LOG_EPS_STEP, LOG_EPS_DEFAULT),
    };

    // Controls (their data-control names are the state's keys).
    const sourceSelect = select('source', 'Function', TT_SOURCES.map((x) => [x.id, x.label] as const), initial.source, (v) => {
      const src = sourceById(v);
      setRange(src.dMin, src.dMax);
      dSlider.set(src.dDefault);
    });
    const sourceInput = sourceSelect.querySelector('select')!;
    const dSlider = slider({ name: 'd', label: 'Modes d', min: initialSource.dMin, max: initialSource.dMax, value: initial.d, onInput: () => request() });
    const epsSlider = slider({
      name: 'log-eps',
      label: 'Accuracy',
      min: LOG_EPS_MIN,
      max: LOG_EPS_MAX,
      step: LOG_EPS_STEP,
      value: initial['log-eps'],
      format: (v) => `ε = ${epsText(v)}`,
      onInput: () => request(),
    });
    const setRange = (min: number, max: number): void => {
      dSlider.input.min = String(Math.min(min, Number(dSlider.input.max)));
      dSlider.setMax(max);
      dSlider.input.min = String(min);
    };
    s.controls.append(sourceSelect, dSlider.element, epsSlider.element);

    // Numbers.
    const ranksTile = tile('ranks', h('span', {}, 'TT ranks ', inlineMath(row(rk(mn('0')), mo(','), mo('…'), mo(','), rk(mi('d'))), 'r 0 to r d')));
    const paramsTile = tile('params', 'numbers in the train');
    const sizeTile = tile('size', 'entries of the full tensor');
    const ratioTile = tile('compression', 'compression, full ÷ train');
    const errorTile = tile('rel-error', h('span', {}, 'measured error ', inlineMath(row(norm(row(mi('T'), mo('−'), TT)), mo('/'), norm(mi('T'))), 'norm of T minus the train over norm of T')));
    const epsTile = tile('eps', h('span', {}, 'bound ', inlineMath(mi('ε'), 'epsilon')));
    ranksTile.element.classList.add('tt-wide');
    const grid = h('p', { class: 'note', 'data-stat': 'grid' });
    const sourceNote = h('p', { class: 'note', 'data-stat': 'source-note' });
    s.side.append(h('div', { class: 'tt-tiles' }, ranksTile.element, paramsTile.element, sizeTile.element, ratioTile.element, errorTile.element, epsTile.element), grid, sourceNote);

    // Pictures, each with its equation; the rank chart first (next to the controls on a phone).
    const rankBox = h('div', { class: 'tt-chart' });
    const signalBox = h('div', { class: 'tt-chart' });
    const sweepBox = h('div', { class: 'tt-chart' });
    const entropyBox = h('div', { class: 'tt-chart', 'data-stat': 'entropy', 'data-value': '' });
    const signalFigure = figure('signal', signalBox, ['The samples and the train’s entries: at large ε the train smooths the fast end of the chirp.']);
    s.pictures.append(
      figure('ranks', rankBox, ['The rank TT-SVD kept at each bond, under the largest possible, min(nᵏ, nᵈ⁻ᵏ). The train stores'], EQ_STORAGE),
      signalFigure,
      figure(
        'sweep',
        sweepBox,
        ['At every whole decade of ε (the marker: the slider’s), the storage (train ÷ tensor) and the measured error, which never crosses the bound: each of the d − 1 SVDs drops only a share of the error budget.'],
        EQ_BOUND,
      ),
      figure(
        'entropy',
        entropyBox,
        ['The entanglement entropy of T/‖T‖ across each bond (a property of the tensor: ε does not move it), under its largest possible value, and log₂ rₖ of the train at this ε, the most its rank can carry. 0 for a product; at most 1 bit for sin, a sum of two products.'],
        EQ_ENTROPY,
      ),
    );
    container.append(root);

    // Compute in the worker, latest settings win; the entropy and the sweep follow, one job at a time.
    const state = (): TtState => ({ source: sourceInput.value, d: dSlider.value(), 'log-eps': epsSlider.value() });
    const sweeps = new Map<string, SweepPoint[]>();
    const entropies = new Map<string, Float64Array>();
    let last: { out: TtCompressOutput; state: TtState; key: string } | undefined;
    let background = false;

    const channel = latest<typeof ttCompress>('tensor-train.compress', {
      onBusy: s.setBusy,
      onResult(out, input) {
        const st: TtState = { source: input.source, d: input.d, 'log-eps': input.logEps };
        last = { out, state: st, key: `${st.source}:${st.d}` };
        showNumbers();
        drawCharts();
        s.saveState();
        void backgroundWork();
      },
      onError(msg) {
        s.say(`The tensor train could not be computed: ${msg}`);
      },
    });

    function request(): void {
      const st = state();
      channel.request({ source: st.source, d: st.d, logEps: st['log-eps'] });
    }

    function showNumbers(): void {
      if (!last) return;
      const { out: r, state: st } = last;
      const src = sourceById(st.source);
      const ranks = [1, ...r.bondRanks, 1];
      ranksTile.set(ranks.join(','), ranks.join(' – '));
      paramsTile.set(r.params, fmt(r.params));
      sizeTile.set(r.size, fmt(r.size));
      const ratio = r.size / r.params;
      ratioTile.set(ratio, ratio >= 1 ? `${fmt(ratio, 3)}×` : `${fmt(ratio, 3)}× (larger!)`);
      errorTile.set(r.relError, r.relError === 0 ? '0' : r.relError.toExponential(2));
      epsTile.set(r.eps, epsText(st['log-eps']));
      const n = r.shape[0]!;
      grid.textContent =
        src.kind === 'quantics'
          ? `2${superscript(st.d)} = ${fmt(r.size)} samples t = p/2${superscript(st.d)}, folded into d = ${st.d} modes of size 2 (the bits of p).`
          : `Grid: d = ${st.d} modes of n = ${n} points, ${n}${superscript(st.d)} = ${fmt(r.size)} entries.`;
      sourceNote.textContent = src.note;
      s.say(
        `At ε = ${epsText(st['log-eps'])} the train has ranks ${ranks.join('-')}, stores ${fmt(r.params)} numbers ` +
          `(${pct(r.storage, r.storage < 0.01 ? 3 : 1)} of ${fmt(r.size)}) and its measured error is ${r.relError.toExponential(1)}, ${r.relError <= r.eps ? 'within' : 'over'} ε.`,
      );
    }

    let drawnWidth = 0;
    function drawCharts(): void {
      if (!last) return;
      const { out: r, state: st, key: k } = last;
      drawnWidth = rankBox.clientWidth;
      const w = drawnWidth || 480;
      rankBox.replaceChildren(rankChart(w, r.bondRanks, r.maxRanks));
      const S = entropies.get(k);
      entropyBox.setAttribute('data-value', S ? Array.from(S).join(',') : '');
      entropyBox.replaceChildren(entropyChart(w, S, r.bondRanks, r.maxRanks));
      signalFigure.hidden = !r.signal;
      if (r.signal && r.approx) signalBox.replaceChildren(signalChart(w, r.signal, r.approx, st['log-eps']));
      drawSweep();
    }

    function drawSweep(): void {
      if (!last) return;
      const pts = sweeps.get(last.key) ?? [];
      sweepBox.setAttribute('data-points', String(pts.length));
      sweepBox.replaceChildren(sweepChart(drawnWidth || 480, pts, last.out, last.state['log-eps']));
    }

    /**
     * Work for the current tensor after its view is drawn, one worker job at a time and only
     * while no recompute is waiting: its entropy per bond, then the sweep, one eps per job.
     */
    async function backgroundWork(): Promise<void> {
      if (background) return;
      background = true;
      try {
        const todo = sweepLogEps();
        for (;;) {
          if (!last || channel.busy) return; // the next result starts this again
          const { key: k, state: st } = last;
          const tensor = { source: st.source, d: st.d };
          if (!entropies.has(k)) {
            entropies.set(k, await compute<typeof ttEntropy>('tensor-train.entropy', tensor));
            if (last.key === k) drawCharts();
            continue;
          }
          const pts = sweeps.get(k) ?? [];
          sweeps.set(k, pts);
          if (pts.length >= todo.length) return;
          const pt = await compute<typeof ttSweepPoint>('tensor-train.sweep', { ...tensor, logEps: todo[pts.length]! });
          if (pts.length < todo.length && pts.every((p) => p.logEps !== pt.logEps)) pts.push(pt);
          if (last.key === k) drawSweep();
        }
      } catch (e) {
        s.say(`The ε sweep could not be computed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        background = false;
      }
    }

    s.onReset(() => {
      const src = sourceById(DEFAULT_SOURCE);
      sourceInput.value = DEFAULT_SOURCE;
      setRange(src.dMin, src.dMax);
      dSlider.set(src.dDefault);
      setControl(root, 'log-eps', LOG_EPS_DEFAULT);
    });

    // Charts are drawn at their box's width: redraw (without recomputing) when it changes.
    let resizeFrame = 0;
    new ResizeObserver(() => {
      const w = rankBox.clientWidth;
      if (w === 0 || Math.abs(w - drawnWidth) < 8) return;
      cancelAnimationFrame(resizeFrame);
      resizeFrame = requestAnimationFrame(drawCharts);
    }).observe(rankBox);

    request();
  },
};
