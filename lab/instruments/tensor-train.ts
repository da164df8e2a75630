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
import { choiceParam, figure as labFigure, fmt, h, intParam, numParam, pct, select, setControl, shell, slider, svg } from '../ui.js';
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
// Charts (SVG, scaled through viewBox like lab/charts.ts; classes styled in styles.css).

/**
 * A chart's size in SVG user units, equal to its box's width in CSS pixels (so its text is
 * the same size on a phone as on a desktop), and its plot area.
 */
interface Frame {
  readonly W: number;
  readonly H: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly plotW: number;
  readonly plotH: number;
}

function frameFor(width: number): Frame {
  const W = Math.round(Math.min(900, Math.max(300, width || 480)));
  const H = Math.round(Math.min(300, Math.max(210, W * 0.42)));
  const left = 52, right = 12, top = 16, bottom = 36;
  return { W, H, left, right, top, bottom, plotW: W - left - right, plotH: H - top - bottom };
}

function chartRoot(f: Frame, label: string): SVGSVGElement {
  const root = svg('svg', { viewBox: `0 0 ${f.W} ${f.H}`, width: f.W, height: f.H, class: 'chart', role: 'img', 'aria-label': label });
  const t = svg('title');
  t.textContent = label;
  root.append(t);
  return root;
}

function text(x: number, y: number, s: string, cls: string, anchor = 'middle', extra: Record<string, string | number> = {}): SVGTextElement {
  const el = svg('text', { x, y, 'text-anchor': anchor, class: cls, ...extra });
  el.textContent = s;
  return el;
}

function axes(f: Frame, root: SVGSVGElement, xLabel: string, yLabel: string): void {
  root.append(svg('line', { x1: f.left, y1: f.H - f.bottom, x2: f.W - f.right, y2: f.H - f.bottom, class: 'axis' }));
  root.append(svg('line', { x1: f.left, y1: f.top, x2: f.left, y2: f.H - f.bottom, class: 'axis' }));
  root.append(text(f.left + f.plotW / 2, f.H - 4, xLabel, 'axis-label'));
  const cy = f.top + f.plotH / 2;
  root.append(text(12, cy, yLabel, 'axis-label', 'middle', { transform: `rotate(-90 12 ${cy})` }));
}

function yTick(f: Frame, root: SVGSVGElement, y: number, label: string): void {
  root.append(svg('line', { x1: f.left, x2: f.W - f.right, y1: y, y2: y, class: 'grid' }));
  root.append(text(f.left - 5, y + 4, label, 'tick', 'end'));
}

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

/** Bars of `values` over bonds 1 .. nb: the shared geometry of the rank and entropy charts. */
function bondSlots(f: Frame, nb: number): { center(k: number): number; x0(k: number): number; w: number } {
  const bw = f.plotW / nb;
  const w = Math.min(64, bw * 0.7);
  return { center: (k) => f.left + (k + 0.5) * bw, x0: (k) => f.left + k * bw + (bw - w) / 2, w };
}

/**
 * Bond ranks as bars on a log axis (from 1/2, so rank 1 shows), with the largest possible
 * rank of each bond as an outline behind its bar.
 */
function rankChart(f: Frame, ranks: readonly number[], maxRanks: readonly number[]): SVGSVGElement {
  const root = chartRoot(f, `Bond ranks ${ranks.join(', ')}; the largest possible ranks are ${maxRanks.join(', ')}`);
  const top = Math.max(10, ...maxRanks);
  const lo = Math.log10(0.5);
  const hi = Math.log10(top) + 0.15;
  const y = (r: number): number => f.top + f.plotH * (1 - (Math.log10(r) - lo) / (hi - lo));
  const base = f.H - f.bottom;
  axes(f, root, 'bond k (between modes k and k+1)', 'rank (log scale)');
  for (let e = 0; 10 ** e <= top; e++) yTick(f, root, y(10 ** e), fmt(10 ** e));
  const slot = bondSlots(f, ranks.length);
  ranks.forEach((r, k) => {
    root.append(svg('rect', { x: slot.x0(k), y: y(maxRanks[k]!), width: slot.w, height: base - y(maxRanks[k]!), class: 'tt-ghost' }));
    root.append(svg('rect', { x: slot.x0(k), y: y(r), width: slot.w, height: base - y(r), class: 'bar kept' }));
    root.append(text(slot.center(k), y(r) - 4, String(r), 'tt-value'));
    root.append(text(slot.center(k), base + 14, String(k + 1), 'tick'));
  });
  return root;
}

