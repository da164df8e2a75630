/**
 * Small DOM helpers shared by the instruments: an element builder, labelled sliders and
 * selects (native controls, so keyboard and screen readers work without extra code) and
 * read-outs whose exact value sits in `data-value` for the end-to-end tests.
 */

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | number | null | undefined | false;

/** Create `<tag ...attrs>children</tag>`; boolean attributes are set when true. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

/** An SVG element in the SVG namespace. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | null)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== false) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c);
  return el;
}

let uid = 0;
/** A page-unique id with a readable prefix. */
export function nextId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Options of {@link slider}. */
export interface SliderOptions {
  /** Stable name, used as `data-control` (tests find controls by it). */
  name: string;
  label: string;
  min: number;
  max: number;
  step?: number;
  value: number;
  /** How the current value is shown next to the label. */
  format?: (v: number) => string;
  /** Called on every change (drag, keys, programmatic {@link Slider.set}). */
  onInput: (v: number) => void;
}

/** A labelled range input. */
export interface Slider {
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  value(): number;
  /** Set the value and fire `onInput`. */
  set(v: number): void;
  /** Change the range (the value is clamped into it). */
  setMax(max: number): void;
}

/** A labelled `<input type="range">` with its value shown in an `<output>`. */
export function slider(o: SliderOptions): Slider {
  const id = nextId(o.name);
  const format = o.format ?? ((v: number) => String(v));
  const input = h('input', { type: 'range', id, min: o.min, max: o.max, step: o.step ?? 1, value: o.value, 'data-control': o.name });
  const out = h('output', { for: id, 'data-value': o.value }, format(o.value));
  const show = (): number => {
    const v = Number(input.value);
    out.textContent = format(v);
    out.setAttribute('data-value', String(v));
    input.setAttribute('aria-valuetext', format(v));
    return v;
  };
  show();
  input.addEventListener('input', () => o.onInput(show()));
  const element = h('div', { class: 'control' }, h('label', { for: id }, o.label, ' ', out), input);
  return {
    element,
    input,
    value: () => Number(input.value),
    set(v) {
      input.value = String(v);
      o.onInput(show());
    },
    setMax(max) {
      input.max = String(max);
      if (Number(input.value) > max) input.value = String(max);
      show();
    },
  };
}

/** A labelled `<select>`. */
export function select(name: string, label: string, options: readonly (readonly [string, string])[], value: string, onChange: (v: string) => void): HTMLElement {
  const id = nextId(name);
  const sel = h('select', { id, 'data-control': name });
  for (const [v, text] of options) sel.append(h('option', { value: v, selected: v === value }, text));
  sel.addEventListener('change', () => onChange(sel.value));
  return h('div', { class: 'control' }, h('label', { for: id }, label), sel);
}

/** A labelled number read-out; `set` shows `text` and stores the exact value in `data-value`. */
export interface Readout {
  readonly element: HTMLElement;
  set(value: number, text?: string): void;
}

/** A read-out tile: a caption and a big number, announced politely to screen readers. */
export function readout(name: string, caption: string): Readout {
  const value = h('span', { class: 'readout-value', 'data-stat': name, 'data-value': '' }, '–');
  const element = h('div', { class: 'readout', role: 'status', 'aria-live': 'polite' }, h('span', { class: 'readout-caption' }, caption), value);
  return {
    element,
    set(v, text) {
      value.setAttribute('data-value', String(v));
      value.textContent = text ?? fmt(v);
    },
  };
}

/** A number for a read-out: 4 significant digits, integers in full. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

/** `v` as a percentage with `digits` decimals. */
export function pct(v: number, digits = 1): string {
  return `${(100 * v).toFixed(digits)}%`;
}

/** The explanation block every instrument starts with: what you see, and its equation. */
export function explain(text: string, equation: string): HTMLElement {
  return h('div', { class: 'explain' }, h('p', {}, text), h('p', { class: 'equation', 'aria-label': 'equation' }, equation));
}

/** A section with a heading, used as the root of an instrument. */
export function panel(id: string, title: string): HTMLElement {
  return h('section', { class: 'instrument', id: `instrument-${id}`, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title));
}
