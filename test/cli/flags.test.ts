// The option-value rules of src/cli/flags.ts: what each accepts, the words its messages use,
// and the commander options built on them (parsed while the line is parsed; help unchanged).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { atMost, choice, count, either, flagOption, integer, list, number, repeatedFlagOption, rule } from '../../src/cli/flags.js';
import { UsageError } from '../../src/cli/options.js';

test('flags: rules describe their values in the words of the messages', () => {
  assert.equal(integer().what, 'an integer');
  assert.equal(count.what, 'an integer >= 1');
  assert.equal(integer({ min: 0, max: 9 }).what, 'an integer in [0, 9]');
  assert.equal(number().what, 'a number');
  assert.equal(number({ above: 0 }).what, 'a number > 0');
  assert.equal(number({ min: 0, max: 1 }).what, 'a number in [0, 1]');
  assert.equal(number({ above: 0, below: 1 }).what, 'a number in (0, 1)');
  assert.equal(number({ above: 0, max: 1 }).what, 'a number in (0, 1]');
  assert.equal(either(count, number({ min: 0, below: 1 }, 'a fraction')).what, 'an integer >= 1 or a fraction in [0, 1)');
  assert.equal(either(choice(['auto']), integer({ min: 0 })).what, "'auto' or an integer >= 0");
  assert.equal(choice(['cd', 'mu', 'als']).what, "'cd', 'mu' or 'als'");
  assert.equal(list(count).what, 'an integer >= 1 or a comma-separated list of them');
});

test('flags: numbers as JavaScript reads them; blank text and non-finite values are no number', () => {
  assert.equal(count.read('3'), 3);
  assert.equal(count.read(' 1e2 '), 100);
  assert.equal(count.read('0x10'), 16);
  for (const bad of ['0', '1.5', '', '  ', 'x', 'Infinity', '-1']) assert.equal(count.read(bad), undefined, bad);
  assert.equal(number().read('-2.5'), -2.5);
  for (const bad of ['Infinity', 'NaN', '', 'abc']) assert.equal(number().read(bad), undefined, bad);
  assert.equal(number({ above: 0, below: 1 }).read('1'), undefined);
  assert.equal(number({ above: 0, max: 1 }).read('1'), 1);
});

test('flags: digits-only integers refuse exponents, hex and fractions; a sign only where negatives are allowed', () => {
  const level = integer({ min: 0, max: 9 }, { digits: true });
  assert.equal(level.read(' 7 '), 7);
  for (const bad of ['1e0', '0x1', '1.0', '-0', '10', '']) assert.equal(level.read(bad), undefined, bad);
  const seed = integer({ min: -(2 ** 31), max: 2 ** 31 }, { digits: true });
  assert.equal(seed.read('-12'), -12);
  assert.equal(seed.read('1e3'), undefined);
  assert.equal(integer({ min: 0 }, { digits: true, what: 'a port' }).what, 'a port');
});

test('flags: either tries its rules in order; list reads every comma-separated item', () => {
  const powerIters = either(choice(['auto']), integer({ min: 0 }));
  assert.equal(powerIters.read('auto'), 'auto');
  assert.equal(powerIters.read('4'), 4);
  assert.equal(powerIters.read(' auto'), undefined);
  const ranks = list(integer({ min: 1 }, { digits: true }));
  assert.deepEqual(ranks.read('5, 10,20'), [5, 10, 20]);
  for (const bad of ['5,,10', '5,x', '', '1e1']) assert.equal(ranks.read(bad), undefined, bad);
});

function program(...options: ReturnType<typeof flagOption>[]): Command {
  const cmd = new Command().exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  for (const o of options) cmd.addOption(o);
  return cmd.action(() => {});
}

test('flagOption: the value is read while the line is parsed; a bad one is a UsageError naming flag, rule and text', () => {
  const cmd = program(flagOption('-k, --rank <k>', 'rank', count), flagOption('--tol <t>', 'tolerance', number({ min: 0 }), { default: '1e-4' }));
  cmd.parse(['--rank', '3'], { from: 'user' });
  assert.deepEqual(cmd.opts(), { rank: 3, tol: 1e-4 });
  assert.throws(() => program(flagOption('-k, --rank <k>', 'rank', count)).parse(['-k', '0'], { from: 'user' }), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.message, "--rank must be an integer >= 1, got '0'");
    return true;
  });
  assert.throws(() => program(flagOption('-n, --n <count>', 'how many', count, { name: '-n' })).parse(['-n', 'x'], { from: 'user' }), /^UsageError: -n must be an integer >= 1, got 'x'$/);
  assert.throws(() => program(flagOption('-n <n>', 'how many', count)).parse(['-n', 'x'], { from: 'user' }), /-n must be/);
});

test('flagOption: a default is given as typed, read by the rule, and shown in the help as given', () => {
  const option = flagOption('--max-iter <n>', 'iteration cap', count, { default: '200' });
  assert.equal(option.defaultValue, 200);
  const help = new Command().addOption(option).helpInformation();
  assert.match(help, /iteration cap \(default: "200"\)/);
  assert.throws(() => flagOption('--bad <n>', 'x', count, { default: '0' }), UsageError);
});

test('repeatedFlagOption: every occurrence read and collected in order; none by default', () => {
  const pair = rule('a pair a:b', (t) => (/^\w+:\w+$/.test(t) ? t.split(':') : undefined));
  const cmd = program(repeatedFlagOption('--pair <a:b>', 'pairs', pair));
  cmd.parse([], { from: 'user' });
  assert.deepEqual(cmd.opts().pair, []);
  cmd.parse(['--pair', 'a:b', '--pair', 'c:d'], { from: 'user' });
  assert.deepEqual(cmd.opts().pair, [['a', 'b'], ['c', 'd']]);
  assert.throws(() => program(repeatedFlagOption('--pair <a:b>', 'pairs', pair)).parse(['--pair', 'a'], { from: 'user' }), /--pair must be a pair a:b, got 'a'/);
});

test('atMost: a value above the limit the data sets is a UsageError naming flag, limit and value', () => {
  atMost('--rank', 10, 10, 'min(rows, cols) = 10');
  assert.throws(() => atMost('--rank', 11, 10, 'min(rows, cols) = 10 for this 20x10 matrix'), /^UsageError: --rank must be at most min\(rows, cols\) = 10 for this 20x10 matrix, got 11$/);
});
