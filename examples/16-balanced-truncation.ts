/**
 * Balanced truncation of a mass-spring-damper chain: a model with 100 states that behaves,
 * between its input and its output, like one with a dozen.
 *
 * Fifty masses in a row, each tied to its neighbours (and the first one to a wall) by a
 * spring and a damper, with a little friction against the ground. We push the first mass
 * and measure the position of the last one. With positions q and velocities v the state
 * x = (q, v) has 100 entries:
 *
 *   q' = v,   M v' = -K q - D v + f u,   y = q_last
 *
 * i.e. x' = A x + B u, y = C x. Balanced truncation ranks the states by the Hankel singular
 * values (how strongly each one is both excited by u and seen in y), keeps the r largest and
 * guarantees |G(iw) - Gr(iw)| <= 2 (sigma_{r+1} + ... + sigma_n) at every frequency w.
 *
 * Run: npx tsx examples/16-balanced-truncation.ts
 */
import { Matrix, balancedTruncation, eigvals, frequencyResponse, gramians, hankelSingularValues } from '../src/index.js';

const masses = 50;
const n = 2 * masses;
const k = 1; // springs between neighbours
const d = 0.5; // dampers between neighbours
const g = 0.02; // friction of each mass against the ground
const m = (i: number) => 1 + 0.02 * i; // masses grow a little along the chain

// A = [0 I; -M^-1 K  -M^-1 D], B = [0; e_0 / m_0], C = [e_last^T 0].
const A = Matrix.zeros(n, n);
for (let i = 0; i < masses; i++) {
  A.set(i, masses + i, 1);
  const links = i + 1 < masses ? 2 : 1; // every mass has a link to its left (mass 0: the wall)
  A.set(masses + i, i, (-k * links) / m(i));
  A.set(masses + i, masses + i, (-d * links - g) / m(i));
  for (const j of [i - 1, i + 1]) {
    if (j < 0 || j >= masses) continue;
    A.set(masses + i, j, k / m(i));
    A.set(masses + i, masses + j, d / m(i));
  }
}
const B = Matrix.zeros(n, 1);
B.set(masses, 0, 1 / m(0));
const C = Matrix.zeros(1, n);
C.set(0, masses - 1, 1);
const sys = { A, B, C };

// Stable: every eigenvalue in the left half-plane (balanced truncation needs that).
const { wReal, wImag } = eigvals(A);
let slowest = 0;
for (let i = 1; i < n; i++) if (wReal[i]! > wReal[slowest]!) slowest = i;
console.log(`${masses} masses, ${n} states; slowest mode ${wReal[slowest]!.toFixed(5)} +- ${Math.abs(wImag[slowest]!).toFixed(4)}i (decays in ~${(-1 / wReal[slowest]!).toFixed(0)} s)`);

// The Hankel singular values: they fall off fast, so a few states carry the input-output map.
const t0 = performance.now();
const hsv = hankelSingularValues(sys);
const tHsv = performance.now() - t0;
console.log(`\nHankel singular values (${tHsv.toFixed(0)} ms):`);
for (let i = 0; i < 24; i += 6) console.log('  ' + Array.from(hsv.subarray(i, i + 6), (s, j) => `s${String(i + j + 1).padStart(2)} ${s.toExponential(2)}`).join('  '));
console.log(`  ... s${n} ${hsv[n - 1]!.toExponential(2)}`);

// Reduced models of several orders: the largest error over a dense frequency grid against the
// a-priori bound. The grid covers the chain's resonances (0 to 2 sqrt(k/m) rad/s) and beyond.
// The pairs of nearly equal Hankel singular values are the chain's travelling waves: input and
// output sit at opposite ends, so the reduced model needs a pair of states per mode it keeps.
const omega = Array.from({ length: 801 }, (_, i) => 10 ** (-2 + (3 * i) / 800));
const full = frequencyResponse(sys, omega);
let peak = 0;
for (const M of full.magnitude) peak = Math.max(peak, M.get(0, 0));
console.log(`\nfrequency response on ${omega.length} points from 0.01 to 10 rad/s; peak |G(iw)| = ${peak.toFixed(3)}`);
console.log('order   max |G - Gr| on the grid   / peak |G|   bound 2 sum(tail)   time');
for (const r of [4, 8, 12, 16, 20, 24, 30]) {
  const t = performance.now();
  const red = balancedTruncation(sys, { order: r });
  const ms = performance.now() - t;
  const gw = frequencyResponse(red.system, omega);
  let err = 0;
  for (let i = 0; i < omega.length; i++) err = Math.max(err, Math.hypot(gw.real[i]!.get(0, 0) - full.real[i]!.get(0, 0), gw.imag[i]!.get(0, 0) - full.imag[i]!.get(0, 0)));
  console.log(`${String(r).padStart(5)}   ${err.toExponential(2).padStart(24)}   ${(err / peak).toExponential(1).padStart(10)}   ${red.errorBound.toExponential(2).padStart(17)}   ${ms.toFixed(0).padStart(3)} ms`);
}

// The order-20 model next to the full one: the Bode magnitude at a few frequencies.
const r = 20;
const red = balancedTruncation(sys, { order: r });
const probe = [0.01, 0.03, 0.1, 0.3, 0.5, 1, 1.5, 2];
const gFull = frequencyResponse(sys, probe);
const gRed = frequencyResponse(red.system, probe);
console.log(`\nBode magnitude, full (${n} states) and balanced truncation (${r} states):`);
console.log('   w rad/s     |G|        |Gr|');
probe.forEach((w, i) => console.log(`${w.toFixed(2).padStart(8)}   ${gFull.magnitude[i]!.get(0, 0).toExponential(3)}   ${gRed.magnitude[i]!.get(0, 0).toExponential(3)}`));

// In balanced coordinates both Gramians of the reduced model equal diag(s_1 .. s_r).
const gr = gramians(red.Ar, red.Br, red.Cr);
let off = 0;
for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) off = Math.max(off, Math.abs(gr.Wc.get(i, j) - (i === j ? hsv[i]! : 0)), Math.abs(gr.Wo.get(i, j) - (i === j ? hsv[i]! : 0)));
const stable = eigvals(red.Ar).wReal.every((x) => x < 0);
console.log(`\nreduced model: stable ${stable}; its Gramians equal diag(s_1..s_${r}) to ${off.toExponential(1)} (relative to s_1: ${(off / hsv[0]!).toExponential(1)})`);
