/**
 * A scree plot as a standalone SVG document (plain strings, no library): one bar per
 * component with its energy s_i^2 on the left axis, the cumulative energy retained as a
 * line on its own right axis (0-100%), the energy target as a dotted line, and a dashed
 * marker at each k suggested by the rank rules.
 */

/** What {@link screeSvg} draws. */
export interface ScreePlot {
  /** Singular values, descending. */
  readonly sigma: ArrayLike<number>;
  /** Cumulative energy fractions (entry k - 1 for rank k). */
  readonly cumulativeEnergy: ArrayLike<number>;
  /** Suggested ranks, by rule label (e.g. { 'energy 90%': 3, AIC: 3 }). */
  readonly marks?: Readonly<Record<string, number>>;
  /** Energy target fraction drawn as a dotted line on the cumulative axis. */
  readonly target?: number;
  /** Title at the top. */
  readonly title?: string;
  /** Components drawn at most (the first ones); default 60, extended to show every mark. */
  readonly maxComponents?: number;
}

const W = 760;
const H = 440;
const M = { left: 78, right: 70, top: 56, bottom: 58 };
const BAR = '#4c78a8';
const LINE = '#2a9d8f';
const MARK_COLORS = ['#e45756', '#f58518', '#b279a2', '#72b7b2', '#9d755d', '#54a24b'];

/** Escape text for XML content and attributes. */
function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round to 2 decimals for compact coordinates. */
function r2(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** A short tick label: 3 significant digits, exponent form for very large or small values. */
function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

/** Tick values 0, step, 2 step, ... covering [0, max] with a 1-2-5 step (about `count` ticks). */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
  const ticks: number[] = [];
  for (let i = 0; i * step <= max * (1 + 1e-9) || ticks.length < 2; i++) ticks.push(i * step);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks.length * step);
  return ticks;
}

/**
 * The SVG text of a scree plot (see the file comment). Shows the first `maxComponents`
 * components (more if a mark lies beyond), bars of s_i^2 against the left axis and the
 * cumulative energy polyline against the right axis.
 */
