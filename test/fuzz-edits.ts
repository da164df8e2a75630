// The byte edits both fuzz suites apply to valid files (flip a bit, set a byte, cut, insert,
// delete, repeat a run), drawn by each suite's own fast-check generator.

/** One edit; `at` is reduced modulo the current length when applied. */
export type Edit =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; byte: number }
  | { op: 'cut'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; count: number }
  | { op: 'repeat'; at: number; count: number; times: number };

/** Apply `list` in order to `src`, which is never changed (positions taken modulo the current length). */
export function applyEdits(src: Uint8Array, list: readonly Edit[]): Uint8Array {
  let b = src;
  for (const e of list) {
    const n = b.length;
    const at = n === 0 ? 0 : e.at % (e.op === 'insert' || e.op === 'cut' ? n + 1 : n);
    if (e.op === 'flip' && n > 0) {
      b = b.slice();
      b[at] = b[at]! ^ (1 << e.bit);
    } else if (e.op === 'set' && n > 0) (b = b.slice())[at] = e.byte;
    else if (e.op === 'cut') b = b.slice(0, at);
    else if (e.op === 'insert') b = concat(b.subarray(0, at), e.bytes, b.subarray(at));
    else if (e.op === 'delete') b = concat(b.subarray(0, at), b.subarray(at + e.count));
    else if (e.op === 'repeat') {
      const piece = b.subarray(at, at + e.count);
      b = concat(b.subarray(0, at), ...Array.from({ length: e.times }, () => piece), b.subarray(at));
    }
  }
  return b;
}

/** The parts, one after another, in a new array. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}
