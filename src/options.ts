/**
 * Options of every estimator and long routine, declared once and checked one way.
 *
 * An option set is a table of fields (rule, default), as scikit-learn's
 * `_parameter_constraints`: {@link resolveOptions} rejects unknown keys (naming the key, the
 * owner and the known keys), fills defaults, checks each value against its rule and then the
 * table's cross-field constraints, and returns a frozen record whose TypeScript type is
 * derived from the same table ({@link Resolved}). The options a caller passes are a
 * documented interface (the TSDoc users read) that the table is checked against at compile
 * time by {@link tableFor}. Allowed values that more than one routine accepts
 * (power-iteration normalizers, PCA solvers) are declared here once.
 *
 * Every failure is an {@link InvalidArgumentError} of the form
 * `Owner: option 'name' must be <rule>, got <value>`.
 */
import { InvalidArgumentError } from './errors.js';
import type { LongTaskOptions, Progress } from './progress.js';
import type { RandomState } from './random.js';

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

/** The keys of a table's {@link required} fields. */
export type RequiredKeys<S extends OptionTable> = { [K in keyof S]: S[K] extends { readonly required: true } ? K : never }[keyof S];

/**
 * The options object a caller passes for a table: every field optional, except the
 * {@link required} ones. Both parts map the table's own keys, so each option keeps the TSDoc
 * written on its field in the editor; but the emitted .d.ts prints the table's `Field` types
 * and drops the TSDoc of fields spread from another module. A public options type is
 * therefore a documented interface checked by {@link tableFor}, not this.
 */
export type OptionsOf<S extends OptionTable> = AllOptional<S> & Required<Pick<AllOptional<S>, RequiredKeys<S>>>;

type AllOptional<S extends OptionTable> = {
  [K in keyof S]?: S[K] extends Field<infer T> ? T : never;
};

/** The fields of a documented options interface `O`: each option of O with a field of its type. */
export type FieldsFor<O> = { readonly [K in keyof Required<O>]: Field<NonNullable<O[K]>> };

/** The value type of a field. */
type FieldValue<F> = F extends Field<infer T> ? T : never;

/** The keys an options type requires (those not marked `?`). */
type RequiredOptionKeys<O> = { [K in keyof O]-?: {} extends Pick<O, K> ? never : K }[keyof O];

/** true when A and B are mutually assignable. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * What {@link tableFor} asks of a table besides {@link FieldsFor}: no key that `O` lacks, each
 * field's rule accepting exactly the option's type (a narrower rule would reject values the
 * documentation promises), and {@link required} fields exactly where `O` has required keys.
 */
type ExactlyFor<O, S> =
  & { readonly [K in Exclude<keyof S, keyof O>]: never }
  & { readonly [K in keyof S & keyof O as Same<FieldValue<S[K]>, NonNullable<O[K]>> extends true ? never : K]: `the rule of '${K & string}' must accept exactly the option's type` }
  & (Same<{ [K in keyof S]: S[K] extends { readonly required: true } ? K : never }[keyof S], RequiredOptionKeys<O>> extends true ? unknown : { readonly 'required fields must be the required keys of the options interface': never });

/**
 * Declare the option table of a documented options interface `O`. This is how every
 * estimator and long routine declares its options: the interface carries the TSDoc of each
 * option (users see it in their editor and in the emitted .d.ts, where the interface is
 * printed as written), and the table carries each option's rule and default. A compile error
 * unless the table has exactly O's keys (`satisfies FieldsFor<O>` alone misses a key that a
 * spread fragment adds), each with a rule accepting exactly the option's type, and
 * {@link required} fields exactly for O's required keys. A fragment shared by several
 * estimators (e.g. {@link RANDOMIZED_SOLVER_OPTIONS}) is declared the same way, with its own
 * interface that theirs extend.
 * @example
 * export interface MyOptions extends RandomizedSolverOptions {
 *   factors?: number; // with its TSDoc: what it is, its range, its default
 * }
 * const TABLE = tableFor<MyOptions>()({ factors: opt(int(1), 10), ...RANDOMIZED_SOLVER_OPTIONS });
 */
export function tableFor<O>(): <S extends FieldsFor<O>>(table: S & ExactlyFor<O, S>) => S {
  return (table) => table;
}

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

/**
 * A nested options object, such as LSA's `vectorizer`: any plain object here; the table of the
 * estimator it is passed to checks its keys and values.
 */
export function nested<T extends object>(describe: string): Rule<T> {
  return { describe, test: (v): v is T => typeof v === 'object' && v !== null && !Array.isArray(v) };
}

/** A field with a default (a value, or a function of the fields declared before it). */
export function opt<T>(rule: Rule<T>, fallback: T | ((resolved: Readonly<Record<string, unknown>>) => T)): Field<T> & { optional: false } {
  return { rule, fallback, optional: false };
}

/** A field without a default: it stays undefined unless given. */
export function maybe<T>(rule: Rule<T>): Field<T> & { optional: true } {
  return { rule, fallback: undefined, optional: true };
}

/**
 * A field the caller must give (no default): {@link resolveOptions} throws "option 'x' is
 * required" without it, and {@link OptionsOf} makes the key required.
 */
export function required<T>(rule: Rule<T>): Field<T> & { optional: false; required: true } {
  return { rule, fallback: undefined, optional: false, required: true };
}

