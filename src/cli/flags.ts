/**
 * Option values on the command line, read one way for every command. A {@link Rule} says
 * what a flag takes, in words (`an integer >= 1`), and turns the text typed into a typed
 * value; {@link flagOption} makes the commander Option whose `argParser` applies the rule,
 * so a bad value stops the command while its line is parsed, before any file is read, as
 * the usage error (exit 2) `<flag> must be <what>, got '<text>'`. {@link atMost} is the
 * check of a value against a limit the data sets, with the same kind of message.
 *
 * @example
 * cmd.addOption(flagOption('--max-iter <n>', 'iteration cap', count, { default: '200' }))
 *    .addOption(flagOption('--tol <t>', 'tolerance', number({ above: 0, below: 1 })));
 * // lowrank ... --tol 2  =>  lowrank: --tol must be a number in (0, 1), got '2'
 */
import { Option } from 'commander';
import { UsageError } from './options.js';

/** What a flag takes: its description and how its text is read. */
export interface Rule<T> {
  /** The values allowed, in words that complete "must be ...", e.g. `an integer >= 1`. */
  readonly what: string;
  /** The value of `text`, or undefined when the text is not one of the allowed values. */
  read(text: string): T | undefined;
}

/** A rule from its description and its reader (for values no other rule here covers). */
export function rule<T>(what: string, read: (text: string) => T | undefined): Rule<T> {
  return { what, read };
}

/** Bounds of a number: `min`/`max` inclusive, `above`/`below` exclusive; none by default. */
export interface Bounds {
  min?: number;
  max?: number;
  above?: number;
  below?: number;
}

function within(v: number, b: Bounds): boolean {
  return (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max) && (b.above === undefined || v > b.above) && (b.below === undefined || v < b.below);
}

/** The bounds in words: '', ' >= 1', ' > 0', ' in [0, 9]', ' in (0, 1]', ... */
function describeBounds(b: Bounds): string {
  const low = b.min !== undefined ? { v: b.min, open: false } : b.above !== undefined ? { v: b.above, open: true } : undefined;
  const high = b.max !== undefined ? { v: b.max, open: false } : b.below !== undefined ? { v: b.below, open: true } : undefined;
  if (low && high) return ` in ${low.open ? '(' : '['}${low.v}, ${high.v}${high.open ? ')' : ']'}`;
  if (low) return ` ${low.open ? '>' : '>='} ${low.v}`;
  if (high) return ` ${high.open ? '<' : '<='} ${high.v}`;
  return '';
}

/** A number as JavaScript reads it (`1e3`, `0x10`, surrounding blanks); blank text is no number. */
function decimal(text: string): number {
  return text.trim() === '' ? NaN : Number(text);
}

/** How {@link integer} reads its text. */
export interface IntegerSyntax {
  /**
   * Decimal digits only (surrounding blanks allowed, a minus sign only when the bounds allow
   * negative values): `1e3` and `0x10` are refused. Default: any number JavaScript reads.
   */
  digits?: boolean;
  /** The description in place of the generated `an integer ...`. */
  what?: string;
}

/** Integers within `bounds`: `an integer`, `an integer >= 1`, `an integer in [0, 9]`. */
export function integer(bounds: Bounds = {}, syntax: IntegerSyntax = {}): Rule<number> {
  const pattern = bounds.min !== undefined && bounds.min >= 0 ? /^\d+$/ : /^-?\d+$/;
  return rule(syntax.what ?? `an integer${describeBounds(bounds)}`, (text) => {
    const v = syntax.digits && !pattern.test(text.trim()) ? NaN : decimal(text);
    return Number.isInteger(v) && within(v, bounds) ? v : undefined;
  });
}

/**
 * Finite numbers within `bounds`: `a number`, `a number >= 0`, `a number in (0, 1]`;
 * `noun` names them otherwise (`a fraction in (0, 1)`).
 */