export function screeSvg(plot: ScreePlot): string {
  const total = plot.sigma.length;
  const marks = Object.entries(plot.marks ?? {}).filter(([, k]) => Number.isInteger(k) && k >= 1);
  const maxMark = Math.max(0, ...marks.map(([, k]) => k));
  const r = Math.min(total, Math.max(plot.maxComponents ?? 60, Math.min(total, maxMark + 2)));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x0 = M.left;
  const y0 = M.top + ph; // baseline
  const energy = Array.from({ length: r }, (_, i) => Number(plot.sigma[i]) ** 2);
  const emax = Math.max(0, ...energy);
  const yTicks = niceTicks(emax);
  const ytop = yTicks[yTicks.length - 1]!;
  const slot = r > 0 ? pw / r : pw;
  const xc = (k: number): number => x0 + (k - 0.5) * slot; // center of component k (1-based)
  const yE = (e: number): number => y0 - (ytop > 0 ? (e / ytop) * ph : 0);
  const yC = (c: number): number => y0 - c * ph;

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  const title = plot.title ?? 'Scree plot';
  const shown = r < total ? ` (first ${r} of ${total} components)` : '';
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title + shown)}</text>`);

  // Grid and left axis (energy per component).
  out.push('<g class="axis-left">');
  for (const t of yTicks) {
    const y = r2(yE(t));
    out.push(`<line x1="${x0}" y1="${y}" x2="${x0 + pw}" y2="${y}" stroke="#e6e6e6"/>`);
    out.push(`<line x1="${x0 - 5}" y1="${y}" x2="${x0}" y2="${y}" stroke="#333"/>`);
    out.push(`<text x="${x0 - 8}" y="${y}" dy="4" text-anchor="end">${esc(tickLabel(t))}</text>`);
  }
  out.push(`<line x1="${x0}" y1="${M.top}" x2="${x0}" y2="${y0}" stroke="#333"/>`);
  out.push(`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle" fill="${BAR}">energy per component, σ²</text>`);
  out.push('</g>');

  // Right axis (cumulative energy, %).
  out.push('<g class="axis-right">');
  const xr = x0 + pw;
  for (let p = 0; p <= 100; p += 20) {
    const y = r2(yC(p / 100));
    out.push(`<line x1="${xr}" y1="${y}" x2="${xr + 5}" y2="${y}" stroke="#333"/>`);
    out.push(`<text x="${xr + 8}" y="${y}" dy="4" text-anchor="start">${p}%</text>`);
  }
  out.push(`<line x1="${xr}" y1="${M.top}" x2="${xr}" y2="${y0}" stroke="#333"/>`);
  out.push(`<text transform="translate(${W - 14} ${M.top + ph / 2}) rotate(90)" text-anchor="middle" fill="${LINE}">cumulative energy retained</text>`);
  out.push('</g>');

  // Bottom axis (component index).
  out.push('<g class="axis-bottom">');
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0 + pw}" y2="${y0}" stroke="#333"/>`);
  const every = Math.max(1, Math.ceil(r / 15));
  const stepNice = every <= 1 ? 1 : every <= 2 ? 2 : every <= 5 ? 5 : Math.ceil(every / 10) * 10;
  for (let k = 1; k <= r; k++) {
    if (k !== 1 && k % stepNice !== 0) continue;
    const x = r2(xc(k));
    out.push(`<line x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + 5}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${y0 + 18}" text-anchor="middle">${k}</text>`);
  }
  out.push(`<text x="${x0 + pw / 2}" y="${H - 14}" text-anchor="middle">component k</text>`);
  out.push('</g>');

  // Bars.
  out.push(`<g class="bars" fill="${BAR}">`);
  const bw = Math.max(0.5, slot * 0.72);
  for (let k = 1; k <= r; k++) {
    const e = energy[k - 1]!;
    const y = yE(e);
    out.push(`<rect x="${r2(xc(k) - bw / 2)}" y="${r2(y)}" width="${r2(bw)}" height="${r2(y0 - y)}"><title>k=${k}: σ=${esc(tickLabel(Number(plot.sigma[k - 1])))}, σ²=${esc(tickLabel(e))}</title></rect>`);
  }
  out.push('</g>');

  // Energy target.
  if (plot.target !== undefined && plot.target > 0 && plot.target <= 1) {
    const y = r2(yC(plot.target));
    out.push(`<line class="target" x1="${x0}" y1="${y}" x2="${xr}" y2="${y}" stroke="${LINE}" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${xr - 6}" y="${y}" dy="14" text-anchor="end" fill="${LINE}">target ${Number((plot.target * 100).toPrecision(4))}%</text>`);
  }

  // Cumulative energy line (starting from 0 at k = 0, the left edge).
  const pts = [`${r2(x0)},${r2(yC(0))}`];
  for (let k = 1; k <= r; k++) pts.push(`${r2(xc(k))},${r2(yC(Number(plot.cumulativeEnergy[k - 1])))}`);
  out.push(`<polyline class="cumulative" points="${pts.join(' ')}" fill="none" stroke="${LINE}" stroke-width="2"/>`);
  out.push(`<g class="points" fill="${LINE}">`);
  for (let k = 1; k <= r; k++) out.push(`<circle cx="${r2(xc(k))}" cy="${r2(yC(Number(plot.cumulativeEnergy[k - 1])))}" r="${r <= 60 ? 2.5 : 1.2}"/>`);
  out.push('</g>');

  // Suggested ranks: one dashed marker per distinct k, labelled with its rules.
  const byK = new Map<number, string[]>();
  for (const [name, k] of marks) if (k <= r) byK.set(k, [...(byK.get(k) ?? []), name]);
  out.push('<g class="marks">');
  [...byK.entries()].sort((a, b) => a[0] - b[0]).forEach(([k, names], i) => {
    const color = MARK_COLORS[i % MARK_COLORS.length]!;
    const x = r2(xc(k));
    const ly = M.top + 14 + (i % 4) * 14;
    out.push(`<line x1="${x}" y1="${M.top}" x2="${x}" y2="${y0}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    const anchor = xc(k) > x0 + pw * 0.7 ? 'end' : 'start';
    const dx = anchor === 'end' ? -4 : 4;
    out.push(`<text x="${x}" y="${ly}" dx="${dx}" text-anchor="${anchor}" fill="${color}">k=${k}: ${esc(names.join(', '))}</text>`);
  });
  out.push('</g>');

  // Legend.
  const lx = x0 + pw - 190;
  const ly = y0 - 52;
  out.push('<g class="legend">');
  out.push(`<rect x="${lx}" y="${ly}" width="184" height="44" fill="#ffffff" fill-opacity="0.85" stroke="#cccccc"/>`);
  out.push(`<rect x="${lx + 8}" y="${ly + 8}" width="14" height="10" fill="${BAR}"/>`);
  out.push(`<text x="${lx + 28}" y="${ly + 17}">σ² (energy per component)</text>`);
  out.push(`<line x1="${lx + 6}" y1="${ly + 32}" x2="${lx + 24}" y2="${ly + 32}" stroke="${LINE}" stroke-width="2"/>`);
  out.push(`<text x="${lx + 28}" y="${ly + 36}">cumulative energy (%)</text>`);
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}