/** A seed: an integer that fits a double exactly. */
export const seedRule: Rule<number> = int();

/**
 * A seed or generator ({@link RandomState}): a finite number, a bigint or an Rng (an object
 * with `nextUint32`).
 */
export const randomStateRule: Rule<RandomState> = {
  describe: 'a finite number, a bigint or an Rng',
  test: (v): v is RandomState =>
    (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint' ||
    (typeof v === 'object' && v !== null && typeof (v as { nextUint32?: unknown }).nextUint32 === 'function'),
};

/** An `onProgress` callback: any function. */
export const progressRule: Rule<(progress: Progress) => void> = satisfies('a function', (v): v is (progress: Progress) => void => typeof v === 'function');

/** An `AbortSignal`, duck-typed (an object with a boolean `aborted`), so that signals of another realm pass. */
export const signalRule: Rule<AbortSignal> = satisfies('an AbortSignal', (v): v is AbortSignal => typeof v === 'object' && v !== null && typeof (v as { aborted?: unknown }).aborted === 'boolean');

/**
 * The rules of {@link LongTaskOptions} (`onProgress`, `signal`, both optional), spread into
 * the tables of the routines whose options interfaces extend it.
 */
export const LONG_TASK_OPTIONS = tableFor<LongTaskOptions>()({
  onProgress: maybe(progressRule),
  signal: maybe(signalRule),
});

/** Normalizers between power iterations of a randomized range finder (see randomizedSvd). */
export const POWER_NORMALIZERS = ['auto', 'lu', 'qr', 'none'] as const;
/** A normalizer between power iterations. */
export type PowerNormalizer = (typeof POWER_NORMALIZERS)[number];

/**
 * The randomized SVD's tuning options and the seed, shared by every estimator with a
 * randomized solver (PCA, TruncatedSVD, LSA, SSA): their options interfaces extend this one
 * (overriding a field whose rule or default differs) and their tables spread
 * {@link RANDOMIZED_SOLVER_OPTIONS}.
 */
export interface RandomizedSolverOptions {
  /**
   * Randomized solver: power (subspace) iterations q, scikit-learn's `iterated_power` /
   * `n_iter`. Default 'auto': 7 when k < 0.1 min(n_samples, n_features), else 4.
   */
  powerIters?: number | 'auto';
  /** Randomized solver: sketch columns beyond k (scikit-learn's `n_oversamples`), >= 0. Default 10. */
  oversample?: number;
  /**
   * Randomized solver: re-normalization between power iterations ('lu', 'qr', 'none').
   * Default 'auto': 'qr' when q <= 2, else 'lu' (see randomizedSvd).
   */
  normalizer?: PowerNormalizer;
  /** Seed (or generator) of the solver's random start: the randomized test matrix, the Lanczos start vector. Default 0. */
  seed?: RandomState;
}

/** The rules and defaults of {@link RandomizedSolverOptions}, spread into the tables of the estimators that take them. */
export const RANDOMIZED_SOLVER_OPTIONS = tableFor<RandomizedSolverOptions>()({
  powerIters: opt(either(oneOf(['auto'] as const), int(0)), 'auto'),
  oversample: opt(int(0), 10),
  normalizer: opt(oneOf(POWER_NORMALIZERS), 'auto'),
  seed: opt(randomStateRule, 0),
});

/** PCA solvers; `'arpack'` is scikit-learn's name for `'lanczos'` (see PCA). */
export const PCA_SOLVERS = ['auto', 'full', 'covariance-eigh', 'randomized', 'lanczos', 'arpack'] as const;
/** A PCA solver. */
export type PCASolver = (typeof PCA_SOLVERS)[number];

/** Solvers of truncatedSvd and the estimators built on it (LSA, ppmiEmbeddings). */
export const TRUNCATED_SVD_METHODS = ['auto', 'randomized', 'lanczos'] as const;

/**
 * How the routines that offer both ways compute a rank-k truncated SVD (compressImage, and
 * compressWeight with the LoRA extraction built on it): `'exact'`, the full SVD truncated;
 * `'randomized'`, a randomized SVD (Halko, Martinsson & Tropp 2011); `'auto'`, each
 * routine's size rule (see its `method` option).
 */
export const EXACT_OR_RANDOMIZED_METHODS = ['auto', 'exact', 'randomized'] as const;
/** One of {@link EXACT_OR_RANDOMIZED_METHODS}. */
export type ExactOrRandomizedMethod = (typeof EXACT_OR_RANDOMIZED_METHODS)[number];

/**
 * Check one value against a rule, with {@link resolveOptions}' message: for a routine whose
 * options are checked one at a time (e.g. inside a generator that yields between them).
 * @returns `value`, typed by the rule.
 * @throws InvalidArgumentError `Owner: option 'key' must be <rule>, got <value>`.
 */
export function checkOption<T>(owner: string, key: string, rule: Rule<T>, value: unknown): T {
  if (!rule.test(value)) throw new InvalidArgumentError(`${owner}: option '${key}' must be ${rule.describe}, got ${show(value)}`);
  return value;
}

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
    out[key] = checkOption(owner, key, field.rule, v);
  }
  const resolved = Object.freeze(out) as Resolved<S>;
  for (const c of constraints) if (!c.ok(resolved)) throw new InvalidArgumentError(`${owner}: ${c.message(resolved)}`);
  return resolved;
}