export function number(bounds: Bounds = {}, noun = 'a number'): Rule<number> {
  return rule(`${noun}${describeBounds(bounds)}`, (text) => {
    const v = decimal(text);
    return Number.isFinite(v) && within(v, bounds) ? v : undefined;
  });
}

/** The integers >= 1 (ranks, counts, iteration caps). */
export const count = integer({ min: 1 });

/** One of `names`, exactly as given: `'auto'`, `'cd' or 'mu'`. */
export function choice<const N extends string>(names: readonly N[]): Rule<N> {
  const quoted = names.map((n) => `'${n}'`);
  const what = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted.join('');
  return rule(what, (text) => names.find((n) => n === text));
}

/** A value of `first`, else of `second` (tried in that order): `an integer >= 0 or 'auto'`. */
export function either<A, B>(first: Rule<A>, second: Rule<B>, what = `${first.what} or ${second.what}`): Rule<A | B> {
  return rule(what, (text) => {
    const a = first.read(text);
    return a !== undefined ? a : second.read(text);
  });
}

/** One value of `item`, or a comma-separated list of them (`5,10,20`): always a list. */
export function list<T>(item: Rule<T>): Rule<T[]> {
  return rule(`${item.what} or a comma-separated list of them`, (text) => {
    const values = text.split(',').map((t) => item.read(t.trim()));
    return values.every((v) => v !== undefined) ? (values as T[]) : undefined;
  });
}

/** Any text, as typed (for repeatable free-text flags). */
export const text: Rule<string> = rule('text', (t) => t);

/**
 * The reader commander calls with a flag's text: the rule's value, or the usage error
 * `<name> must be <what>, got '<text>'`.
 */
export function flagParser<T>(name: string, r: Rule<T>): (text: string) => T {
  return (text) => {
    const v = r.read(text);
    if (v === undefined) throw new UsageError(`${name} must be ${r.what}, got '${text}'`);
    return v;
  };
}

/** Settings of {@link flagOption}. */
export interface FlagSettings {
  /**
   * The value when the flag is not given, as it would be typed: read by the same rule, and
   * shown so in the help (`(default: "200")`).
   */
  default?: string;
  /** The flag as messages name it; default the long flag (`--rank`), else the short one. */
  name?: string;
}

function nameOf(option: Option, settings: FlagSettings): string {
  return settings.name ?? option.long ?? option.short ?? option.flags;
}

/**
 * A commander Option whose value is read by `r` as the command line is parsed.
 * @param flags - as for `new Option`, e.g. `-k, --rank <k>`.
 * @throws UsageError (as commander parses) `<flag> must be <what>, got '<text>'`.
 */
export function flagOption<T>(flags: string, description: string, r: Rule<T>, settings: FlagSettings = {}): Option {
  const option = new Option(flags, description);
  const parse = flagParser(nameOf(option, settings), r);
  option.argParser(parse);
  if (settings.default !== undefined) option.default(parse(settings.default), JSON.stringify(settings.default));
  return option;
}

/** A flag that may be given several times: each value read by `r`, collected in order (default none). */
export function repeatedFlagOption<T>(flags: string, description: string, r: Rule<T>): Option {
  const option = new Option(flags, description);
  const parse = flagParser(nameOf(option, {}), r);
  return option.argParser((t: string, previous: T[]) => [...previous, parse(t)]).default([]);
}

/**
 * Check a count option against a limit set by the data.
 * @param flag - the option, e.g. `--components`.
 * @param value - the parsed value.
 * @param limit - the largest value the data allows.
 * @param what - the limit in words, e.g. `min(rows, cols) = 10 for this 20x10 matrix`.
 * @throws UsageError `<flag> must be at most <what>, got <value>` when value > limit.
 */
export function atMost(flag: string, value: number, limit: number, what: string): void {
  if (value > limit) throw new UsageError(`${flag} must be at most ${what}, got ${value}`);
}
