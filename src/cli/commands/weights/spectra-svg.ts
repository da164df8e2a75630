/**
 * The normalized spectra of a model's layers as one standalone SVG (plain strings, the style
 * of src/cli/scree-svg.ts): for each weight matrix, s_i / s_1 on a log axis against i / k
 * (k = min(out, in)), so layers of every size share the axes. A curve that falls fast is a
 * layer low-rank compression suits; a flat one keeps most of its rank.
 */

/** One layer's curve. */
export interface SpectrumCurve {
  /** Tensor name (the legend label). */
  readonly name: string;
  /** Singular values, descending. */
  readonly singularValues: ArrayLike<number>;
}

const W = 760;
const H = 460;
const M = { left: 70, right: 24, top: 50, bottom: 56 };
const COLORS = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];
/** Points per curve at most (longer spectra are thinned evenly; the plot is 660 px wide). */
const MAX_POINTS = 400;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function r2(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** Color of layer `i` of `n`: the palette for a few layers, a light-to-dark ramp by depth for many. */
function colorOf(i: number, n: number): string {
  if (n <= COLORS.length) return COLORS[i]!;
  const t = n === 1 ? 0 : i / (n - 1);
  // From a light to a dark blue, so depth reads as darkness.
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${mix(158, 8)},${mix(202, 48)},${mix(225, 107)})`;
}

/** The SVG document (see the file comment). */
export function spectraSvg(curves: readonly SpectrumCurve[], title: string): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x0 = M.left;
  const y0 = M.top + ph;
  // The lowest decade shown: the smallest positive normalized value, not below 1e-8.
  let lo = 1;
  for (const c of curves) {
    const s1 = Number(c.singularValues[0]);
    for (let i = 0; i < c.singularValues.length; i++) {
      const v = Number(c.singularValues[i]) / s1;
      if (v > 0 && v < lo) lo = v;
    }
  }
  const decades = Math.max(1, Math.min(8, Math.ceil(-Math.log10(Math.max(lo, 1e-8)))));
  const xOf = (f: number) => x0 + f * pw;
  const yOf = (v: number) => M.top + (Math.min(decades, Math.max(0, -Math.log10(Math.max(v, 10 ** -decades)))) / decades) * ph;

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);

  out.push('<g class="axis-left">');
  for (let d = 0; d <= decades; d++) {
    const y = r2(yOf(10 ** -d));
    out.push(`<line x1="${x0}" y1="${y}" x2="${x0 + pw}" y2="${y}" stroke="#e6e6e6"/>`);
    out.push(`<line x1="${x0 - 5}" y1="${y}" x2="${x0}" y2="${y}" stroke="#333"/>`);
    out.push(`<text x="${x0 - 8}" y="${y}" dy="4" text-anchor="end">${d === 0 ? '1' : `1e-${d}`}</text>`);
  }
  out.push(`<line x1="${x0}" y1="${M.top}" x2="${x0}" y2="${y0}" stroke="#333"/>`);
  out.push(`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">σᵢ / σ₁ (log scale)</text>`);
  out.push('</g>');

  out.push('<g class="axis-bottom">');
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0 + pw}" y2="${y0}" stroke="#333"/>`);
  for (let p = 0; p <= 100; p += 20) {
    const x = r2(xOf(p / 100));
    out.push(`<line x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + 5}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${y0 + 18}" text-anchor="middle">${p}%</text>`);
  }
  out.push(`<text x="${x0 + pw / 2}" y="${H - 14}" text-anchor="middle">component i as a share of the layer's full rank, i / min(out, in)</text>`);
  out.push('</g>');

  out.push('<g class="curves" fill="none" stroke-width="1.8">');
  curves.forEach((c, li) => {
    const s = c.singularValues;
    const k = s.length;
    const s1 = Number(s[0]);
    if (!(k > 0 && s1 > 0)) return;
    const step = Math.max(1, Math.ceil(k / MAX_POINTS));
    const pts: string[] = [];
    for (let i = 0; i < k; i += step) pts.push(`${r2(xOf((i + 1) / k))},${r2(yOf(Number(s[i]) / s1))}`);
    if ((k - 1) % step !== 0) pts.push(`${r2(xOf(1))},${r2(yOf(Number(s[k - 1]) / s1))}`);
    out.push(`<polyline points="${pts.join(' ')}" stroke="${colorOf(li, curves.length)}"${curves.length > COLORS.length ? ' stroke-opacity="0.8"' : ''}><title>${esc(c.name)} (${k} singular values)</title></polyline>`);
  });
  out.push('</g>');

  // Legend, bottom left (where falling spectra leave room): every layer when few, else the depth ramp.
  out.push('<g class="legend">');
  const lx = x0 + 10;
  if (curves.length <= COLORS.length) {
    const lh = 16;
    const labels = curves.map((c) => (c.name.length > 40 ? `…${c.name.slice(-39)}` : c.name));
    const width = 44 + 7 * Math.max(0, ...labels.map((l) => l.length));
    const top = y0 - 10 - (curves.length * lh + 10);
    out.push(`<rect x="${lx}" y="${top}" width="${width}" height="${curves.length * lh + 10}" fill="#ffffff" fill-opacity="0.85" stroke="#cccccc"/>`);
    labels.forEach((label, i) => {
      const y = top + 17 + i * lh;
      out.push(`<line x1="${lx + 8}" y1="${y - 4}" x2="${lx + 26}" y2="${y - 4}" stroke="${colorOf(i, curves.length)}" stroke-width="2"/>`);
      out.push(`<text x="${lx + 32}" y="${y}">${esc(label)}</text>`);
    });
  } else {
    out.push(`<rect x="${lx}" y="${y0 - 40}" width="260" height="30" fill="#ffffff" fill-opacity="0.85" stroke="#cccccc"/>`);
    out.push(`<text x="${lx + 8}" y="${y0 - 21}">${curves.length} layers: lighter = earlier, darker = later</text>`);
  }
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}
