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

/** A labelled `<select>`; the `<select>` itself carries `data-control`. */
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

/**
 * A read-out tile: a caption (kept in its case; may hold MathML from lab/math.ts) and a big
 * number. Not a live region: the instrument's one summary line ({@link Shell.say})
 * announces changes.
 */
export function readout(name: string, caption: string | Node): Readout {
  const value = h('span', { class: 'readout-value', 'data-stat': name, 'data-value': '' }, '–');
  const element = h('div', { class: 'readout' }, h('span', { class: 'readout-caption' }, caption), value);
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

/**
 * The explanation block every instrument starts with: what you see, and its equation
 * (a MathML block from `equation()` in lab/math.ts; a plain string is the old, untypeset form).
 */
export function explain(text: string | Node, equation?: string | Node): HTMLElement {
  const eq = equation === undefined ? null : typeof equation === 'string' ? h('p', { class: 'equation', 'aria-label': 'equation' }, equation) : equation;
  return h('div', { class: 'explain' }, typeof text === 'string' ? h('p', {}, text) : text, eq);
}

/** A section with a heading, used as the root of an instrument. */
export function panel(id: string, title: string): HTMLElement {
  return h('section', { class: 'instrument', id: `instrument-${id}`, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title));
}

/** A labelled checkbox; the `<input>` carries `data-control` (its state is '1' or '0'). */
export function toggle(name: string, label: string, checked: boolean, onChange: (on: boolean) => void): HTMLElement {
  const id = nextId(name);
  const input = h('input', { type: 'checkbox', id, 'data-control': name, checked });
  input.addEventListener('change', () => onChange(input.checked));
  return h('div', { class: 'control control-check' }, input, h('label', { for: id }, label));
}

/** A figure: a picture (chart, canvas, table) named by `data-figure`, and its caption. */
export function figure(name: string, picture: Node, ...caption: Child[]): HTMLElement {
  return h('figure', { class: 'lab-figure', 'data-figure': name }, picture, caption.length > 0 ? h('figcaption', {}, ...caption) : null);
}

// ---------------------------------------------------------------------------------------
// The instrument shell: layout, one live summary, Reset, busy state, state in the URL.

/**
 * The URL fragment's settings for instrument `id`: `#ratings?k=5&steps=800` gives
 * k=5, steps=800 when `id` is 'ratings'; empty for another instrument or no '?'.
 */
export function hashParams(id: string): URLSearchParams {
  const hash = location.hash.slice(1);
  const at = hash.indexOf('?');
  if (at < 0 || hash.slice(0, at) !== id) return new URLSearchParams();
  return new URLSearchParams(hash.slice(at + 1));
}

/** An integer setting from `q` if present and within [min, max], else `fallback`. */
export function intParam(q: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = q.get(name);
  const v = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

/** A number setting from `q` if present, within [min, max] and on the grid min + i step, else `fallback`. */
export function numParam(q: URLSearchParams, name: string, min: number, max: number, step: number, fallback: number): number {
  const raw = q.get(name);
  const v = raw === null || raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) return fallback;
  const i = (v - min) / step;
  return Math.abs(i - Math.round(i)) < 1e-9 ? v : fallback;
}

/** One of `choices` from `q`, else `fallback`. */
export function choiceParam<T extends string>(q: URLSearchParams, name: string, choices: readonly T[], fallback: T): T {
  const raw = q.get(name);
  return choices.find((c) => c === raw) ?? fallback;
}

/** A checkbox setting ('1' / '0') from `q`, else `fallback`. */
export function boolParam(q: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = q.get(name);
  return raw === '1' ? true : raw === '0' ? false : fallback;
}

/**
 * Set the control named `name` inside `root` (a range, number, checkbox or select) to
 * `value` and fire its event (input for ranges, change otherwise), as a user would.
 */
export function setControl(root: ParentNode, name: string, value: string | number | boolean): void {
  const el = root.querySelector<HTMLInputElement | HTMLSelectElement>(`[data-control="${name}"]`);
  if (!el) return;
  if (el instanceof HTMLInputElement && el.type === 'checkbox') el.checked = value === true || value === '1';
  else el.value = String(value);
  el.dispatchEvent(new Event(el instanceof HTMLInputElement && el.type === 'range' ? 'input' : 'change', { bubbles: true }));
}

/**
 * The settings of every control in `root` with a `data-control` name (ranges, numbers,
 * checkboxes as 1/0, selects), in document order. Controls marked `data-state="skip"`
 * (and file inputs, buttons) are left out.
 */
export function controlState(root: ParentNode): URLSearchParams {
  const q = new URLSearchParams();
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-control]'))) {
    if (el.dataset.state === 'skip') continue;
    if (el instanceof HTMLSelectElement) q.set(el.dataset.control!, el.value);
    else if (el instanceof HTMLInputElement) {
      if (el.type === 'checkbox') q.set(el.dataset.control!, el.checked ? '1' : '0');
      else if (el.type === 'range' || el.type === 'number') q.set(el.dataset.control!, el.value);
    }
  }
  return q;
}

