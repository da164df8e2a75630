/**
 * Plain SVG and canvas charts for the instruments: no chart library, nothing fetched.
 * Every chart is redrawn from scratch on change (they hold at most a few thousand marks).
 */
import { svg } from './ui.js';

/** Plot area in SVG user units; charts scale to their container's width through viewBox. */
const W = 480;
const H = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 30 };

function ticks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + 1e-12 * Math.abs(max); t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function frame(root: SVGSVGElement, xLabel: string, yLabel: string, yTicks: number[], y: (v: number) => number, yFmt: (v: number) => string): void {
  root.append(svg('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, class: 'axis' }));
  root.append(svg('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, class: 'axis' }));
  for (const t of yTicks) {
    root.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(t), y2: y(t), class: 'grid' }));
    const label = svg('text', { x: PAD.left - 4, y: y(t) + 4, 'text-anchor': 'end', class: 'tick' });
    label.textContent = yFmt(t);
    root.append(label);
  }
  const xl = svg('text', { x: (PAD.left + W - PAD.right) / 2, y: H - 4, 'text-anchor': 'middle', class: 'axis-label' });
  xl.textContent = xLabel;
  const yl = svg('text', { x: 10, y: PAD.top + (H - PAD.top - PAD.bottom) / 2, 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 10 ${PAD.top + (H - PAD.top - PAD.bottom) / 2})` });
  yl.textContent = yLabel;
  root.append(xl, yl);
}

function newRoot(title: string): SVGSVGElement {
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title });
  const t = svg('title');
  t.textContent = title;
  root.append(t);
  return root;
}

/**
 * Scree chart: one bar per component with its share of the energy sigma_i^2 / sum sigma^2
 * (bars i < k highlighted as kept) and the cumulative energy line on the same 0..1 axis.
 */
export function screeChart(share: ArrayLike<number>, cumulative: ArrayLike<number>, k: number): SVGSVGElement {
  const n = share.length;
  const root = newRoot(`Scree plot: energy share of ${n} components, cumulative energy, k = ${k}`);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (v: number): number => PAD.top + plotH * (1 - v);
  frame(root, 'component i', 'energy', [0, 0.25, 0.5, 0.75, 1], y, (v) => `${Math.round(v * 100)}%`);
  const bw = plotW / Math.max(1, n);
  for (let i = 0; i < n; i++) {
    const v = share[i]!;
    root.append(svg('rect', { x: PAD.left + i * bw + bw * 0.1, y: y(v), width: Math.max(0.5, bw * 0.8), height: Math.max(0, plotH * v), class: i < k ? 'bar kept' : 'bar' }));
  }
  let d = '';
  for (let i = 0; i < n; i++) d += `${i === 0 ? 'M' : 'L'}${(PAD.left + (i + 0.5) * bw).toFixed(2)},${y(cumulative[i]!).toFixed(2)}`;
  root.append(svg('path', { d, class: 'cumulative' }));
  if (k > 0) {
    const x = PAD.left + k * bw;
    root.append(svg('line', { x1: x, x2: x, y1: PAD.top, y2: H - PAD.bottom, class: 'marker' }));
    root.append(svg('circle', { cx: PAD.left + (k - 0.5) * bw, cy: y(cumulative[k - 1]!), r: 4, class: 'marker-dot' }));
  }
  return root;
}

/** A named series of (x, y) points for {@link lineChart}. */
export interface Series {
  name: string;
  /** CSS class of the line (colors live in styles.css). */
  cls: string;
  points: readonly (readonly [number, number])[];
}

/** Lines over a shared x range, y from 0 (or `yMin`) to the largest value; with a legend. */
export function lineChart(series: readonly Series[], xLabel: string, yLabel: string, options: { yMin?: number; xMarker?: number } = {}): SVGSVGElement {
  const root = newRoot(`${yLabel} against ${xLabel}: ${series.map((s) => s.name).join(', ')}`);
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  const xMin = Math.min(0, ...all.map((p) => p[0]));
  const yMax = Math.max(1e-9, ...all.map((p) => p[1]).filter(Number.isFinite)) * 1.05;
  const yMin = options.yMin ?? 0;
  const x = (v: number): number => PAD.left + ((v - xMin) / (xMax - xMin || 1)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => PAD.top + (1 - (Math.min(v, yMax) - yMin) / (yMax - yMin)) * (H - PAD.top - PAD.bottom);
  frame(root, xLabel, yLabel, ticks(yMin, yMax), y, (v) => String(Number(v.toPrecision(3))));
  for (const t of ticks(xMin, xMax)) {
    const label = svg('text', { x: x(t), y: H - PAD.bottom + 14, 'text-anchor': 'middle', class: 'tick' });
    label.textContent = String(t);
    root.append(label);
  }
  series.forEach((s, si) => {
    if (s.points.length === 0) return;
    const d = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p[0]).toFixed(2)},${y(p[1]).toFixed(2)}`).join('');
    root.append(svg('path', { d, class: `line ${s.cls}` }));
    const lx = W - PAD.right - 150;
    const ly = PAD.top + 8 + si * 16;
    root.append(svg('line', { x1: lx, x2: lx + 18, y1: ly, y2: ly, class: `line ${s.cls}` }));
    const label = svg('text', { x: lx + 24, y: ly + 4, class: 'legend' });
    label.textContent = s.name;
    root.append(label);
  });
  if (options.xMarker !== undefined) root.append(svg('line', { x1: x(options.xMarker), x2: x(options.xMarker), y1: PAD.top, y2: H - PAD.bottom, class: 'marker' }));
  return root;
}

