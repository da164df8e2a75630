/**
 * Options of every estimator and long routine, declared once and checked one way.
 *
 * An option set is a table of fields (rule, default), as scikit-learn's
 * `_parameter_constraints`: {@link resolveOptions} rejects unknown keys (naming the key, the
 * owner and the known keys), fills defaults, checks each value against its rule and then the
 * table's cross-field constraints, and returns a frozen record whose TypeScript type is
 * derived from the same table ({@link Resolved}, {@link OptionsOf}). Allowed values that more
 * than one routine accepts (power-iteration normalizers, PCA solvers) are declared here once.
 *
 * Every failure is an {@link InvalidArgumentError} of the form
 * `Owner: option 'name' must be <rule>, got <value>`.
 */
import { InvalidArgumentError } from './errors.js';

/** A rule a value must satisfy; `describe` completes "must be ...". */
export interface Rule<T> {
  /** Words that complete "option 'x' must be ...". */
  readonly describe: string;
  /** Whether `v` satisfies the rule. */
  readonly test: (v: unknown) => v is T;
}

/** One option: its rule and default (a value, a function of the options resolved before it, or none). */
export interface Field<T> {
  /** The rule every given value (and every default) satisfies. */
  readonly rule: Rule<T>;
  /** Default value; a function receives the fields resolved so far (declared earlier in the table). */
  readonly fallback: T | ((resolved: Readonly<Record<string, unknown>>) => T) | undefined;
  /** Whether the resolved value may stay undefined (no default). */
  readonly optional: boolean;
}

/** A table of options: name -> field. */
export type OptionTable = Readonly<Record<string, Field<unknown>>>;

/** The resolved options of a table: every field with a default is present. */
export type Resolved<S extends OptionTable> = {
  readonly [K in keyof S]: S[K] extends Field<infer T> ? (S[K]['optional'] extends true ? T | undefined : T) : never;
};

/** The options object a caller passes for a table: every field optional. */
export type OptionsOf<S extends OptionTable> = {
  [K in keyof S]?: S[K] extends Field<infer T> ? T : never;
};

/** A constraint across fields: a test of the resolved options and the message when it fails. */
export interface Constraint<S extends OptionTable> {
  /** Whether the resolved options satisfy the constraint. */
  readonly ok: (o: Resolved<S>) => boolean;
  /** The message (after "Owner: ") when they do not. */
  readonly message: (o: Resolved<S>) => string;
}

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

function bound(x: number): string {
  return x === Infinity ? 'inf' : x === -Infinity ? '-inf' : String(x);
}

