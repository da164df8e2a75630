/**
 * MathML for the Lab's equations: native in Chromium, Firefox and Safari, so no script and
 * nothing outside the page's content security policy. Equations are built from the small
 * string helpers below and inserted as markup; every argument must be constant text or the
 * output of another helper (user input never reaches them: use {@link escapeMath} if a
 * value must be shown).
 *
 *   import { equation, mi, mn, mo, row, sub, sup } from '../math.js';
 *   const EQ = [[row(sub(mi('A'), mi('k')), mo('='), ...), 'A k equals ...']] as const;
 *   panel.append(equation(EQ));
 */
import { h } from './ui.js';

/** Escape `&`, `<`, `>` and quotes so a computed value can sit inside MathML text. */
export function escapeMath(x: string): string {
  return x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An identifier (italic for one letter): mi('k'). */
export const mi = (x: string): string => `<mi>${x}</mi>`;
/** An upright identifier of several letters or a function name: mu('rank'). */
export const mu = (x: string): string => `<mi mathvariant="normal">${x}</mi>`;
/** A number: mn('2'). */
export const mn = (x: string | number): string => `<mn>${x}</mn>`;
/** An operator or fence: mo('='), mo('('). */
export const mo = (x: string): string => `<mo>${x}</mo>`;
/** Upright text inside a formula: ms('instead of'). */
export const ms = (x: string): string => `<mtext>${x}</mtext>`;
/** A group of pieces laid out in a row. */
export const row = (...xs: string[]): string => `<mrow>${xs.join('')}</mrow>`;
/** a with subscript b. */
export const sub = (a: string, b: string): string => `<msub>${a}${b}</msub>`;
/** a with superscript b. */
export const sup = (a: string, b: string): string => `<msup>${a}${b}</msup>`;
/** a with subscript b and superscript c. */
export const subsup = (a: string, b: string, c: string): string => `<msubsup>${a}${b}${c}</msubsup>`;
/** The fraction a / b, stacked. */
export const frac = (a: string, b: string): string => `<mfrac>${a}${b}</mfrac>`;
/** The square root of x. */
export const sqrt = (x: string): string => `<msqrt>${x}</msqrt>`;
/** (x) with stretchy parentheses. */
export const paren = (x: string): string => row(mo('('), x, mo(')'));
/** A norm ‖x‖ with subscript s (Frobenius by default; pass '' for none). */
export const norm = (x: string, s: string = mi('F')): string => (s === '' ? row(mo('‖'), x, mo('‖')) : sub(row(mo('‖'), x, mo('‖')), s));
/** A big operator (∑, ∏, min) with limits under (and over). */
export const bigop = (op: string, lo: string, hi?: string): string =>
  hi === undefined ? `<munder>${mo(op)}${lo}</munder>` : `<munderover>${mo(op)}${lo}${hi}</munderover>`;
/** ∑ with limits. */
export const sum = (lo: string, hi?: string): string => bigop('∑', lo, hi);
/** x with a transpose mark: xᵀ. */
export const transpose = (x: string): string => sup(x, mi('T'));
/** Horizontal space, in em. */
export const space = (em = 1.2): string => `<mspace width="${em}em"></mspace>`;

/**
 * An equation: one or more pieces, each `[markup, spoken]`. The pieces wrap as whole
 * pieces on narrow screens (a formula never breaks in the middle); `spoken` is the piece
 * read aloud (its aria-label).
 */
export type Equation = readonly (readonly [markup: string, spoken: string])[];

/** An equation as a block of display MathML pieces (class `eqs`, each piece `eq`). */
export function equation(eq: Equation): HTMLElement {
  const box = h('div', { class: 'eqs' });
  for (const [markup, spoken] of eq) {
    const piece = h('span', { class: 'eq' });
    piece.innerHTML = `<math display="block" aria-label="${escapeMath(spoken)}">${markup}</math>`;
    box.append(piece);
  }
  return box;
}

/** A formula inside running text, a caption or a tile (class `eq-inline`). */
export function inlineMath(markup: string, spoken: string): HTMLElement {
  const span = h('span', { class: 'eq-inline' });
  span.innerHTML = `<math aria-label="${escapeMath(spoken)}">${markup}</math>`;
  return span;
}