/**
 * The tensor's entropy per bond (bits) as bars, under the largest possible value
 * log2 min(n^k, n^(d-k)) (outline), with log2 r_k of the current train marked: the most a
 * train of that rank can carry across the bond.
 */
function entropyChart(f: Frame, entropy: ArrayLike<number> | undefined, ranks: readonly number[], maxRanks: readonly number[]): SVGSVGElement {
  const S = entropy ? Array.from(entropy) : undefined;
  const caps = ranks.map((r) => Math.log2(r));
  const most = maxRanks.map((r) => Math.log2(r));
  const root = chartRoot(
    f,
    S
      ? `Entanglement entropy of the tensor per bond in bits: ${S.map((v) => v.toFixed(3)).join(', ')}; log2 of the train's ranks: ${caps.map((c) => c.toFixed(2)).join(', ')}; largest possible: ${most.map((c) => c.toFixed(2)).join(', ')}`
      : 'Entanglement entropy per bond: being computed',
  );
  const top = Math.max(1, ...most) * 1.12;
  const y = (v: number): number => f.top + f.plotH * (1 - v / top);
  const base = f.H - f.bottom;
  axes(f, root, 'bond k', 'entropy (bits)');
  const step = top > 8 ? 2 : top > 3 ? 1 : 0.5;
  for (let t = 0; t <= top; t += step) yTick(f, root, y(t), String(t));
  const slot = bondSlots(f, ranks.length);
  const roomy = f.plotW / ranks.length >= 40; // room for a value over each bar
  ranks.forEach((_, k) => {
    root.append(svg('rect', { x: slot.x0(k), y: y(most[k]!), width: slot.w, height: base - y(most[k]!), class: 'tt-ghost' }));
    const v = S?.[k];
    if (v !== undefined) {
      root.append(svg('rect', { x: slot.x0(k), y: y(v), width: slot.w, height: Math.max(0, base - y(v)), class: 'tt-entropy' }));
      if (roomy) root.append(text(slot.center(k), Math.min(y(v), y(caps[k]!)) - 5, v < 0.1 ? v.toFixed(3) : v.toFixed(2), 'tt-value'));
    }
    root.append(svg('line', { x1: slot.x0(k) - 3, x2: slot.x0(k) + slot.w + 3, y1: y(caps[k]!), y2: y(caps[k]!), class: 'tt-cap' }));
    root.append(text(slot.center(k), base + 14, String(k + 1), 'tick'));
  });
  if (!S) root.append(text(f.left + f.plotW / 2, f.top + f.plotH / 2, 'computing…', 'legend'));
  return root;
}

const Y_LO = -16;
const Y_HI = 1;
/**
 * Error and storage against eps on log-log axes: the measured error of every whole decade
 * of eps (it must stay under the diagonal, the bound), the storage fraction params / n^d,
 * and a marker at the slider's eps.
 */
