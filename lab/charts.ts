/**
 * Plain SVG and canvas charts for the instruments: no chart library, nothing fetched.
 *
 * Every chart is redrawn from scratch on change (they hold at most a few thousand marks) and
 * comes as a `div.chart-figure` holding
 *  - the SVG (`role="img"` with a one-line description), tick numbers on both axes, linear or
 *    log axes, axes that can be fixed (so an animation does not rescale them), an optional
 *    equal aspect (one unit is as long on x as on y), markers (a rank k, a break-even point);
 *    every mark carries an SVG `<title>`, the browser's own tooltip;
 *  - a legend in HTML under it (wraps on a phone; its text is in the ink colour, only the
 *    swatch is coloured, so text contrast never depends on a series colour);
 *  - a `<details>` "Data table" with the numbers behind the chart (WCAG 1.1.1's text
 *    equivalent), built only when it is opened.
 *
 * Colours are written as SVG presentation attributes from the constants below (the page's
 * CSP forbids inline style attributes, not presentation attributes), so their contrast
 * against the panel is a property of this file, checked by test/lab/charts.test.ts: every
 * series, bar and digit colour is at least 3:1 against the panel (WCAG 1.4.11 non-text
 * contrast), and kept/unkept bars differ by fill as well as colour.
 *
 * The pure parts (ticks, scales, the equal-aspect domains, colour scales, contrast) do not
 * touch the DOM and are unit-tested in Node.
 */
import { paintHere, type DotPainter } from './dots.js';
import { nextId, svg } from './ui.js';

// ---------------------------------------------------------------------------------------
// Colours.

/** The panel behind every chart (styles.css `--panel`). */
export const PANEL = '#161d25';
/** Text and axis colours (styles.css `--ink`, `--muted`). */
export const INK = '#e6edf3';
export const MUTED = '#9fb0c0';
/** Grid lines: deliberately low contrast (decoration, not information). */
export const GRID = '#2b3642';
/** Kept bars (filled) and the bars beyond k (outlined only, in a lighter grey). */
export const KEPT = '#f59e0b';
export const UNKEPT = '#8d9db0';
/** Markers (the current k, a break-even rank). */
export const MARKER = '#fde047';

/**
 * Series colours for lines, in order: teal, orange, sky blue, pink, yellow-green, light
 * violet; each at least 3:1 against {@link PANEL}.
 */
export const SERIES = ['#5eead4', '#f59e0b', '#7cc4f4', '#f472b6', '#bef264', '#c4b5fd'] as const;

/**
 * Ten colours for class labels (the digits 0-9): Okabe-Ito's colour-blind-safe set with its
 * dark blue and black lifted and a light violet and rose added, so that each is at least 3:1
 * against the dark panel.
 */
export const PALETTE = ['#e69f00', '#56b4e9', '#00b386', '#f0e442', '#3b82f6', '#f07a2a', '#cc79a7', '#b3b3b3', '#b48ee0', '#f43f5e'] as const;

/** An sRGB colour as 0..255 components. */
export type Rgb = readonly [number, number, number];

