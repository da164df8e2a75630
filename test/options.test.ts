// The one option checker every estimator uses: unknown keys, rules, defaults, constraints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../src/errors.js';
import { bool, either, int, maybe, num, oneOf, opt, required, resolveOptions, tableFor, type OptionsOf } from '../src/options.js';

const TABLE = {
  factors: opt(int(1, 64), 10),
  lr: opt(num(0, Infinity, 'low'), 0.005),
  lrBias: opt(num(0), (r) => r.lr as number),
  solver: opt(oneOf(['cd', 'mu'] as const), 'cd'),
  iters: opt(either(oneOf(['auto'] as const), int(0)), 'auto'),
  shuffle: opt(bool, true),
  tol: maybe(num(0, 1, 'both')),
};

function fails(given: unknown, pattern: RegExp): void {
  assert.throws(() => resolveOptions('Est', TABLE, given), (e: unknown) => e instanceof InvalidArgumentError && pattern.test(e.message));
}

test('defaults fill in, later defaults see earlier fields, the result is frozen', () => {
  const o = resolveOptions('Est', TABLE, { lr: 0.1 });
  assert.deepEqual({ ...o }, { factors: 10, lr: 0.1, lrBias: 0.1, solver: 'cd', iters: 'auto', shuffle: true, tol: undefined });
  assert.ok(Object.isFrozen(o));
  const given: OptionsOf<typeof TABLE> = { factors: 3, iters: 4, tol: 0.5 };
  const r = resolveOptions('Est', TABLE, given);
  assert.equal(r.factors, 3);
  assert.equal(r.iters, 4);
  assert.equal(r.tol, 0.5);
});

test('unknown keys are named with the owner and the known keys', () => {
  fails({ factor: 3 }, /^Est: unknown option 'factor' \(known: factors, lr, lrBias, solver, iters, shuffle, tol\)$/);
  // An explicit undefined is the same as leaving the key out.
  assert.equal(resolveOptions('Est', TABLE, { nope: undefined }).factors, 10);
});

test('each rule names the option, the rule and the value', () => {
  fails({ factors: 0 }, /option 'factors' must be an integer in \[1, 64\], got 0/);
  fails({ factors: 2.5 }, /integer in \[1, 64\], got 2.5/);
  fails({ factors: '3' }, /got '3'/);
  fails({ lr: 0 }, /option 'lr' must be a finite number > 0, got 0/);
  fails({ lr: NaN }, /got NaN/);
  fails({ lrBias: -1 }, /'lrBias' must be a finite number >= 0/);
  fails({ solver: 'als' }, /'solver' must be one of 'cd' or 'mu', got 'als'/);
  fails({ iters: -1 }, /'iters' must be 'auto' or an integer >= 0, got -1/);
  fails({ shuffle: 1 }, /'shuffle' must be true or false, got 1/);
  fails({ tol: 1 }, /'tol' must be a number in \(0, 1\), got 1/);
  fails(3, /options must be an object/);
  fails([1], /options must be an object/);
});

test('cross-field constraints run on the resolved options', () => {
  const c = [{ ok: (o: { solver: string; factors: number }) => o.solver === 'cd' || o.factors <= 8, message: () => "solver 'mu' takes at most 8 factors" }];
  assert.throws(() => resolveOptions('Est', TABLE, { solver: 'mu', factors: 9 }, c), /Est: solver 'mu' takes at most 8 factors$/);
  assert.equal(resolveOptions('Est', TABLE, { solver: 'mu', factors: 8 }, c).factors, 8);
});

test('tableFor<O>() checks a table against its documented interface at compile time', () => {
  interface Opts {
    /** Required. */
    components: number;
    /** Optional. */
    solver?: 'cd' | 'mu';
    /** 'auto' or a count. */
    iters?: number | 'auto';
  }
  const ok = tableFor<Opts>()({ components: required(int(1)), solver: opt(oneOf(['cd', 'mu'] as const), 'cd'), iters: opt(either(oneOf(['auto'] as const), int(0)), 'auto') });
  assert.deepEqual({ ...resolveOptions('Est', ok, { components: 2 }) }, { components: 2, solver: 'cd', iters: 'auto' });
  // Each line below is a compile error (`npx tsc -p tsconfig.check.json` fails if one is not).
  // @ts-expect-error a key the interface lacks
  tableFor<Opts>()({ components: required(int(1)), solver: opt(oneOf(['cd', 'mu'] as const), 'cd'), iters: opt(int(0), 1), extra: opt(bool, true) });
  // @ts-expect-error a key of the interface missing
  tableFor<Opts>()({ components: required(int(1)), solver: opt(oneOf(['cd', 'mu'] as const), 'cd') });
  // @ts-expect-error a rule narrower than the option's type ('auto' documented, refused by int)
  tableFor<Opts>()({ components: required(int(1)), solver: opt(oneOf(['cd', 'mu'] as const), 'cd'), iters: opt(int(0), 1) });
  // @ts-expect-error a rule of another type
  tableFor<Opts>()({ components: required(int(1)), solver: opt(bool, true), iters: opt(int(0), 1) });
  // @ts-expect-error a required option with a default (the interface says required)
  tableFor<Opts>()({ components: opt(int(1), 2), solver: opt(oneOf(['cd', 'mu'] as const), 'cd'), iters: opt(either(oneOf(['auto'] as const), int(0)), 'auto') });
  // @ts-expect-error a required field for an optional option
  tableFor<Opts>()({ components: required(int(1)), solver: required(oneOf(['cd', 'mu'] as const)), iters: opt(either(oneOf(['auto'] as const), int(0)), 'auto') });
});
