/**
 * Tokenizing text the way scikit-learn's `CountVectorizer` does (its `build_analyzer()` for
 * `analyzer='word'`): preprocess (lowercase, optionally strip accents), split into tokens
 * by a regular expression, drop stop words, then form word n-grams.
 */
import { InvalidArgumentError } from '../../errors.js';
import { bool, maybe, oneOf, opt, resolveOptions, satisfies, tableFor } from '../../options.js';
import { ENGLISH_STOP_WORDS } from './stop-words.js';

export { ENGLISH_STOP_WORDS } from './stop-words.js';

/**
 * Default token pattern: runs of two or more word characters. It is scikit-learn's
 * `r"(?u)\b\w\w+\b"`: Python's Unicode `\w` is a letter, a number or '_' (`\p{L}`,
 * `\p{N}`, '_'), and `\b\w\w+\b` matches exactly the maximal runs of such characters of
 * length >= 2 (a run cannot start or end inside another run).
 */
export const DEFAULT_TOKEN_PATTERN = /[\p{L}\p{N}_]{2,}/gu;

/** The accent-stripping modes (scikit-learn's `strip_accents`). */
export const STRIP_ACCENTS = ['unicode', 'ascii'] as const;
/** How to strip accents (scikit-learn's `strip_accents`). */
export type StripAccents = (typeof STRIP_ACCENTS)[number];

/**
 * Options of {@link tokenize} and {@link createAnalyzer}: scikit-learn's analyzer parameters.
 * Unknown keys are an error.
 */
export interface TokenizeOptions {
  /** Lowercase before tokenizing; default true. */
  lowercase?: boolean;
  /**
   * Remove accents after lowercasing: 'unicode' decomposes (NFKD) and drops combining marks
   * ("café" -> "cafe"); 'ascii' also drops every other non-ASCII character. Default: keep them.
   */
  stripAccents?: StripAccents;
  /**
   * A token is a match of this pattern (the 'g' flag is added if missing). Default
   * {@link DEFAULT_TOKEN_PATTERN}, scikit-learn's `(?u)\b\w\w+\b`. A pattern with a capture
   * group uses the first group as the token (as scikit-learn does).
   */
  tokenPattern?: RegExp;
  /**
   * Stop words removed after tokenizing: 'english' ({@link ENGLISH_STOP_WORDS},
   * scikit-learn's list) or your own words (compared after lowercasing/accent stripping).
   * Default: none (scikit-learn's default).
   */
  stopWords?: 'english' | Iterable<string>;
  /** Word n-grams from n = min to max (integers, 1 <= min <= max), joined by one space; default [1, 1] (words). */
  ngramRange?: readonly [number, number];
}

/**
 * The rules and defaults of {@link TokenizeOptions}: the table of {@link createAnalyzer},
 * spread into the vectorizers' tables.
 * @internal
 */
export const TOKENIZE_OPTIONS = tableFor<TokenizeOptions>()({
  lowercase: opt(bool, true),
  stripAccents: maybe(oneOf(STRIP_ACCENTS)),
  tokenPattern: maybe(satisfies('a RegExp', (v): v is RegExp => v instanceof RegExp)),
  stopWords: maybe(satisfies("'english' or a list of words", (v): v is 'english' | Iterable<string> =>
    v === 'english' || (typeof v === 'object' && v !== null && Symbol.iterator in v))),
  ngramRange: opt(
    satisfies('[min, max] with integers 1 <= min <= max', (v): v is readonly [number, number] =>
      Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && Number.isSafeInteger(v[1]) && v[0] >= 1 && v[0] <= v[1]),
    (): readonly [number, number] => [1, 1],
  ),
});

/** A function from a document to its tokens (terms). */
export type Analyzer = (doc: string) => string[];

function globalPattern(p: RegExp): RegExp {
  return p.global ? new RegExp(p.source, p.flags) : new RegExp(p.source, p.flags + 'g');
}

/** The stop-word set of an option value (undefined for none). */
export function stopWordSet(stopWords: TokenizeOptions['stopWords']): ReadonlySet<string> | undefined {
  if (stopWords === undefined) return undefined;
  if (stopWords === 'english') return ENGLISH_STOP_WORDS;
  if (typeof stopWords === 'string') throw new InvalidArgumentError(`stopWords must be 'english' or a list of words, got '${stopWords}'`);
  return new Set(stopWords);
}

/** Strip accents as scikit-learn's `strip_accents_unicode` / `strip_accents_ascii` do. */
export function stripAccents(text: string, mode: StripAccents): string {
  const nfkd = text.normalize('NFKD');
  if (mode === 'ascii') return nfkd.replace(/[^\x00-\x7f]/g, '');
  return nfkd === text ? text : nfkd.replace(/\p{Mn}/gu, '');
}

/**
 * Build the analyzer of `options`, checking them once: preprocess, tokenize, remove stop
 * words, form n-grams. O(length of the document).
 * @param owner - the name error messages start with (default 'createAnalyzer').
 * @throws InvalidArgumentError for a bad or unknown option.
 * @example
 * const analyze = createAnalyzer({ stopWords: 'english' });
 * analyze('The cat sat on the mat.'); // ['cat', 'sat', 'mat']
 */
export function createAnalyzer(options: TokenizeOptions = {}, owner = 'createAnalyzer'): Analyzer {
  const { lowercase, stripAccents: accents, ngramRange, tokenPattern, stopWords } = resolveOptions(owner, TOKENIZE_OPTIONS, options);
  const [nMin, nMax] = ngramRange;
  const pattern = globalPattern(tokenPattern ?? DEFAULT_TOKEN_PATTERN);
  const stop = stopWordSet(stopWords);
  return (doc: string): string[] => {
    if (typeof doc !== 'string') throw new InvalidArgumentError(`a document must be a string, got ${typeof doc}`);
    let text = lowercase ? doc.toLowerCase() : doc;
    if (accents !== undefined) text = stripAccents(text, accents);
    let tokens: string[] = [];
    pattern.lastIndex = 0;
    for (const m of text.matchAll(pattern)) {
      const t = m.length > 1 ? m[1] : m[0];
      if (t === undefined || t === '') continue;
      if (stop === undefined || !stop.has(t)) tokens.push(t);
    }
    if (nMax > 1) tokens = wordNgrams(tokens, nMin, nMax);
    return tokens;
  };
}

/** Word n-grams of `tokens` for n = nMin..nMax, in scikit-learn's order (all unigrams, then bigrams, ...). */
function wordNgrams(tokens: string[], nMin: number, nMax: number): string[] {
  const out: string[] = nMin === 1 ? tokens.slice() : [];
  const first = Math.max(nMin, 2);
  for (let n = first; n <= Math.min(nMax, tokens.length); n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
  return out;
}

/**
 * Tokens of one document, as scikit-learn's `CountVectorizer(**options).build_analyzer()(text)`.
 * Builds the analyzer each call: to tokenize many documents, use {@link createAnalyzer}.
 * @example
 * tokenize("It's a café-bar, isn't it?", { stripAccents: 'unicode' }); // ['it', 'cafe', 'bar', 'isn', 'it']
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  return createAnalyzer(options, 'tokenize')(text);
}