/** '#rrggbb' -> [r, g, b]. */
export function parseHex(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** [r, g, b] -> '#rrggbb'. */
export function toHex(c: Rgb): string {
  return `#${c.map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2 relative luminance of an sRGB colour. */
export function luminanceOf(c: Rgb | string): number {
  const [r, g, b] = (typeof c === 'string' ? parseHex(c) : c).map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours, 1..21. */
export function contrastRatio(a: Rgb | string, b: Rgb | string): number {
  const la = luminanceOf(a), lb = luminanceOf(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** A continuous colour scale: `at(t)` for t in [0, 1] (clamped). */
export interface ColorScale {
  readonly name: string;
  /** True when the middle (t = 0.5) means zero: used symmetric around 0. */
  readonly diverging: boolean;
  at(t: number): Rgb;
}

/** A scale through equally spaced colour stops, interpolated in sRGB. */
export function stopsScale(name: string, stops: readonly string[], diverging = false): ColorScale {
  const rgb = stops.map(parseHex);
  return {
    name,
    diverging,
    at(t) {
      const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5)) * (rgb.length - 1);
      const i = Math.min(rgb.length - 2, Math.floor(u));
      const f = u - i;
      const a = rgb[i]!, b = rgb[i + 1]!;
      return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
    },
  };
}

/**
 * Signed values (principal components, SVD vectors): ColorBrewer's RdBu, blue for negative,
 * white for zero, red for positive.
 */
export const DIVERGING = stopsScale('blue (negative) – white (0) – red (positive)', ['#2166ac', '#67a9cf', '#d1e5f0', '#f7f7f7', '#fddbc7', '#ef8a62', '#b2182b'], true);
/** Nonnegative values drawn as ink on paper: white (0) to near-black (largest). */
export const INK_ON_PAPER = stopsScale('white (0) – black (largest)', ['#ffffff', '#0b0b0b']);
/** Plain grey levels, black (lowest) to white (highest): photographs. */
export const GRAY = stopsScale('black – white', ['#000000', '#ffffff']);

// ---------------------------------------------------------------------------------------
// Ticks and scales (pure).

/**
 * Round tick values covering [min, max]: steps of 1, 2 or 5 times a power of ten, about
 * `count` of them (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990). With
 * `integer`, steps are whole numbers (component indices, ranks).
 */
export function niceTicks(min: number, max: number, count = 5, integer = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (!(max > min)) return [min];
  // The 1-2-5 step whose number of intervals is closest to `count` (ties: the larger step).
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = mag;
  for (const f of [1, 2, 5, 10]) {
    const s = f * mag;
    if (Math.abs((max - min) / s - count) <= Math.abs((max - min) / step - count)) step = s;
  }
  if (integer) step = Math.max(1, Math.round(step));
  const out: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  // Rounded at the step's own decimals (no 0.30000000000000004).
  const digits = Math.min(20, Math.max(0, 1 - Math.floor(Math.log10(step))));
  for (let i = first; i * step <= max + 1e-9 * step; i++) out.push(Number((i * step).toFixed(digits)));
  return out;
}

/**
 * Ticks of a log axis over [min, max] (both > 0): whole powers of ten; when that gives fewer
 * than three, also 2 and 5 times them; when more than `maxTicks`, every second or third.
 */
export function logTicks(min: number, max: number, maxTicks = 7): number[] {
  if (!(min > 0) || !(max >= min)) return [];
  const lo = Math.floor(Math.log10(min) + 1e-9), hi = Math.ceil(Math.log10(max) - 1e-9);
  const inside = (v: number): boolean => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  let out: number[] = [];
  for (let e = lo; e <= hi; e++) if (inside(10 ** e)) out.push(Number((10 ** e).toPrecision(12)));
  if (out.length < 3) {
    out = [];
    for (let e = lo; e <= hi; e++) for (const f of [1, 2, 5]) if (inside(f * 10 ** e)) out.push(Number((f * 10 ** e).toPrecision(12)));
  }
  if (out.length > maxTicks) {
    const every = Math.ceil(out.length / maxTicks);
    out = out.filter((_, i) => i % every === 0);
  }
  return out;
}

/** Linear or logarithmic. */
export type ScaleKind = 'linear' | 'log';

/** A map from data values to SVG coordinates along one axis. */
export interface Scale {
  readonly kind: ScaleKind;
  /** Data values at the two ends of the axis. */
  readonly domain: readonly [number, number];
  /** SVG coordinates of the two ends (y runs downwards: range[0] is the bottom). */
  readonly range: readonly [number, number];
  (v: number): number;
}

/**
 * A scale from `domain` to `range`. A log scale maps log10 of the value (values <= 0 and
 * those off the domain are clamped to its ends, so a zero sits on the axis line).
 */
export function makeScale(kind: ScaleKind, domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  let f: (v: number) => number;
  if (kind === 'log') {
    const l0 = Math.log10(d0), l1 = Math.log10(d1);
    const span = l1 - l0 || 1;
    f = (v) => {
      const l = v > 0 ? Math.min(l1, Math.max(l0, Math.log10(v))) : l0;
      return r0 + ((l - l0) / span) * (r1 - r0);
    };
  } else {
    const span = d1 - d0 || 1;
    f = (v) => r0 + ((v - d0) / span) * (r1 - r0);
  }
  return Object.assign(f, { kind, domain: [d0, d1] as const, range: [r0, r1] as const });
}

/**
 * The domain an axis shows for data `values`: the fixed `domain` when given; for a log axis
 * from the smallest positive value to the largest (widened to at least one decade); for a
 * linear one from min(0, ...) when `zero`, else the data range, padded by `pad` of the span.
 */
export function autoDomain(values: Iterable<number>, kind: ScaleKind, options: { zero?: boolean; pad?: number } = {}): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (kind === 'log' && !(v > 0))) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (kind === 'log') {
    if (!(hi > 0)) return [0.1, 1];
    if (hi / lo < 10) lo = hi / 10;
    return [lo, hi];
  }
  if (lo > hi) return [0, 1];
  if (options.zero ?? true) {
    lo = Math.min(0, lo);
    hi = Math.max(0, hi);
  }
  if (hi === lo) {
    hi = lo + 1;
  }
  const pad = (options.pad ?? 0) * (hi - lo);
  return [lo === 0 ? 0 : lo - pad, hi + pad];
}

/**
 * Domains with equal units on both axes for a plot area of `plotW` x `plotH` pixels: the
 * axis with room to spare is widened around its centre until one data unit has the same
 * length in x and in y (so distances and angles in the picture are the data's).
 */
export function equalAspectDomains(x: readonly [number, number], y: readonly [number, number], plotW: number, plotH: number): { x: [number, number]; y: [number, number]; unitsPerPixel: number } {
  const dx = Math.max(1e-300, x[1] - x[0]), dy = Math.max(1e-300, y[1] - y[0]);
  const u = Math.max(dx / plotW, dy / plotH);
  const cx = (x[0] + x[1]) / 2, cy = (y[0] + y[1]) / 2;
  return { x: [cx - (u * plotW) / 2, cx + (u * plotW) / 2], y: [cy - (u * plotH) / 2, cy + (u * plotH) / 2], unitsPerPixel: u };
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** A tick label: short, no float noise (0.30000000000000004 -> 0.3), powers of ten as 10⁻⁶. */
export function tickText(v: number, kind: ScaleKind = 'linear'): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (kind === 'log') {
    const e = Math.round(Math.log10(a));
    if (Math.abs(a / 10 ** e - 1) < 1e-9 && (e < -2 || e > 3)) return `${v < 0 ? '−' : ''}10${String(e).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
  }
  if (a >= 1e6 || a < 1e-4) return v.toExponential(0).replace('e+', 'e');
  const s = String(Number(v.toPrecision(4)));
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

/** Approximate width in pixels of `s` at the charts' 12 px tick font (for padding, not layout). */
export function textWidth(s: string, px = 12): number {
  return s.length * px * 0.6;
}

// ---------------------------------------------------------------------------------------
// Data tables (the text equivalent of a chart).

/** The numbers behind a chart, as a table. */
export interface DataTable {
  /** What the table lists (its caption). */
  readonly caption: string;
  readonly columns: readonly string[];
  /** Rows of cells (numbers are formatted with {@link cellText}). */
  readonly rows: readonly (readonly (number | string)[])[];
}

/** A number in a data table: up to 6 significant digits. */
export function cellText(v: number | string): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e7)) return v.toExponential(5);
  return String(Number(v.toPrecision(6)));
}

/**
 * A collapsed "Data table" disclosure; the table is built the first time it is opened (a
 * scatter of 1797 points does not pay for 5000 table cells on every redraw).
 */
export function dataTable(table: DataTable | (() => DataTable), summaryText = 'Data table'): HTMLDetailsElement {
  const details = document.createElement('details');
  details.className = 'chart-data';
  const summary = document.createElement('summary');
  summary.textContent = summaryText;
  details.append(summary);
  let built = false;
  const build = (): void => {
    if (built) return;
    built = true;
    const t = typeof table === 'function' ? table() : table;
    const el = document.createElement('table');
    const cap = document.createElement('caption');
    cap.textContent = t.caption;
    const head = document.createElement('thead');
    const hr = document.createElement('tr');
    for (const c of t.columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = c;
      hr.append(th);
    }
    head.append(hr);
    const body = document.createElement('tbody');
    for (const r of t.rows) {
      const tr = document.createElement('tr');
      r.forEach((v, i) => {
        const cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) (cell as HTMLTableCellElement).scope = 'row';
        cell.textContent = cellText(v);
        tr.append(cell);
      });
      body.append(tr);
    }
    el.append(cap, head, body);
    const wrap = document.createElement('div');
    wrap.className = 'chart-data-scroll';
    wrap.append(el);
    details.append(wrap);
  };
  details.addEventListener('toggle', () => {
    if (details.open) build();
  });
  return details;
}

// ---------------------------------------------------------------------------------------
// Legends and colour bars.

/** One legend entry: a swatch (a line, a filled box, an outlined box or a dot) and its name. */
export interface LegendItem {
  readonly name: string;
  readonly color: string;
  readonly shape?: 'line' | 'dashed' | 'box' | 'outline' | 'dot';
}

