// The Lab's chart primitives without a browser: ticks, linear and log scales, equal-aspect
// domains, tick labels, colour scales and the contrast of every colour the charts draw
// with against the panel (WCAG 2: 3:1 for graphics, 4.5:1 for text).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  DIVERGING,
  GRAY,
  INK,
  INK_ON_PAPER,
  KEPT,
  MARKER,
  MUTED,
  PALETTE,
  PANEL,
  SERIES,
  UNKEPT,
  autoDomain,
  barTicks,
  cellText,
  contrastRatio,
  equalAspectDomains,
  logTicks,
  luminanceOf,
  makeScale,
  niceTicks,
  parseHex,
  scalarRange,
  tickText,
  toHex,
} from '../../lab/charts.js';

test('niceTicks: round steps (1, 2 or 5 x 10^e) inside the range, about the asked count', () => {
  assert.deepEqual(niceTicks(0, 1, 4), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(0, 0.3, 3), [0, 0.1, 0.2, 0.3]);
  assert.deepEqual(niceTicks(0, 400, 4), [0, 100, 200, 300, 400]);
  assert.deepEqual(niceTicks(1, 8, 10, true), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(niceTicks(3, 3), [3]);
  assert.deepEqual(niceTicks(NaN, 1), []);
  fc.assert(
    fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 10 }), (lo, span, count) => {
      fc.pre(span > 1e-6 * Math.abs(lo));
      const hi = lo + span;
      const t = niceTicks(lo, hi, count);
      assert.ok(t.length >= 1 && t.length <= 2.5 * count + 2, `${t.length} ticks for count ${count}`);
      const step = t.length > 1 ? t[1]! - t[0]! : 0;
      for (let i = 0; i < t.length; i++) {
        assert.ok(t[i]! >= lo - 1e-9 * Math.abs(span) && t[i]! <= hi + 1e-9 * Math.abs(span), `${t[i]} in [${lo}, ${hi}]`);
        if (i > 0) assert.ok(Math.abs(t[i]! - t[i - 1]! - step) <= 1e-6 * step, 'equal steps');
      }
      if (step > 0) {
        const mant = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
        assert.ok([1, 2, 5, 10].some((m) => Math.abs(mant - m) < 1e-6), `step ${step} is 1, 2 or 5 x 10^e`);
      }
    }),
    { numRuns: 300 },
  );
});

