import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from '../../src/errors.js';
import { DEFAULT_MAX_LINE, LineLengthGuard, LineSplitter, scanLines } from '../../src/io/lines.js';
import { formatReal, parseInteger, parseReal } from '../../src/io/numbers.js';
import { parsePyLiteral, PyLiteralError } from '../../src/io/py-literal.js';
import { rng } from '../../src/random.js';

test('parseReal accepts decimal and non-finite spellings only', () => {
  const ok: [string, number][] = [
    ['0', 0],
    ['-0', -0],
    ['+1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e300', 1e300],
    ['1E-5', 1e-5],
    ['-2.5e+3', -2500],
    ['nan', NaN],
    ['-NaN', NaN],
    ['inf', Infinity],
    ['-Inf', -Infinity],
    ['+INFINITY', Infinity],
    ['-infinity', -Infinity],
    ['1e999', Infinity],
  ];
  for (const [t, v] of ok) assert.ok(Object.is(parseReal(t), v), t);
  for (const t of ['', ' 1', '1 ', '0x1f', '0b1', '1_0', '1e', '.', '-', 'e1', '1,5', 'infin', 'Infinityy', 'nan1', '++1', '1e+-1', '١']) {
    assert.equal(parseReal(t), undefined, JSON.stringify(t));
  }
  assert.equal(parseInteger('-42'), -42);
  assert.equal(parseInteger('9007199254740993'), 9007199254740992);
  for (const t of ['1.0', '1e3', '', 'nan', '0x1']) assert.equal(parseInteger(t), undefined, t);
});

test('formatReal round-trips every float64 and float32 exactly, with the fewest digits', () => {
  const r = rng(5);
  const f64 = new Float64Array(2);
  const bits = new Uint32Array(f64.buffer);
  for (let k = 0; k < 20000; k++) {
    bits[0] = r.nextUint32();
    bits[1] = r.nextUint32();
    const v = f64[0]!;
    const s = formatReal(v);
    assert.ok(Object.is(parseReal(s), v) || (Number.isNaN(v) && s === 'nan'), `${v} -> ${s}`);
    const f = Math.fround(v);
    const s32 = formatReal(f, 'float32');
    assert.ok(Object.is(Math.fround(parseReal(s32)!), f) || (Number.isNaN(f) && s32 === 'nan'), `${f} -> ${s32}`);
    assert.ok(s32.replace(/^-|e.*$|\./g, '').replace(/^0+|0+$/g, '').length <= 9, s32); // significant digits
  }
  assert.deepEqual(
    [NaN, Infinity, -Infinity, -0, 0, 0.1, 1e21, 5e-324].map((v) => formatReal(v)),
    ['nan', 'inf', '-inf', '-0', '0', '0.1', '1e+21', '5e-324'],
  );
  assert.equal(formatReal(Math.fround(0.1), 'float32'), '0.1');
  assert.equal(formatReal(Math.fround(16777217), 'float32'), '16777216');
  assert.equal(formatReal(-Math.fround(1e-45), 'float32'), '-1e-45');
});

test('LineSplitter: any chunking gives the same lines; CRLF, BOM and a missing final newline', () => {
  const text = '\ufeffone\r\ntwo\n\nthree\r\n\r\nlast';
  const want = ['one', 'two', '', 'three', '', 'last'];
  for (let size = 1; size <= text.length; size++) {
    const got: string[] = [];
    const nums: number[] = [];
    const s = new LineSplitter('t', (l, n) => {
      got.push(l);
      nums.push(n);
    });
    for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
    assert.equal(s.end(), 6);
    assert.deepEqual(got, want, `chunk ${size}`);
    assert.deepEqual(nums, [1, 2, 3, 4, 5, 6]);
  }
  // UTF-8 bytes split inside a character by the 1 MiB decoding chunks.
  const long = 'é'.repeat(600000) + '\nend';
  const lines: string[] = [];
  scanLines(new TextEncoder().encode(long), 'u', (l) => lines.push(l));
  assert.deepEqual([lines[0]!.length, lines[1]], [600000, 'end']);
  assert.throws(
    () => scanLines('ok\n' + 'z'.repeat(100), 'f', () => {}, 50),
    (e: unknown) => e instanceof ParseError && e.line === 2 && /longer than 50 characters/.test(e.message),
  );
  assert.equal(scanLines('', 'f', () => assert.fail('no lines')), 0);
  assert.equal(DEFAULT_MAX_LINE, 16 * 1024 * 1024);
});

test('LineLengthGuard: complete-line prefixes, and an over-long line refused as soon as it is seen', () => {
  const g = new LineLengthGuard('g.csv', 10);
  assert.equal(g.feed('ab\ncd'), 3); // 'ab\n' is complete, 'cd' pending
  assert.equal(g.feed(new TextEncoder().encode('ef')), 0); // no line end: nothing complete
  assert.equal(g.feed('gh\n\n12'), 4); // 'cdefgh' (6) ended, then an empty line
  // '12' + '345678' is 8 characters of line 4; '901' makes 11 > 10: thrown before any line end arrives.
  assert.equal(g.feed('345678'), 0);
  assert.throws(
    () => g.feed('901'),
    (e: unknown) => e instanceof ParseError && e.line === 4 && e.message === 'g.csv:4: line is longer than 10 characters, the limit for one line of a text file (binary data, or a file without line breaks?)',
  );
  // Exactly at the limit is fine, over it is not, within one chunk too.
  const h = new LineLengthGuard('h', 4);
  assert.equal(h.feed('1234\n'), 5);
  assert.throws(() => h.feed('12345\n'), /h:2: line is longer than 4 characters/);
});

test('parsePyLiteral: the subset .npy headers use', () => {
  assert.deepEqual(parsePyLiteral("{'a': (1, 2), 'b': [True, None], 'c': -3.5, 'd': (), 'e': (7,)}"), {
    kind: 'dict',
    entries: [
      ['a', { kind: 'tuple', items: [1n, 2n] }],
      ['b', [true, null]],
      ['c', -3.5],
      ['d', { kind: 'tuple', items: [] }],
      ['e', { kind: 'tuple', items: [7n] }],
    ],
  });
  assert.equal(parsePyLiteral('(5)'), 5n);
  assert.equal(parsePyLiteral('"a\\"b\\x41\\n"'), 'a"bA\n');
  assert.equal(parsePyLiteral('  123456789012345678901234567890 # big\n'), 123456789012345678901234567890n);
  for (const bad of ['', '{', "{'a' 1}", "'abc", '(1, 2', 'foo', '1 2', '[1,,2]', '{1: 2, 1: 3}', "'\\x4'"]) {
    assert.throws(() => parsePyLiteral(bad), PyLiteralError, bad);
  }
});