function swatch(item: LegendItem): SVGSVGElement {
  const s = svg('svg', { width: 18, height: 12, viewBox: '0 0 18 12', class: 'chart-swatch', 'aria-hidden': 'true' });
  const shape = item.shape ?? 'line';
  if (shape === 'line' || shape === 'dashed') s.append(svg('line', { x1: 1, x2: 17, y1: 6, y2: 6, stroke: item.color, 'stroke-width': 3, 'stroke-dasharray': shape === 'dashed' ? '4 3' : undefined }));
  else if (shape === 'dot') s.append(svg('circle', { cx: 9, cy: 6, r: 4.5, fill: item.color }));
  else s.append(svg('rect', { x: 2, y: 1, width: 14, height: 10, fill: shape === 'box' ? item.color : 'none', stroke: item.color, 'stroke-width': 1.5 }));
  return s;
}

/** A legend in HTML: swatches in the series' colours, names in the ink colour. */
export function legend(items: readonly LegendItem[], label = 'Legend'): HTMLElement {
  const ul = document.createElement('ul');
  ul.className = 'chart-legend';
  ul.setAttribute('aria-label', label);
  for (const it of items) {
    const li = document.createElement('li');
    li.append(swatch(it), document.createTextNode(it.name));
    ul.append(li);
  }
  return ul;
}

/**
 * A horizontal colour bar for `scale` from `lo` to `hi` with tick numbers, for the images
 * drawn with {@link drawScalar}; its text says what the colours mean.
 */
export function colorBar(scale: ColorScale, lo: number, hi: number, label: string, options: { width?: number; ticks?: readonly number[] } = {}): HTMLElement {
  const W = options.width ?? 220, barH = 12, top = 2, H = 34;
  const pad = 16;
  const id = nextId('cbar');
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart-colorbar', role: 'img', 'aria-label': `${label}: ${scale.name}, from ${tickText(lo)} to ${tickText(hi)}` });
  const grad = svg('linearGradient', { id, x1: 0, x2: 1, y1: 0, y2: 0 });
  for (let i = 0; i <= 10; i++) grad.append(svg('stop', { offset: i / 10, 'stop-color': toHex(scale.at(i / 10)) }));
  root.append(svg('defs', {}, grad));
  root.append(svg('rect', { x: pad, y: top, width: W - 2 * pad, height: barH, fill: `url(#${id})`, stroke: MUTED, 'stroke-width': 0.5 }));
  const x = makeScale('linear', [lo, hi], [pad, W - pad]);
  const ticks = options.ticks ?? (scale.diverging ? [lo, 0, hi] : [lo, hi]);
  for (const t of ticks) {
    root.append(svg('line', { x1: x(t), x2: x(t), y1: top + barH, y2: top + barH + 3, stroke: MUTED }));
    root.append(text(x(t), H - 4, tickText(Number(t.toPrecision(2))), 'tick', 'middle'));
  }
  const box = document.createElement('div');
  box.className = 'chart-colorbar-box';
  const cap = document.createElement('span');
  cap.className = 'chart-colorbar-label';
  cap.textContent = label;
  box.append(cap, root);
  return box;
}

// ---------------------------------------------------------------------------------------
// The chart frame.

/** One axis of a chart. */
export interface AxisSpec {
  /** Axis title, kept in its case (k stays k). */
  readonly label: string;
  readonly scale?: ScaleKind;
  /** A fixed domain (an animation keeps its axes); by default from the data. */
  readonly domain?: readonly [number, number];
  /** Explicit tick values; by default {@link niceTicks} or {@link logTicks}. */
  readonly ticks?: readonly number[];
  /** Whole-number ticks only (indices, ranks). */
  readonly integer?: boolean;
  readonly format?: (v: number) => string;
  /** Linear axes include 0 unless this is false. */
  readonly zero?: boolean;
}

/** A vertical (x) or horizontal (y) reference line with a label. */
export interface Marker {
  readonly axis: 'x' | 'y';
  readonly value: number;
  readonly label?: string;
  readonly color?: string;
  readonly dashed?: boolean;
}

/** Size and decorations shared by every chart. */
export interface ChartOptions {
  /** Width in CSS pixels (the chart's box width; the SVG also scales to fit). Default 480. */
  readonly width?: number;
  /** Height in CSS pixels; default from the width (about 0.45 of it, 200..320). */
  readonly height?: number;
  readonly markers?: readonly Marker[];
  /** Extra legend items (after the series'). */
  readonly legend?: readonly LegendItem[];
  /** The text equivalent; charts build a default one when not given. */
  readonly table?: DataTable | (() => DataTable);
}