/** An integer in [min, max] (safe integers only). */
export function int(min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Rule<number> {
  const lo = min <= -Number.MAX_SAFE_INTEGER ? '' : `>= ${min}`;
  const hi = max >= Number.MAX_SAFE_INTEGER ? '' : `<= ${max}`;
  const range = lo && hi ? `in [${min}, ${max}]` : lo || hi;
  return {
    describe: range ? `an integer ${range}` : 'an integer',
    test: (v): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max,
  };
}

/**
 * A finite number in a range; `open` makes an end exclusive: `num(0, Infinity, 'low')` is
 * "> 0", `num(0, 1, 'both')` is "in (0, 1)".
 */
export function num(min = -Infinity, max = Infinity, open: 'none' | 'low' | 'high' | 'both' = 'none'): Rule<number> {
  const lowOpen = open === 'low' || open === 'both';
  const highOpen = open === 'high' || open === 'both';
  let describe: string;
  if (min === -Infinity && max === Infinity) describe = 'a finite number';
  else if (max === Infinity) describe = `a finite number ${lowOpen ? '>' : '>='} ${min}`;
  else if (min === -Infinity) describe = `a finite number ${highOpen ? '<' : '<='} ${max}`;
  else describe = `a number in ${lowOpen ? '(' : '['}${bound(min)}, ${bound(max)}${highOpen ? ')' : ']'}`;
  return {
    describe,
    test: (v): v is number =>
      typeof v === 'number' && Number.isFinite(v) && (lowOpen ? v > min : v >= min) && (highOpen ? v < max : v <= max),
  };
}

/** true or false. */
export const bool: Rule<boolean> = { describe: 'true or false', test: (v): v is boolean => typeof v === 'boolean' };

/** One of the listed values (strings, numbers or booleans), compared with ===. */
export function oneOf<const V extends readonly (string | number | boolean)[]>(values: V): Rule<V[number]> {
  const words = values.map(show);
  const describe = words.length === 1 ? words[0]! : `one of ${words.slice(0, -1).join(', ')} or ${words[words.length - 1]!}`;
  return { describe, test: (v): v is V[number] => values.includes(v as V[number]) };
}

/** A value satisfying either rule (e.g. `'auto'` or an integer). */
export function either<A, B>(a: Rule<A>, b: Rule<B>): Rule<A | B> {
  return { describe: `${a.describe} or ${b.describe}`, test: (v): v is A | B => a.test(v) || b.test(v) };
}

/** A value for which `test` holds, described by `describe` (for rules the helpers above do not cover). */
export function satisfies<T>(describe: string, test: (v: unknown) => v is T): Rule<T> {
  return { describe, test };
}

/** A field with a default (a value, or a function of the fields declared before it). */
export function opt<T>(rule: Rule<T>, fallback: T | ((resolved: Readonly<Record<string, unknown>>) => T)): Field<T> & { optional: false } {
  return { rule, fallback, optional: false };
}

/** A field without a default: it stays undefined unless given. */
export function maybe<T>(rule: Rule<T>): Field<T> & { optional: true } {
  return { rule, fallback: undefined, optional: true };
}

/** A seed: an integer that fits a double exactly. */
export const seedRule: Rule<number> = int();

/** Normalizers between power iterations of a randomized range finder (see randomizedSvd). */
export const POWER_NORMALIZERS = ['auto', 'lu', 'qr', 'none'] as const;
/** A normalizer between power iterations. */
export type PowerNormalizer = (typeof POWER_NORMALIZERS)[number];

/**
 * Resolve and check `given` against `table` for `owner` (the estimator's or routine's name,
 * used in messages).
 * @throws InvalidArgumentError for a non-object, an unknown key (naming it, the owner and the
 *   known keys), a value that breaks its rule, or a failed cross-field constraint.
 */
export function resolveOptions<S extends OptionTable>(
  owner: string,
  table: S,
  given: unknown,
  constraints: readonly Constraint<S>[] = [],
): Resolved<S> {
  if (given === undefined || given === null) given = {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new InvalidArgumentError(`${owner}: options must be an object such as { ${Object.keys(table)[0] ?? ''}: ... }, got ${show(given)}`);
  }
  const input = given as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(table, key) && input[key] !== undefined) {
      throw new InvalidArgumentError(`${owner}: unknown option '${key}' (known: ${Object.keys(table).join(', ')})`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(table)) {
    let v = input[key];
    if (v === undefined) {
      const f = field.fallback;
      v = typeof f === 'function' ? (f as (r: Readonly<Record<string, unknown>>) => unknown)(out) : f;
      if (v === undefined) {
        if (!field.optional) throw new InvalidArgumentError(`${owner}: option '${key}' is required (${field.rule.describe})`);
        out[key] = undefined;
        continue;
      }
    }
    if (!field.rule.test(v)) throw new InvalidArgumentError(`${owner}: option '${key}' must be ${field.rule.describe}, got ${show(v)}`);
    out[key] = v;
  }
  const resolved = Object.freeze(out) as Resolved<S>;
  for (const c of constraints) if (!c.ok(resolved)) throw new InvalidArgumentError(`${owner}: ${c.message(resolved)}`);
  return resolved;
}