/** The shortest time between two writes of an instrument's settings into the URL (ms). */
export const SAVE_MS = 200;

/** Options of {@link shell}. */
export interface ShellOptions {
  /** The instrument's id: its URL fragment and DOM ids. */
  id: string;
  title: string;
  /** What the reader sees and does (a paragraph, or a node). */
  intro: string | Node;
  /** The instrument's main equation (`equation()` from lab/math.ts). */
  equation?: Node;
}

/** The parts of an instrument's page that {@link shell} builds. */
export interface Shell {
  /** The `<section class="instrument">`; carries `data-busy` ('true' while computing). */
  readonly root: HTMLElement;
  /** The control bar: append controls here (sticky above the pictures on narrow screens). */
  readonly controls: HTMLElement;
  /** Numbers and notes: under the controls on wide screens, after the first picture on narrow ones. */
  readonly side: HTMLElement;
  /** The pictures (use {@link figure}); the first one sits right under the controls on a phone. */
  readonly pictures: HTMLElement;
  /** The one live region of the instrument (role=status); write it with {@link Shell.say}. */
  readonly summary: HTMLElement;
  /** The row of action buttons at the end of the control bar: `buttons.prepend(play)` puts one before Reset. */
  readonly buttons: HTMLElement;
  /** The "Reset" button (`data-action="reset"`), last in the control bar. */
  readonly reset: HTMLButtonElement;
  /** The settings the page was opened with (`#id?name=value...`), empty if none. */
  readonly params: URLSearchParams;
  /** Announce one sentence describing the current result (replaces the previous one). */
  say(text: string): void;
  /** Mark the instrument busy (dims the pictures, sets aria-busy) or done. */
  setBusy(on: boolean): void;
  /**
   * Write the controls' settings into the URL fragment (history.replaceState, no new entry;
   * at most one write per {@link SAVE_MS}, the last one always lands). Control events call it
   * already; call it after a change made without an event.
   */
  saveState(): void;
  /** Run `fn` when Reset is pressed (set the controls to their defaults with {@link setControl} or their own setters). */
  onReset(fn: () => void): void;
}

/**
 * Build an instrument's page: heading, intro and equation, then a two-column layout on wide
 * screens (controls, summary and numbers in a sticky left column; pictures on the right),
 * one column on narrow ones with the control bar stuck to the top over the first picture.
 * The caller appends its controls to `controls`, numbers to `side`, figures to `pictures`,
 * then `container.append(shell.root)`.
 */
export function shell(o: ShellOptions): Shell {
  const root = panel(o.id, o.title);
  root.setAttribute('data-busy', 'false');
  root.append(explain(o.intro, o.equation));
  const reset = h('button', { type: 'button', class: 'reset', 'data-action': 'reset' }, 'Reset');
  const buttons = h('div', { class: 'lab-buttons' }, reset);
  const controls = h('div', { class: 'lab-controls', role: 'group', 'aria-label': `${o.title} controls` });
  const bar = h('div', { class: 'lab-bar' }, controls, buttons);
  const summary = h('p', { class: 'lab-summary', role: 'status', 'aria-live': 'polite', 'data-stat': 'summary' });
  const side = h('div', { class: 'lab-side' }, summary);
  const pictures = h('div', { class: 'lab-pictures', 'aria-busy': 'false' });
  root.append(h('div', { class: 'lab-layout' }, h('div', { class: 'lab-left' }, bar, side), pictures));
  const params = hashParams(o.id);
  const resets: (() => void)[] = [];
  reset.addEventListener('click', () => {
    for (const fn of resets) fn();
  });
  // Writes are throttled to one per SAVE_MS (browsers warn about, then ignore, hundreds of
  // replaceState calls in a few seconds, as a dragged slider or a playing animation would make).
  let lastSave = -Infinity;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const writeState = (): void => {
    saveTimer = undefined;
    lastSave = performance.now();
    if (location.hash.slice(1).split('?')[0] !== o.id) return;
    const q = controlState(root).toString();
    const next = q === '' ? `#${o.id}` : `#${o.id}?${q}`;
    if (location.hash !== next) history.replaceState(history.state, '', next);
  };
  const saveState = (): void => {
    if (saveTimer !== undefined) return;
    const wait = lastSave + SAVE_MS - performance.now();
    if (wait <= 0) writeState();
    else saveTimer = setTimeout(writeState, wait);
  };
  // Every control change goes to the URL (also those that only redraw); main.ts fires
  // 'lab:shown' when the instrument is shown again: put its settings back in the URL.
  root.addEventListener('input', saveState);
  root.addEventListener('change', saveState);
  root.addEventListener('lab:shown', saveState);
  return {
    root,
    controls,
    buttons,
    side,
    pictures,
    summary,
    reset,
    params,
    say(text) {
      if (summary.textContent !== text) summary.textContent = text;
    },
    setBusy(on) {
      root.setAttribute('data-busy', String(on));
      pictures.setAttribute('aria-busy', String(on));
    },
    saveState,
    onReset(fn) {
      resets.push(fn);
    },
  };
}