/** A chart under construction: its SVG, plot area and scales. */
export interface Plot {
  readonly root: SVGSVGElement;
  readonly x: Scale;
  readonly y: Scale;
  readonly W: number;
  readonly H: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

function text(x: number, y: number, s: string, cls: string, anchor: 'start' | 'middle' | 'end', extra: Record<string, string | number> = {}): SVGTextElement {
  const el = svg('text', { x: Number(x.toFixed(2)), y: Number(y.toFixed(2)), 'text-anchor': anchor, class: cls, fill: cls === 'axis-label' || cls === 'marker-label' ? INK : MUTED, ...extra });
  el.textContent = s;
  return el;
}

function ticksFor(a: AxisSpec, domain: readonly [number, number], kind: ScaleKind, count: number): number[] {
  if (a.ticks) return a.ticks.filter((t) => t >= Math.min(...domain) - 1e-12 && t <= Math.max(...domain) + 1e-12);
  return kind === 'log' ? logTicks(domain[0], domain[1]) : niceTicks(domain[0], domain[1], count, a.integer);
}

/**
 * Lay out a plot: domains (fixed, or from `xs` / `ys`), ticks, padding wide enough for the
 * longest y tick label and for half of the last x tick label (nothing clipped), axes, grid
 * and axis titles. With `equalAspect` the domains are widened so one unit is as long in x
 * as in y.
 */
export function plotFrame(
  title: string,
  xAxis: AxisSpec,
  yAxis: AxisSpec,
  xs: Iterable<number>,
  ys: Iterable<number>,
  options: ChartOptions & { equalAspect?: boolean; xPad?: number; yPad?: number } = {},
): Plot {
  const W = Math.round(Math.min(1000, Math.max(280, options.width ?? 480)));
  let H = Math.round(options.height ?? Math.min(320, Math.max(200, W * 0.45)));
  const xKind = xAxis.scale ?? 'linear', yKind = yAxis.scale ?? 'linear';
  let xd: [number, number] = xAxis.domain ? [xAxis.domain[0], xAxis.domain[1]] : autoDomain(xs, xKind, { zero: xAxis.zero ?? false, pad: options.xPad ?? 0 });
  let yd: [number, number] = yAxis.domain ? [yAxis.domain[0], yAxis.domain[1]] : autoDomain(ys, yKind, { zero: yAxis.zero ?? true, pad: options.yPad ?? 0.05 });
  const xFmt = xAxis.format ?? ((v: number) => tickText(v, xKind));
  const yFmt = yAxis.format ?? ((v: number) => tickText(v, yKind));
  const top = 14, bottom = 42;
  // Padding from the labels the ticks will have (estimated from a first pass of ticks).
  const yCount = Math.max(3, Math.round((H - top - bottom) / 45));
  const yLabels0 = ticksFor(yAxis, yd, yKind, yCount).map(yFmt);
  const left = Math.max(40, 24 + Math.max(0, ...yLabels0.map((s) => textWidth(s))));
  let xCount = Math.max(3, Math.round((W - left) / 80));
  const xLabels0 = ticksFor(xAxis, xd, xKind, xCount).map(xFmt);
  const right = Math.max(14, textWidth(xLabels0.at(-1) ?? '') / 2 + 4);
  let plotW = W - left - right;
  let plotH = H - top - bottom;
  if (options.equalAspect && xKind === 'linear' && yKind === 'linear') {
    // Height follows the data's shape within 0.55..1.1 of the width; then widen a domain.
    const want = (plotW * (yd[1] - yd[0])) / Math.max(1e-300, xd[1] - xd[0]);
    plotH = Math.round(Math.min(1.1 * plotW, Math.max(0.55 * plotW, want)));
    if (options.height === undefined) H = plotH + top + bottom;
    else plotH = H - top - bottom;
    const eq = equalAspectDomains(xd, yd, plotW, plotH);
    xd = eq.x;
    yd = eq.y;
    xCount = Math.max(3, Math.round(plotW / 80));
  }
  plotW = W - left - right;
  const x = makeScale(xKind, xd, [left, left + plotW]);
  const y = makeScale(yKind, yd, [top + plotH, top]);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', role: 'img', 'aria-label': title });
  const t = svg('title');
  t.textContent = title;
  root.append(t);
  // Grid and y ticks.
  for (const v of ticksFor(yAxis, yd, yKind, Math.max(3, Math.round(plotH / 45)))) {
    const yy = y(v);
    root.append(svg('line', { x1: left, x2: left + plotW, y1: yy, y2: yy, stroke: GRID, 'stroke-dasharray': '2 3', class: 'grid' }));
    root.append(text(left - 6, yy + 4, yFmt(v), 'tick y-tick', 'end'));
  }
  // x ticks: labels centred, except one that would cross the right edge (anchored at its end).
  for (const v of ticksFor(xAxis, xd, xKind, xCount)) {
    const xx = x(v);
    const s = xFmt(v);
    root.append(svg('line', { x1: xx, x2: xx, y1: top + plotH, y2: top + plotH + 4, stroke: MUTED }));
    const anchor = xx + textWidth(s) / 2 > W - 1 ? 'end' : 'middle';
    root.append(text(anchor === 'end' ? W - 1 : xx, top + plotH + 17, s, 'tick x-tick', anchor));
  }
  root.append(svg('line', { x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, stroke: MUTED, class: 'axis' }));
  root.append(svg('line', { x1: left, y1: top, x2: left, y2: top + plotH, stroke: MUTED, class: 'axis' }));
  root.append(text(left + plotW / 2, H - 6, xAxis.label + (xKind === 'log' ? ' (log scale)' : ''), 'axis-label', 'middle'));
  const cy = top + plotH / 2;
  root.append(text(13, cy, yAxis.label + (yKind === 'log' ? ' (log scale)' : ''), 'axis-label', 'middle', { transform: `rotate(-90 13 ${cy.toFixed(1)})` }));
  return { root, x, y, W, H, left, right: W - left - plotW, top, bottom: H - top - plotH };
}

/** Draw `markers` over a plot (after the data, so they stay visible). */
export function drawMarkers(p: Plot, markers: readonly Marker[] = []): void {
  for (const m of markers) {
    const color = m.color ?? MARKER;
    const dash = m.dashed === false ? undefined : '5 3';
    if (m.axis === 'x') {
      const xx = p.x(m.value);
      const line = svg('line', { x1: xx, x2: xx, y1: p.top, y2: p.H - p.bottom, stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': dash, class: 'ch-marker' });
      if (m.label) {
        const tt = svg('title');
        tt.textContent = m.label;
        line.append(tt);
      }
      p.root.append(line);
      if (m.label) {
        const right = xx + 4 + textWidth(m.label, 11) < p.W - p.right;
        p.root.append(text(right ? xx + 4 : xx - 4, p.top + 10, m.label, 'marker-label', right ? 'start' : 'end', { 'font-size': 11 }));
      }
    } else {
      const yy = p.y(m.value);
      p.root.append(svg('line', { x1: p.left, x2: p.W - p.right, y1: yy, y2: yy, stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': dash, class: 'ch-marker' }));
      if (m.label) p.root.append(text(p.W - p.right - 2, yy - 4, m.label, 'marker-label', 'end', { 'font-size': 11 }));
    }
  }
}

/** Wrap a finished plot with its legend and data table into the chart element. */
export function chartFigure(p: Plot | Element, legendItems: readonly LegendItem[], table: DataTable | (() => DataTable) | undefined, name?: string): HTMLElement {
  const box = document.createElement('div');
  box.className = 'chart-figure';
  if (name) box.setAttribute('data-chart', name);
  box.append('root' in p ? p.root : p);
  if (legendItems.length > 0) box.append(legend(legendItems));
  if (table) box.append(dataTable(table));
  return box;
}

function tip(el: SVGElement, s: string): SVGElement {
  const t = svg('title');
  t.textContent = s;
  el.append(t);
  return el;
}

// ---------------------------------------------------------------------------------------
// Charts.

/** A named series of (x, y) points for {@link lineChart}. */
export interface Series {
  name: string;
  /** Extra CSS class on the line (hooks for tests); the colour comes from `color`. */
  cls?: string;
  /** Line colour; by default the next of {@link SERIES}. */
  color?: string;
  dashed?: boolean;
  /** Dots on the points (each with a tooltip); default when there are at most 60 points. */
  dots?: boolean;
  points: readonly (readonly [number, number])[];
}

/** Options of {@link lineChart}. */
export interface LineChartOptions extends ChartOptions {
  /** @deprecated use `y.domain`: the bottom of the y axis. */
  yMin?: number;
  /** A dashed vertical marker at this x (e.g. the current k). */
  xMarker?: number;
  /** A highlighted point per series at this x (the current value). */
  highlightX?: number;
  x?: Partial<AxisSpec>;
  y?: Partial<AxisSpec>;
  /** Format of x and y in tooltips and the table. */
  xText?: (v: number) => string;
  yText?: (v: number) => string;
  /** Single highlighted points (the current value of something off the series' points), each with a tooltip. */
  points?: readonly { x: number; y: number; label: string; color?: string }[];
}

/**
 * Lines over a shared x range. The y axis starts at 0 unless told otherwise (`y.zero`,
 * `y.domain`) and can be a log axis; both axes can be fixed (`x.domain`, `y.domain`) so that
 * playing an animation does not rescale them.
 */
export function lineChart(series: readonly Series[], xLabel: string, yLabel: string, options: LineChartOptions = {}): HTMLElement {
  const colored = series.map((s, i) => ({ ...s, color: s.color ?? SERIES[i % SERIES.length]! }));
  const title = `${yLabel} against ${xLabel}: ${series.map((s) => s.name).join(', ')}`;
  const yAxis: AxisSpec = { label: yLabel, ...options.y };
  const ys = colored.flatMap((s) => s.points.map((p) => p[1]));
  if (options.yMin !== undefined) ys.push(options.yMin);
  const p = plotFrame(title, { label: xLabel, ...options.x }, yAxis, colored.flatMap((s) => s.points.map((q) => q[0])), ys, options);
  const xText = options.xText ?? ((v: number) => cellText(v));
  const yText = options.yText ?? ((v: number) => cellText(v));
  const [x0, x1] = [Math.min(...p.x.domain), Math.max(...p.x.domain)];
  for (const s of colored) {
    const pts = s.points.filter((q) => Number.isFinite(q[1]) && q[0] >= x0 - 1e-9 && q[0] <= x1 + 1e-9 && (p.y.kind === 'linear' || q[1] > 0));
    if (pts.length === 0) continue;
    const d = pts.map((q, i) => `${i === 0 ? 'M' : 'L'}${p.x(q[0]).toFixed(2)},${p.y(q[1]).toFixed(2)}`).join('');
    p.root.append(svg('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2.25, 'stroke-dasharray': s.dashed ? '6 4' : undefined, class: `ch-line ${s.cls ?? ''}`.trim(), 'data-series': s.name }));
    if (s.dots ?? pts.length <= 60) {
      for (const q of pts) p.root.append(tip(svg('circle', { cx: p.x(q[0]).toFixed(2), cy: p.y(q[1]).toFixed(2), r: 3, fill: s.color, class: 'dot' }), `${s.name} at ${xLabel} ${xText(q[0])}: ${yText(q[1])}`));
    } else {
      // Many points: invisible hit targets at up to 80 of them carry the tooltips.
      const every = Math.max(1, Math.ceil(pts.length / 80));
      for (let i = 0; i < pts.length; i += every) {
        const q = pts[i]!;
        p.root.append(tip(svg('circle', { cx: p.x(q[0]).toFixed(2), cy: p.y(q[1]).toFixed(2), r: 5, fill: 'transparent', class: 'hit' }), `${s.name} at ${xLabel} ${xText(q[0])}: ${yText(q[1])}`));
      }
    }
    if (options.highlightX !== undefined) {
      const q = pts.find((v) => v[0] === options.highlightX);
      if (q) p.root.append(tip(svg('circle', { cx: p.x(q[0]).toFixed(2), cy: p.y(q[1]).toFixed(2), r: 5, fill: s.color, stroke: PANEL, 'stroke-width': 1.5, class: 'current' }), `${s.name} at ${xLabel} ${xText(q[0])}: ${yText(q[1])}`));
    }
  }
  const markers = [...(options.markers ?? [])];
  if (options.xMarker !== undefined) markers.unshift({ axis: 'x', value: options.xMarker });
  drawMarkers(p, markers);
  for (const q of options.points ?? []) {
    if (!Number.isFinite(q.x) || !Number.isFinite(q.y) || (p.y.kind === 'log' && !(q.y > 0))) continue;
    p.root.append(tip(svg('circle', { cx: p.x(q.x).toFixed(2), cy: p.y(q.y).toFixed(2), r: 5, fill: q.color ?? MARKER, stroke: PANEL, 'stroke-width': 1.5, class: 'current' }), q.label));
  }
  const items: LegendItem[] = [...colored.map((s) => ({ name: s.name, color: s.color, shape: s.dashed ? ('dashed' as const) : ('line' as const) })), ...(options.legend ?? [])];
  const table =
    options.table ??
    ((): DataTable => {
      // One row per x value of any series, one column per series.
      const xsAll = [...new Set(colored.flatMap((s) => s.points.map((q) => q[0])))].sort((a, b) => a - b);
      const maps = colored.map((s) => new Map(s.points.map((q) => [q[0], q[1]])));
      return { caption: title, columns: [xLabel, ...colored.map((s) => s.name)], rows: xsAll.map((xv) => [xText(xv), ...maps.map((m) => (m.has(xv) ? yText(m.get(xv)!) : ''))]) };
    });
  return chartFigure(p, items, table, 'line');
}

/** Options of {@link barChart}. */
export interface BarChartOptions extends ChartOptions {
  /** Bars with index < kept are filled (kept); the others are outlined. Default: all kept. */
  kept?: number;
  y?: Partial<AxisSpec>;
  x?: Partial<AxisSpec>;
  /** Tooltip and table text of bar i (0-based). */
  barText?: (i: number, v: number) => string;
  /** A line over the bars (e.g. the cumulative energy), same y axis. */
  line?: { name: string; values: ArrayLike<number>; color?: string };
  /** Legend names of kept and unkept bars. */
  keptName?: string;
  unkeptName?: string;
  /** Fill of the (kept) bars; default {@link KEPT}. */
  color?: string;
  /** Legend name of the bars when `kept` is not given (then every bar is drawn filled). */
  name?: string;
  /** Outlined, dashed bars behind the bars: a bound on each (the largest possible value). */
  behind?: { name: string; values: ArrayLike<number> };
  /** A short horizontal mark across each bar at these values (a cap), with a legend entry. */
  caps?: { name: string; values: ArrayLike<number>; color?: string };
  /** Text over bar i (its value); undefined or '' for none. */
  valueText?: (i: number, v: number) => string | undefined;
}

/**
 * Bars for items 1..n (x is the 1-based index), on a linear or log y axis; the first `kept`
 * filled, the rest outlined (so kept/unkept differ by shape, not only colour); an optional
 * line over them.
 */
export function barChart(values: ArrayLike<number>, xLabel: string, yLabel: string, options: BarChartOptions = {}): HTMLElement {
  const n = values.length;
  const kept = options.kept ?? n;
  const vals = Array.from(values);
  const lineVals = options.line ? Array.from(options.line.values) : [];
  const title = options.line ? `${yLabel} of ${n} items and ${options.line.name}${options.kept !== undefined ? `, k = ${kept}` : ''}` : `${yLabel} of ${n} items${options.kept !== undefined ? `, k = ${kept}` : ''}`;
  const xAxis: AxisSpec = { label: xLabel, integer: true, domain: [0.5, n + 0.5], ticks: barTicks(n), ...options.x };
  const behindVals = options.behind ? Array.from(options.behind.values) : [];
  const capVals = options.caps ? Array.from(options.caps.values) : [];
  const p = plotFrame(title, xAxis, { label: yLabel, ...options.y }, [], [...vals, ...lineVals, ...behindVals, ...capVals].filter(Number.isFinite), options);
  const base = p.H - p.bottom;
  const slot = (p.x(1.5) - p.x(0.5));
  const bw = Math.max(0.6, slot * 0.78);
  const describe = options.barText ?? ((i: number, v: number) => `${xLabel} ${i + 1}: ${cellText(v)}`);
  const barTop = (v: number): number => (p.y.kind === 'log' && !(v > 0) ? base : Math.min(base, p.y(v)));
  if (options.behind) {
    const gb = svg('g', { class: 'ch-behind' });
    behindVals.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const top = barTop(v);
      gb.append(tip(svg('rect', { x: (p.x(i + 1) - bw / 2).toFixed(2), y: top.toFixed(2), width: bw.toFixed(2), height: Math.max(0, base - top).toFixed(2), fill: 'none', stroke: UNKEPT, 'stroke-width': 1.25, 'stroke-dasharray': '4 3' }), `${options.behind!.name} at ${xLabel} ${i + 1}: ${cellText(v)}`));
    });
    p.root.append(gb);
  }
  const g = svg('g', { class: 'ch-bars' });
  for (let i = 0; i < n; i++) {
    const v = vals[i]!;
    if (!Number.isFinite(v)) continue;
    const top = barTop(v);
    const isKept = i < kept;
    g.append(
      tip(
        svg('rect', {
          x: (p.x(i + 1) - bw / 2).toFixed(2),
          y: top.toFixed(2),
          width: bw.toFixed(2),
          height: Math.max(0, base - top).toFixed(2),
          fill: isKept ? (options.color ?? KEPT) : 'none',
          stroke: isKept ? (options.color ?? KEPT) : UNKEPT,
          'stroke-width': isKept ? 0 : Math.min(1.5, Math.max(0.6, bw / 6)),
          class: isKept ? 'ch-bar ch-kept' : 'ch-bar',
        }),
        describe(i, v),
      ),
    );
  }
  p.root.append(g);
  if (options.caps) {
    const color = options.caps.color ?? MARKER;
    capVals.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const yy = p.y(v);
      p.root.append(tip(svg('line', { x1: (p.x(i + 1) - bw / 2 - 3).toFixed(2), x2: (p.x(i + 1) + bw / 2 + 3).toFixed(2), y1: yy.toFixed(2), y2: yy.toFixed(2), stroke: color, 'stroke-width': 2.5, class: 'ch-cap' }), `${options.caps!.name} at ${xLabel} ${i + 1}: ${cellText(v)}`));
    });
  }
  if (options.valueText) {
    for (let i = 0; i < n; i++) {
      const v = vals[i]!;
      const s = Number.isFinite(v) ? options.valueText(i, v) : undefined;
      if (!s) continue;
      const above = Math.min(barTop(v), capVals[i] !== undefined && Number.isFinite(capVals[i]) ? p.y(capVals[i]!) : Infinity);
      p.root.append(text(p.x(i + 1), Math.max(p.top + 10, above - 5), s, 'bar-value', 'middle', { fill: INK, 'font-size': 12 }));
    }
  }
  const items: LegendItem[] = [];
  if (options.kept !== undefined) items.push({ name: options.keptName ?? `kept (first ${kept})`, color: options.color ?? KEPT, shape: 'box' }, { name: options.unkeptName ?? 'dropped', color: UNKEPT, shape: 'outline' });
  else if (options.name) items.push({ name: options.name, color: options.color ?? KEPT, shape: 'box' });
  if (options.behind) items.push({ name: options.behind.name, color: UNKEPT, shape: 'outline' });
  if (options.caps) items.push({ name: options.caps.name, color: options.caps.color ?? MARKER, shape: 'line' });
  if (options.line) {
    const color = options.line.color ?? SERIES[0];
    const pts = lineVals.map((v, i) => [i + 1, v] as const).filter((q) => Number.isFinite(q[1]) && (p.y.kind === 'linear' || q[1] > 0));
    p.root.append(svg('path', { d: pts.map((q, i) => `${i === 0 ? 'M' : 'L'}${p.x(q[0]).toFixed(2)},${p.y(q[1]).toFixed(2)}`).join(''), fill: 'none', stroke: color, 'stroke-width': 2.25, class: 'ch-line ch-cumulative' }));
    if (options.kept !== undefined && kept >= 1 && kept <= n) {
      const v = lineVals[kept - 1]!;
      p.root.append(tip(svg('circle', { cx: p.x(kept).toFixed(2), cy: p.y(v).toFixed(2), r: 4.5, fill: MARKER, class: 'ch-marker-dot' }), `${options.line.name} at ${kept}: ${cellText(v)}`));
    }
    items.push({ name: options.line.name, color });
  }
  const markers = [...(options.markers ?? [])];
  if (options.kept !== undefined && kept >= 1 && kept < n) markers.unshift({ axis: 'x', value: kept + 0.5, label: `k = ${kept}` });
  drawMarkers(p, markers);
  items.push(...(options.legend ?? []));
  const table =
    options.table ??
    ((): DataTable => ({
      caption: title,
      columns: [xLabel, yLabel, ...(options.line ? [options.line.name] : []), ...(options.behind ? [options.behind.name] : []), ...(options.caps ? [options.caps.name] : []), ...(options.kept !== undefined ? ['kept'] : [])],
      rows: vals.map((v, i) => [
        i + 1,
        Number.isFinite(v) ? v : '–',
        ...(options.line ? [lineVals[i]!] : []),
        ...(options.behind ? [behindVals[i]!] : []),
        ...(options.caps ? [capVals[i]!] : []),
        ...(options.kept !== undefined ? [i < kept ? 'yes' : 'no'] : []),
      ]),
    }));
  return chartFigure(p, items, table, 'bar');
}

/** Integer ticks for bars 1..n: 1 and round steps, never crowded. */
export function barTicks(n: number): number[] {
  if (n <= 12) return Array.from({ length: n }, (_, i) => i + 1);
  const t = niceTicks(0, n, 6, true).filter((v) => v >= 1);
  return t[0] === 1 ? t : [1, ...t];
}

/** Options of {@link screeChart}. */
export interface ScreeOptions extends ChartOptions {
  /** Log y axis (the shares of a photo's spectrum span many decades). */
  log?: boolean;
}

/**
 * Scree chart: one bar per component with its share of the energy sigma_i^2 / sum sigma^2
 * (bars i <= k filled as kept, the rest outlined), the cumulative energy line on the same
 * axis, the current k marked; linear (0..100%) or log.
 */
export function screeChart(share: ArrayLike<number>, cumulative: ArrayLike<number>, k: number, options: ScreeOptions = {}): HTMLElement {
  const pctText = (v: number): string => (v >= 0.001 || v === 0 ? `${Number((100 * v).toPrecision(3))}%` : `${(100 * v).toExponential(1)}%`);
  const minShare = Math.min(...Array.from(share).filter((v) => v > 0), 1);
  return barChart(share, 'component i', 'share of the energy', {
    ...options,
    kept: k,
    keptName: `kept (i ≤ ${k})`,
    unkeptName: 'dropped',
    line: { name: 'cumulative energy', values: cumulative },
    y: options.log
      ? { scale: 'log', domain: [Math.max(1e-16, Math.min(minShare, 0.1)), 1], format: (v) => (v >= 0.01 ? `${Number((v * 100).toPrecision(2))}%` : tickText(v, 'log')) }
      : { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1], format: (v) => `${Math.round(v * 100)}%` },
    barText: (i, v) => `component ${i + 1}: ${pctText(v)} of the energy; first ${i + 1} together: ${pctText(cumulative[i]!)}`,
    table: options.table ?? {
      caption: `Energy share and cumulative energy of each component (k = ${k})`,
      columns: ['component i', 'share σᵢ²/Σσ²', 'cumulative', 'kept'],
      rows: Array.from(share, (v, i) => [i + 1, v, cumulative[i]!, i < k ? 'yes' : 'no']),
    },
  });
}

/** Options of {@link scatterChart}. */
export interface ScatterOptions extends ChartOptions {
  /** One unit as long in x as in y (PCA scores: distances are the data's). */
  equalAspect?: boolean;
  /** Name of a label (legend and tooltips): `digit 3`. Default `class <n>`. */
  labelName?: (label: number) => string;
  /** Tooltip of point i; default: its label, index and coordinates. */
  pointText?: (i: number) => string;
  /**
   * Paints the points (the canvas is opaque, in the panel colour, under the SVG's axes);
   * by default on the main thread. `paintInWorker` (worker-client.ts) paints in the Lab's
   * compute worker.
   */
  painter?: DotPainter;
  /** Fixed axes. */
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
}

/**
 * Scatter plot of (x, y) points coloured by integer label (PALETTE), with a legend of the
 * labels, a tooltip per point and, as text equivalent, a table per label (count, mean and
 * range of x and y). Optionally equal aspect.
 *
 * The axes, ticks and titles are SVG; the points are painted on a canvas laid over the plot
 * area (one path per colour), and the tooltip comes from hit-testing the pointer against
 * the points (the nearest within 8 px). The PCA explorer's 1,797 points as SVG circles with
 * `<title>`s cost 110-340 ms of main-thread time per redraw at 4x CPU throttling (parsing,
 * style and layout of as many elements); painted, they cost a few milliseconds.
 */
export function scatterChart(xs: ArrayLike<number>, ys: ArrayLike<number>, labels: ArrayLike<number>, xLabel: string, yLabel: string, options: ScatterOptions = {}): HTMLElement {
  const n = xs.length;
  const title = `Scatter of ${n} points: ${yLabel} against ${xLabel}`;
  const name = options.labelName ?? ((l: number) => `class ${l}`);
  const p = plotFrame(title, { label: xLabel, domain: options.xDomain, zero: false }, { label: yLabel, domain: options.yDomain, zero: false }, Array.from(xs), Array.from(ys), {
    ...options,
    xPad: 0.03,
    yPad: 0.03,
    equalAspect: options.equalAspect,
  });
  const pointText = options.pointText ?? ((i: number) => `${name(labels[i]!)}, point #${i}: (${cellText(xs[i]!)}, ${cellText(ys[i]!)})`);
  drawMarkers(p, options.markers);
  // Point positions in the SVG's user units (its viewBox), shared by painting and hit-testing.
  const px = new Float64Array(n), py = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    px[i] = p.x(xs[i]!);
    py[i] = p.y(ys[i]!);
  }
  const plotW = p.W - p.left - p.right, plotH = p.H - p.top - p.bottom;
  const canvas = document.createElement('canvas');
  canvas.className = 'chart-points';
  canvas.setAttribute('aria-hidden', 'true'); // the SVG's role="img" label and the data table describe it
  canvas.setAttribute('data-points', String(n));
  const pct = (v: number, of: number): string => `${((100 * v) / of).toFixed(4)}%`;
  canvas.style.left = pct(p.left, p.W);
  canvas.style.top = pct(p.top, p.H);
  canvas.style.width = pct(plotW, p.W);
  canvas.style.height = pct(plotH, p.H);
  const rgb = new Uint8Array(3 * n);
  const palette = PALETTE.map(parseHex);
  for (let i = 0; i < n; i++) rgb.set(palette[labels[i]! % palette.length]!, 3 * i);
  const background = parseHex(PANEL);
  const painter = options.painter ?? paintHere;
  const paint = (): void => {
    // Pixels at the drawn size times the device pixel ratio (crisp on HiDPI screens).
    const rect = canvas.getBoundingClientRect();
    const scale = (rect.width > 0 ? rect.width / plotW : 1) * (globalThis.devicePixelRatio || 1);
    const sx = new Float32Array(n), sy = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      sx[i] = (px[i]! - p.left) * scale;
      sy[i] = (py[i]! - p.top) * scale;
    }
    painter(canvas, { width: Math.max(1, Math.round(plotW * scale)), height: Math.max(1, Math.round(plotH * scale)), xs: sx, ys: sy, rgb, radius: 2.4 * scale, background });
  };
  // Tooltip and a ring around the point under the pointer.
  const tipEl = document.createElement('div');
  tipEl.className = 'chart-tip';
  tipEl.setAttribute('data-tooltip', '');
  tipEl.hidden = true;
  const ring = document.createElement('div');
  ring.className = 'chart-ring';
  ring.hidden = true;
  const plot = document.createElement('div');
  plot.className = 'chart-plot';
  plot.append(canvas, p.root, ring, tipEl);
  const hide = (): void => {
    tipEl.hidden = true;
    ring.hidden = true;
  };
  const show = (clientX: number, clientY: number): void => {
    const rect = p.root.getBoundingClientRect();
    if (!(rect.width > 0)) return;
    const k = p.W / rect.width; // user units per CSS pixel
    const ux = (clientX - rect.left) * k, uy = (clientY - rect.top) * k;
    let best = -1, bestD = (8 * k) ** 2;
    for (let i = 0; i < n; i++) {
      const d = (px[i]! - ux) ** 2 + (py[i]! - uy) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best < 0) return hide();
    tipEl.textContent = pointText(best);
    tipEl.setAttribute('data-index', String(best));
    const left = (100 * px[best]!) / p.W, top = (100 * py[best]!) / p.H;
    ring.style.left = `${left.toFixed(3)}%`;
    ring.style.top = `${top.toFixed(3)}%`;
    // Beside the point, on the side with more room.
    tipEl.classList.toggle('chart-tip-left', left > 55);
    tipEl.style.left = `${left.toFixed(3)}%`;
    tipEl.style.top = `${top.toFixed(3)}%`;
    tipEl.hidden = false;
    ring.hidden = false;
  };
  plot.addEventListener('pointermove', (e) => show(e.clientX, e.clientY));
  plot.addEventListener('pointerdown', (e) => show(e.clientX, e.clientY));
  plot.addEventListener('pointerleave', hide);
  // Paint once the plot is in the document (its drawn width sets the canvas resolution);
  // repaint when that width changes (the SVG scales with its box).
  let painted = -1;
  new ResizeObserver(() => {
    const w = canvas.getBoundingClientRect().width;
    if (w > 0 && Math.abs(w - painted) >= 1) {
      painted = w;
      paint();
    }
  }).observe(canvas);
  const present = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const items: LegendItem[] = [...present.map((l) => ({ name: name(l), color: PALETTE[l % PALETTE.length]!, shape: 'dot' as const })), ...(options.legend ?? [])];
  const table =
    options.table ??
    ((): DataTable => ({
      caption: `${title}, summarised per label`,
      columns: ['label', 'points', `mean ${xLabel}`, `mean ${yLabel}`, `${xLabel} from`, `${xLabel} to`, `${yLabel} from`, `${yLabel} to`],
      rows: present.map((l) => {
        let c = 0, sx = 0, sy = 0, x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
        for (let i = 0; i < n; i++) {
          if (labels[i] !== l) continue;
          c++;
          sx += xs[i]!;
          sy += ys[i]!;
          x0 = Math.min(x0, xs[i]!); x1 = Math.max(x1, xs[i]!);
          y0 = Math.min(y0, ys[i]!); y1 = Math.max(y1, ys[i]!);
        }
        return [name(l), c, sx / c, sy / c, x0, x1, y0, y1];
      }),
    }));
  return chartFigure(plot, items, table, 'scatter');
}

// ---------------------------------------------------------------------------------------
// Images.

/** Options of {@link drawScalar}. */
export interface ScalarImageOptions {
  /** Values mapped to the ends of the colour scale; by default the data range (symmetric around 0 for a diverging scale). */
  lo?: number;
  hi?: number;
  scale?: ColorScale;
  /** Upscale factor (nearest neighbour, crisp pixels). */
  pixel?: number;
}

/** The [lo, hi] a {@link drawScalar} call uses for `values` (exported for colour bars). */
export function scalarRange(values: ArrayLike<number>, options: ScalarImageOptions = {}): [number, number] {
  let a = Infinity, b = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < a) a = v;
    if (v > b) b = v;
  }
  if (!(a <= b)) return [0, 1];
  if (options.scale?.diverging) {
    const m = Math.max(Math.abs(a), Math.abs(b)) || 1;
    return [options.lo ?? -m, options.hi ?? m];
  }
  return [options.lo ?? a, options.hi ?? (b > a ? b : a + 1)];
}