function sweepChart(f: Frame, points: readonly SweepPoint[], current: { relError: number; storage: number }, logEps: number): SVGSVGElement {
  const root = chartRoot(
    f,
    `Measured error and storage against eps. ${points.map((p) => `eps ${pow10(p.logEps)}: error ${p.relError.toExponential(1)}, storage ${pct(p.storage, 2)}`).join('; ')}`,
  );
  const x = (e: number): number => f.left + (f.plotW * (e - LOG_EPS_MIN)) / (LOG_EPS_MAX - LOG_EPS_MIN);
  const y = (v: number): number => {
    const e = Math.min(Y_HI, Math.max(Y_LO, Math.log10(Math.max(v, 1e-300))));
    return f.top + f.plotH * (1 - (e - Y_LO) / (Y_HI - Y_LO));
  };
  axes(f, root, 'ε (log scale)', 'fraction of the tensor');
  for (let e = Y_LO; e <= 0; e += 4) yTick(f, root, y(10 ** e), pow10(e));
  const every = f.plotW < 400 ? 3 : 2;
  for (let e = LOG_EPS_MIN; e <= LOG_EPS_MAX; e += every) root.append(text(x(e), f.H - f.bottom + 14, pow10(e), 'tick'));
  root.append(svg('line', { x1: x(LOG_EPS_MIN), y1: y(10 ** LOG_EPS_MIN), x2: x(LOG_EPS_MAX), y2: y(10 ** LOG_EPS_MAX), class: 'tt-bound' }));
  const path = (sel: (p: SweepPoint) => number): string => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.logEps).toFixed(1)},${y(sel(p)).toFixed(1)}`).join('');
  if (points.length > 0) {
    root.append(svg('path', { d: path((p) => p.storage), class: 'line tt-storage' }));
    root.append(svg('path', { d: path((p) => p.relError), class: 'line tt-error' }));
    for (const p of points) root.append(svg('circle', { cx: x(p.logEps), cy: y(p.relError), r: 2.5, class: 'tt-error-dot' }));
  }
  root.append(svg('line', { x1: x(logEps), x2: x(logEps), y1: f.top, y2: f.H - f.bottom, class: 'marker' }));
  root.append(svg('circle', { cx: x(logEps), cy: y(current.relError), r: 4.5, class: 'marker-dot' }));
  root.append(svg('circle', { cx: x(logEps), cy: y(current.storage), r: 4.5, class: 'marker-dot' }));
  return root;
}

/** The quantics signal and the train's samples of it (subsampled to at most 1024 points). */
function signalChart(f: Frame, signal: Float64Array, approx: Float64Array, logEps: number): SVGSVGElement {
  const N = signal.length;
  const root = chartRoot(f, `The chirp sin(100 t²) on ${N} points and its tensor train at ε = ${epsText(logEps)}`);
  const x = (p: number): number => f.left + (f.plotW * p) / (N - 1);
  const y = (v: number): number => f.top + f.plotH * (1 - (Math.max(-1.3, Math.min(1.3, v)) + 1.3) / 2.6);
  axes(f, root, 't', 'value');
  for (const t of [-1, 0, 1]) yTick(f, root, y(t), String(t));
  for (const t of [0, 0.25, 0.5, 0.75, 1]) root.append(text(x(t * (N - 1)), f.H - f.bottom + 14, String(t), 'tick'));
  const stride = Math.max(1, Math.floor(N / 1024));
  const path = (v: Float64Array): string => {
    let d = '';
    for (let p = 0; p < N; p += stride) d += `${p === 0 ? 'M' : 'L'}${x(p).toFixed(1)},${y(v[p]!).toFixed(1)}`;
    return d;
  };
  root.append(svg('path', { d: path(signal), class: 'line tt-signal' }));
  root.append(svg('path', { d: path(approx), class: 'line tt-approx' }));
  return root;
}

/** A legend entry in a caption: a short stroke in the series' colour, then its name. */
function key(cls: string, name: string): HTMLElement {
  return h('span', { class: `tt-key ${cls}` }, name);
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
    const signalFigure = figure('signal', signalBox, [key('tt-key-signal', 'the samples'), ' and ', key('tt-key-approx', 'the train’s entries'), ': at large ε the train smooths the fast end of the chirp.']);
    s.pictures.append(
      figure('ranks', rankBox, [key('tt-key-rank', 'the rank TT-SVD kept'), ' at each bond, under ', key('tt-key-ghost', 'the largest possible'), ', min(nᵏ, nᵈ⁻ᵏ). The train stores'], EQ_STORAGE),
      signalFigure,
      figure(
        'sweep',
        sweepBox,
        [
          'At every whole decade of ε (the marker: the slider’s), ',
          key('tt-key-storage', 'the storage'),
          ' (train ÷ tensor) and ',
          key('tt-key-error', 'the measured error'),
          ', which never crosses ',
          key('tt-key-bound', 'the bound'),
          ': each of the d − 1 SVDs drops only a share of the error budget.',
        ],
        EQ_BOUND,
      ),
      figure(
        'entropy',
        entropyBox,
        [
          key('tt-key-entropy', 'The entanglement entropy'),
          ' of T/‖T‖ across each bond (a property of the tensor: ε does not move it), under ',
          key('tt-key-ghost', 'its largest possible value'),
          ', and ',
          key('tt-key-cap', 'log₂ rₖ'),
          ' of the train at this ε, the most its rank can carry. 0 for a product; at most 1 bit for sin, a sum of two products.',
        ],
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
      const f = frameFor(drawnWidth);
      rankBox.replaceChildren(rankChart(f, r.bondRanks, r.maxRanks));
      const S = entropies.get(k);
      entropyBox.setAttribute('data-value', S ? Array.from(S).join(',') : '');
      entropyBox.replaceChildren(entropyChart(f, S, r.bondRanks, r.maxRanks));
      signalFigure.hidden = !r.signal;
      if (r.signal && r.approx) signalBox.replaceChildren(signalChart(f, r.signal, r.approx, st['log-eps']));
      drawSweep();
    }

    function drawSweep(): void {
      if (!last) return;
      sweepBox.replaceChildren(sweepChart(frameFor(drawnWidth), sweeps.get(last.key) ?? [], last.out, last.state['log-eps']));
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