test('logTicks: whole decades inside the range, 2 and 5 when the range is short, thinned when long', () => {
  assert.deepEqual(logTicks(1e-6, 1), [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]);
  assert.deepEqual(logTicks(0.01, 0.5), [0.01, 0.02, 0.05, 0.1, 0.2, 0.5]);
  const long = logTicks(1e-16, 1);
  assert.ok(long.length <= 7 && long.includes(1e-16) && long.every((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-12));
  assert.deepEqual(logTicks(0, 1), []);
});

test('makeScale: linear and log map the domain ends to the range ends; log clamps zero to the axis', () => {
  const lin = makeScale('linear', [0, 10], [40, 440]);
  assert.equal(lin(0), 40);
  assert.equal(lin(10), 440);
  assert.equal(lin(5), 240);
  const log = makeScale('log', [1e-4, 1], [200, 10]);
  assert.equal(log(1e-4), 200);
  assert.equal(log(1), 10);
  assert.ok(Math.abs(log(1e-2) - 105) < 1e-9);
  assert.equal(log(0), 200, 'zero sits on the axis');
  assert.equal(log(1e-9), 200, 'below the domain: clamped');
});

test('autoDomain: linear from 0 by default, log from the smallest positive value, at least a decade', () => {
  assert.deepEqual(autoDomain([3, 5, 2], 'linear', { pad: 0 }), [0, 5]);
  assert.deepEqual(autoDomain([3, 5, 2], 'linear', { zero: false, pad: 0 }), [2, 5]);
  assert.deepEqual(autoDomain([0, 1e-3, 0.5], 'log'), [1e-3, 0.5]);
  assert.deepEqual(autoDomain([0.4, 0.5], 'log'), [0.05, 0.5]);
  assert.deepEqual(autoDomain([], 'linear'), [0, 1]);
});

test('equalAspectDomains: one data unit is equally long on both axes and the data stay inside', () => {
  fc.assert(
    fc.property(
      fc.double({ min: -100, max: 100, noNaN: true }),
      fc.double({ min: 1e-3, max: 100, noNaN: true }),
      fc.double({ min: -100, max: 100, noNaN: true }),
      fc.double({ min: 1e-3, max: 100, noNaN: true }),
      fc.integer({ min: 100, max: 900 }),
      fc.integer({ min: 100, max: 900 }),
      (x0, dx, y0, dy, w, h) => {
        const r = equalAspectDomains([x0, x0 + dx], [y0, y0 + dy], w, h);
        const ux = (r.x[1] - r.x[0]) / w, uy = (r.y[1] - r.y[0]) / h;
        assert.ok(Math.abs(ux - uy) <= 1e-9 * ux, `${ux} vs ${uy} units per pixel`);
        const eps = 1e-9 * (Math.abs(x0) + Math.abs(y0) + dx + dy);
        assert.ok(r.x[0] <= x0 + eps && r.x[1] >= x0 + dx - eps && r.y[0] <= y0 + eps && r.y[1] >= y0 + dy - eps, 'the data stay inside');
        assert.ok(Math.abs(r.x[1] - r.x[0] - dx) <= 1e-9 * dx + eps || Math.abs(r.y[1] - r.y[0] - dy) <= 1e-9 * dy + eps, 'one axis keeps its range');
      },
    ),
    { numRuns: 300 },
  );
});

test('tick and cell text: no float noise, powers of ten as superscripts on log axes, minus signs', () => {
  assert.equal(tickText(0.1 + 0.2), '0.3');
  assert.equal(tickText(1e-6, 'log'), '10⁻⁶');
  assert.equal(tickText(0.01, 'log'), '0.01');
  assert.equal(tickText(-2.5), '−2.5');
  assert.equal(tickText(2000), '2000');
  assert.equal(cellText(0.123456789), '0.123457');
  assert.equal(cellText(42), '42');
  assert.deepEqual(barTicks(5), [1, 2, 3, 4, 5]);
  const t = barTicks(64);
  assert.ok(t[0] === 1 && t.length <= 9 && t.every((v) => Number.isInteger(v) && v <= 64), `${t}`);
});

test('contrast: WCAG ratio; every chart colour is >= 3:1 on the panel, text >= 4.5:1', () => {
  assert.equal(contrastRatio('#000000', '#ffffff'), 21);
  assert.equal(contrastRatio('#777777', '#777777'), 1);
  assert.equal(toHex(parseHex('#1a2b3c')), '#1a2b3c');
  for (const c of [...PALETTE, ...SERIES, KEPT, UNKEPT, MARKER]) assert.ok(contrastRatio(c, PANEL) >= 3, `${c}: ${contrastRatio(c, PANEL).toFixed(2)}:1 on ${PANEL}`);
  for (const c of [INK, MUTED]) assert.ok(contrastRatio(c, PANEL) >= 4.5, `text ${c}: ${contrastRatio(c, PANEL).toFixed(2)}:1`);
  // The ten digit colours are ten different colours (no two nearly the same).
  for (let a = 0; a < PALETTE.length; a++) {
    for (let b = a + 1; b < PALETTE.length; b++) {
      const [p, q] = [parseHex(PALETTE[a]!), parseHex(PALETTE[b]!)];
      const dist = Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
      assert.ok(dist > 40, `digits ${a} and ${b} (${PALETTE[a]}, ${PALETTE[b]}) too close: ${dist.toFixed(0)}`);
    }
  }
});

test('colour scales: diverging is white at 0 and darkens both ways; ink and grey are monotone', () => {
  assert.equal(toHex(DIVERGING.at(0.5)), '#f7f7f7');
  assert.equal(toHex(DIVERGING.at(0)), '#2166ac');
  assert.equal(toHex(DIVERGING.at(1)), '#b2182b');
  // Farther from zero (either sign) is darker: magnitude reads as contrast against white.
  for (let i = 1; i <= 50; i++) {
    for (const sign of [1, -1]) {
      const nearer = luminanceOf(DIVERGING.at(0.5 + (sign * (i - 1)) / 100));
      const farther = luminanceOf(DIVERGING.at(0.5 + (sign * i) / 100));
      assert.ok(farther < nearer, `diverging at ${0.5 + (sign * i) / 100}`);
    }
  }
  for (const [s, up] of [[GRAY, true], [INK_ON_PAPER, false]] as const) {
    for (let i = 1; i <= 20; i++) {
      const a = luminanceOf(s.at((i - 1) / 20)), b = luminanceOf(s.at(i / 20));
      assert.ok(up ? b > a : b < a, `${s.name} monotone`);
    }
  }
  assert.deepEqual(scalarRange([-0.2, 0.5], { scale: DIVERGING }), [-0.5, 0.5], 'diverging ranges are symmetric around 0');
  assert.deepEqual(scalarRange([0.1, 0.5]), [0.1, 0.5]);
  assert.deepEqual(scalarRange([0, 0.5], { lo: 0 }), [0, 0.5]);
});