/**
 * Draw a matrix of values (`values` row-major, `w` x `h`) on `canvas` through a colour scale
 * (default grey), upscaled by `pixel` with crisp pixels. Returns the [lo, hi] used.
 */
export function drawScalar(canvas: HTMLCanvasElement, values: ArrayLike<number>, w: number, h: number, options: ScalarImageOptions = {}): [number, number] {
  const [lo, hi] = scalarRange(values, options);
  putScaled(canvas, new ImageData(scalarRgba(values, w, h, { ...options, lo, hi }), w, h), options.pixel ?? 1);
  return [lo, hi];
}

/**
 * The RGBA bytes {@link drawScalar} draws for `values` (`w` x `h`, row-major): no DOM, so
 * the Lab's worker colours large images (the compression residual) off the main thread.
 */
export function scalarRgba(values: ArrayLike<number>, w: number, h: number, options: ScalarImageOptions = {}): Uint8ClampedArray<ArrayBuffer> {
  const [lo, hi] = scalarRange(values, options);
  const lut = lookupTable(options.scale ?? GRAY);
  const span = hi - lo || 1;
  const d = new Uint8ClampedArray(4 * w * h);
  for (let i = 0; i < w * h; i++) {
    const t = (values[i]! - lo) / span;
    const j = 3 * (t >= 1 ? 255 : t > 0 ? Math.round(255 * t) : 0);
    d[4 * i] = lut[j]!;
    d[4 * i + 1] = lut[j + 1]!;
    d[4 * i + 2] = lut[j + 2]!;
    d[4 * i + 3] = 255;
  }
  return d;
}