/** Ten distinguishable colors (Okabe-Ito plus two), for class labels. */
export const PALETTE = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#999999', '#7f3c8d', '#f43f5e'];

/** Scatter plot of (x, y) points colored by integer label, axes through the data range. */
export function scatterChart(xs: ArrayLike<number>, ys: ArrayLike<number>, labels: ArrayLike<number>, xLabel: string, yLabel: string): SVGSVGElement {
  const root = newRoot(`Scatter of ${xs.length} points: ${yLabel} against ${xLabel}`);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    x0 = Math.min(x0, xs[i]!); x1 = Math.max(x1, xs[i]!);
    y0 = Math.min(y0, ys[i]!); y1 = Math.max(y1, ys[i]!);
  }
  const x = (v: number): number => PAD.left + ((v - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => PAD.top + (1 - (v - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
  frame(root, xLabel, yLabel, ticks(y0, y1), y, (v) => String(Number(v.toPrecision(3))));
  const g = svg('g', { class: 'points' });
  for (let i = 0; i < xs.length; i++) {
    g.append(svg('circle', { cx: x(xs[i]!).toFixed(1), cy: y(ys[i]!).toFixed(1), r: 2.2, fill: PALETTE[labels[i]! % PALETTE.length] }));
  }
  root.append(g);
  return root;
}

/**
 * Draw a grayscale image (`values` row-major, `w` x `h`) onto `canvas`, mapping `lo`..`hi`
 * to black..white (or white..black with `invert`, for ink-on-paper glyphs), upscaled by
 * `scale` with crisp pixels.
 */
export function drawGray(canvas: HTMLCanvasElement, values: ArrayLike<number>, w: number, h: number, options: { lo?: number; hi?: number; invert?: boolean; scale?: number } = {}): void {
  let lo = options.lo, hi = options.hi;
  if (lo === undefined || hi === undefined) {
    let a = Infinity, b = -Infinity;
    for (let i = 0; i < w * h; i++) { a = Math.min(a, values[i]!); b = Math.max(b, values[i]!); }
    lo ??= a;
    hi ??= b;
  }
  const span = hi - lo || 1;
  const img = new ImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    let t = Math.min(1, Math.max(0, (values[i]! - lo) / span));
    if (options.invert) t = 1 - t;
    const v = Math.round(255 * t);
    img.data[4 * i] = v; img.data[4 * i + 1] = v; img.data[4 * i + 2] = v; img.data[4 * i + 3] = 255;
  }
  putScaled(canvas, img, options.scale ?? 1);
}

/** Draw an RGBA image upscaled by `scale` (nearest neighbour). */
export function putScaled(canvas: HTMLCanvasElement, img: ImageData, scale: number): void {
  canvas.width = img.width * scale;
  canvas.height = img.height * scale;
  const ctx = canvas.getContext('2d')!;
  if (scale === 1) {
    ctx.putImageData(img, 0, 0);
    return;
  }
  const tmp = document.createElement('canvas');
  tmp.width = img.width;
  tmp.height = img.height;
  tmp.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tmp, 0, 0, canvas.width, canvas.height);
}
