/**
 * A parser for the small subset of Python literals that a `.npy` header is written in:
 * dicts, tuples, lists, strings, integers, floats, True/False/None. numpy reads headers with
 * `ast.literal_eval`; we parse the same syntax, but bounded (depth, and the caller caps the
 * length) so a hostile header cannot recurse or loop without limit.
 */

/** A Python tuple (distinct from a list: `.npy` shapes are tuples, structured dtypes lists). */
export interface PyTuple {
  readonly kind: 'tuple';
  readonly items: PyValue[];
}

/** A Python dict, entries in source order. */
export interface PyDict {
  readonly kind: 'dict';
  readonly entries: [PyValue, PyValue][];
}

/** A parsed literal. Integers are bigints so that absurd sizes stay exact; floats are numbers. */
export type PyValue = string | bigint | number | boolean | null | PyTuple | PyDict | PyValue[];

/** Syntax error in a literal, with the character position where it was detected. */
export class PyLiteralError extends Error {
  /**
   * @param position - 0-based index into the parsed text.
   * @param message - what was expected.
   */
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 32;

/**
 * Parse `text` as one Python literal, surrounded by optional whitespace.
 * @throws PyLiteralError on any syntax outside the supported subset.
 */
export function parsePyLiteral(text: string): PyValue {
  let pos = 0;

  const fail = (message: string, at = pos): never => {
    throw new PyLiteralError(at, message);
  };
  // Whitespace and `#` comments, which ast.literal_eval skips too.
  const skipWs = (): void => {
    for (;;) {
      while (pos < text.length && /\s/.test(text[pos]!)) pos++;
      if (text[pos] !== '#') return;
      while (pos < text.length && text[pos] !== '\n') pos++;
    }
  };
  const expect = (ch: string): void => {
    skipWs();
    if (text[pos] !== ch) fail(`expected '${ch}'${pos < text.length ? `, found '${text[pos]}'` : ' before the end'}`);
    pos++;
  };

  // Items separated by commas up to `close`, a trailing comma allowed. Returns the items and
  // whether a comma was seen (which makes `(3,)` a tuple and `(3)` just 3).
  const sequence = <T>(close: string, item: () => T): { items: T[]; comma: boolean } => {
    const items: T[] = [];
    let comma = false;
    for (;;) {
      skipWs();
      if (text[pos] === close) {
        pos++;
        return { items, comma };
      }
      items.push(item());
      skipWs();
      if (text[pos] === ',') {
        comma = true;
        pos++;
      } else if (text[pos] === close) {
        pos++;
        return { items, comma };
      } else {
        fail(`expected ',' or '${close}'${pos < text.length ? `, found '${text[pos]}'` : ' before the end'}`);
      }
    }
  };

  const str = (): string => {
    const quote = text[pos]!;
    const start = pos++;
    let out = '';
    for (;;) {
      if (pos >= text.length || text[pos] === '\n') fail('unterminated string', start);
      const c = text[pos++]!;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[pos++];
      if (e === undefined) fail('unterminated string', start);
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'x' || e === 'u') {
        const len = e === 'x' ? 2 : 4;
        const hex = text.slice(pos, pos + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(`bad \\${e} escape`, pos - 2);
        out += String.fromCharCode(parseInt(hex, 16));
        pos += len;
      } else out += e;
    }
  };

  const num = (): bigint | number => {
    const m = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)L?/.exec(text.slice(pos, pos + 400));
    if (!m) return fail('bad number');
    let t = m[0];
    pos += t.length;
    if (t.endsWith('L')) t = t.slice(0, -1); // Python 2 long suffix, as in old numpy files
    if (/^[+-]?\d+$/.test(t)) return BigInt(t);
    if (m[0].endsWith('L')) return fail('bad number', pos - m[0].length);
    return Number(t);
  };

  const value = (depth: number): PyValue => {
    if (depth > MAX_DEPTH) fail(`literal nested deeper than ${MAX_DEPTH} levels`);
    skipWs();
    const c = text[pos];
    if (c === undefined) return fail('unexpected end of the literal');
    if (c === '{') {
      pos++;
      const seen = new Set<string>();
      const { items } = sequence('}', () => {
        const keyAt = pos;
        const k = value(depth + 1);
        expect(':');
        const v = value(depth + 1);
        const id = typeof k === 'string' ? `s:${k}` : typeof k === 'bigint' ? `i:${k}` : undefined;
        if (id !== undefined) {
          if (seen.has(id)) fail(`duplicate key ${typeof k === 'string' ? `'${k}'` : String(k)}`, keyAt);
          seen.add(id);
        }
        return [k, v] as [PyValue, PyValue];
      });
      return { kind: 'dict', entries: items };
    }
    if (c === '(') {
      pos++;
      const { items, comma } = sequence(')', () => value(depth + 1));
      if (items.length === 1 && !comma) return items[0]!; // parenthesized expression, not a tuple
      return { kind: 'tuple', items };
    }
    if (c === '[') {
      pos++;
      return sequence(']', () => value(depth + 1)).items;
    }
    if (c === "'" || c === '"') return str();
    if ((c === 'u' || c === 'b' || c === 'U' || c === 'B') && (text[pos + 1] === "'" || text[pos + 1] === '"')) {
      pos++;
      return str();
    }
    if (/[0-9+\-.]/.test(c)) return num();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos, pos + 64))?.[0];
    if (word === 'True' || word === 'False' || word === 'None') {
      pos += word.length;
      return word === 'True' ? true : word === 'False' ? false : null;
    }
    return fail(word ? `unexpected name '${word}'` : `unexpected character '${c}'`);
  };

  const result = value(0);
  skipWs();
  if (pos < text.length) fail(`unexpected '${text[pos]}' after the literal`);
  return result;
}