/**
 * Show `bitmap` on `canvas` (sized to it) without copying its pixels on the main thread
 * (an 'bitmaprenderer' context takes the bitmap over). The canvas must not have another context.
 */
export function showBitmap(canvas: HTMLCanvasElement, bitmap: ImageBitmap): void {
  if (canvas.width !== bitmap.width) canvas.width = bitmap.width;
  if (canvas.height !== bitmap.height) canvas.height = bitmap.height;
  const ctx = canvas.getContext('bitmaprenderer');
  if (ctx) ctx.transferFromImageBitmap(bitmap);
  else bitmap.close();
}

const LUTS = new WeakMap<ColorScale, Uint8ClampedArray>();
/** 256 colours of `scale` (RGB triples), so drawing an image is a table look-up per pixel. */
function lookupTable(scale: ColorScale): Uint8ClampedArray {
  let lut = LUTS.get(scale);
  if (!lut) {
    lut = new Uint8ClampedArray(3 * 256);
    for (let i = 0; i < 256; i++) {
      const c = scale.at(i / 255);
      lut[3 * i] = Math.round(c[0]);
      lut[3 * i + 1] = Math.round(c[1]);
      lut[3 * i + 2] = Math.round(c[2]);
    }
    LUTS.set(scale, lut);
  }
  return lut;
}

/**
 * Draw a grayscale image (`values` row-major, `w` x `h`) onto `canvas`, mapping `lo`..`hi`
 * to black..white (or white..black with `invert`, for ink-on-paper glyphs), upscaled by
 * `scale` with crisp pixels.
 */
export function drawGray(canvas: HTMLCanvasElement, values: ArrayLike<number>, w: number, h: number, options: { lo?: number; hi?: number; invert?: boolean; scale?: number } = {}): void {
  drawScalar(canvas, values, w, h, { lo: options.lo, hi: options.hi, scale: options.invert ? INK_ON_PAPER : GRAY, pixel: options.scale });
}

/** Draw an RGBA image upscaled by `scale` (nearest neighbour). */
export function putScaled(canvas: HTMLCanvasElement, img: ImageData, scale: number): void {
  // Resizing a canvas clears it and its context state: only when the size changes.
  if (canvas.width !== img.width * scale) canvas.width = img.width * scale;
  if (canvas.height !== img.height * scale) canvas.height = img.height * scale;
  const ctx = canvas.getContext('2d')!;
  if (scale === 1) {
    ctx.putImageData(img, 0, 0);
    return;
  }
  scratch ??= document.createElement('canvas');
  if (scratch.width !== img.width) scratch.width = img.width;
  if (scratch.height !== img.height) scratch.height = img.height;
  scratch.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}
let scratch: HTMLCanvasElement | undefined;
