import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../../../../src/errors.js';
import { Ratings } from '../../../../src/models/recommend/data/ratings.js';
import { syntheticRatings } from '../../../../src/models/recommend/data/synthetic.js';
import { rng } from '../../../../src/random.js';

const small = (): Ratings =>
  Ratings.fromTriples(['a', 'a', 'b', 'b', 'b', 'c'], ['x', 'y', 'x', 'y', 'z', 'x'], [5, 3, 4, 2, 1, 5], { timestamps: [6, 5, 4, 3, 2, 1] });

test('stats: sizes, density, values, scale and count quantiles', () => {
  const s = small().stats();
  assert.equal(s.ratings, 6);
  assert.equal(s.users, 3);
  assert.equal(s.items, 3);
  assert.equal(s.density, 6 / 9);
  assert.equal(s.min, 1);
  assert.equal(s.max, 5);
  assert.equal(s.mean, 20 / 6);
  const m = 20 / 6;
  assert.ok(Math.abs(s.std - Math.sqrt([5, 3, 4, 2, 1, 5].reduce((a, v) => a + (v - m) ** 2, 0) / 6)) < 1e-12);
  assert.equal(s.distinctValues, 5);
  assert.deepEqual(s.scale, [1, 2, 3, 4, 5]);
  // per user counts a:2 b:3 c:1 -> sorted 1,2,3 ; numpy.quantile([1,2,3], .25) = 1.5
  assert.deepEqual(s.perUser, { min: 1, q25: 1.5, median: 2, q75: 2.5, max: 3, mean: 2 });
  // per item x:3 y:2 z:1
  assert.equal(s.perItem.median, 2);
  assert.deepEqual(s.timeRange, [1, 6]);
  // a subset counts only the users and items it has, but keeps the ID space
  const sub = small().subset([0, 1]).stats();
  assert.equal(sub.users, 1);
  assert.equal(sub.items, 2);
  assert.equal(sub.nUsers, 3);
  const empty = small().subset([]).stats();
  assert.equal(empty.ratings, 0);
  assert.ok(Number.isNaN(empty.mean));
  assert.equal(empty.density, 0);
});

test('ids: userId/itemId and index lookups (numbers as strings), out of range throws', () => {
  const r = Ratings.fromTriples([10, 'u2'], ['i1', 7], [1, 2]);
  assert.equal(r.userId(0), '10');
  assert.equal(r.itemId(1), '7');
  assert.equal(r.userIndexOf(10), 0);
  assert.equal(r.userIndexOf('10'), 0);
  assert.equal(r.itemIndexOf(7), 1);
  assert.equal(r.userIndexOf('nobody'), undefined);
  assert.throws(() => r.userId(2), InvalidArgumentError);
  assert.throws(() => r.itemId(-1), InvalidArgumentError);
});

test('toTriples round-trips through fromTriples', () => {
  const r = small();
  const t = r.toTriples();
  assert.deepEqual(t.users, ['a', 'a', 'b', 'b', 'b', 'c']);
  const back = Ratings.fromTriples(t.users, t.items, t.values, { timestamps: t.timestamps });
  assert.deepEqual(back.users, r.users);
  assert.deepEqual(back.items, r.items);
  assert.deepEqual(back.values, r.values);
  assert.deepEqual(back.timestamps, r.timestamps);
});

// Reference k-core: repeatedly delete one offending rating at a time (slow but obviously right).
function naiveCore(r: Ratings, minU: number, minI: number): Set<number> {
  const alive = new Set<number>(Array.from({ length: r.size }, (_, k) => k));
  for (let changed = true; changed; ) {
    changed = false;
    const cu = new Map<number, number>();
    const ci = new Map<number, number>();
    for (const k of alive) {
      cu.set(r.users[k]!, (cu.get(r.users[k]!) ?? 0) + 1);
      ci.set(r.items[k]!, (ci.get(r.items[k]!) ?? 0) + 1);
    }
    for (const k of alive) {
      if (cu.get(r.users[k]!)! < minU || ci.get(r.items[k]!)! < minI) {
        alive.delete(k);
        changed = true;
      }
    }
  }
  return alive;
}

test('filter: k-core equals a naive fixed point; one pass and compact variants', () => {
  const g = rng(5);
  for (let trial = 0; trial < 5; trial++) {
    const n = 300;
    const us: number[] = [];
    const is: number[] = [];
    for (let k = 0; k < n; k++) {
      us.push(g.nextInt(40));
      is.push(g.nextInt(30));
    }
    const r = Ratings.fromTriples(us, is, new Array<number>(n).fill(3));
    const minU = 2 + g.nextInt(6);
    const minI = 2 + g.nextInt(6);
    const f = r.filter({ minUserRatings: minU, minItemRatings: minI });
    const want = naiveCore(r, minU, minI);
    assert.equal(f.size, want.size);
    assert.equal(f.ids, r.ids, 'same ID space');
    const st = f.stats();
    if (f.size > 0) assert.ok(st.perUser.min >= minU && st.perItem.min >= minI);
    const once = r.filter({ minUserRatings: minU, minItemRatings: minI, iterate: false });
    assert.ok(once.size >= f.size);
    const c = r.filter({ minUserRatings: minU, minItemRatings: minI, compact: true });
    assert.equal(c.size, f.size);
    assert.equal(c.nUsers, st.users);
    assert.equal(c.nItems, st.items);
    for (let k = 0; k < c.size; k++) {
      assert.equal(c.userId(c.users[k]!), f.userId(f.users[k]!));
      assert.equal(c.itemId(c.items[k]!), f.itemId(f.items[k]!));
    }
  }
  assert.throws(() => small().filter({ minUserRatings: -1 }), InvalidArgumentError);
});

test('concat: same ID space index for index; foreign tables mapped by ID', () => {
  const r = small();
  const a = r.subset([0, 1, 2]);
  const b = r.subset([3, 4, 5]);
  const ab = a.concat(b);
  assert.equal(ab.ids, r.ids);
  assert.deepEqual(ab.users, r.users);
  assert.deepEqual(ab.timestamps, r.timestamps);
  const other = Ratings.fromTriples(['c', 'd'], ['w', 'x'], [2, 3]);
  const m = r.concat(other);
  assert.equal(m.size, 8);
  assert.equal(m.nUsers, 4);
  assert.equal(m.nItems, 4);
  assert.equal(m.userId(m.users[6]!), 'c');
  assert.equal(m.users[6], r.userIndexOf('c'), 'existing users keep their index');
  assert.equal(m.itemId(m.items[7]!), 'x');
  assert.equal(m.timestamps, undefined, 'timestamps dropped when a part lacks them');
});

test('byUser on a synthetic table groups each user with ascending items', () => {
  const r = syntheticRatings({ users: 100, items: 80, ratings: 3000, seed: 2 });
  const csr = r.byUser();
  for (let u = 0; u < r.nUsers; u++) {
    for (let p = csr.indptr[u]!; p < csr.indptr[u + 1]!; p++) {
      assert.equal(r.users[csr.positions[p]!], u);
      if (p > csr.indptr[u]!) assert.ok(csr.indices[p]! > csr.indices[p - 1]!);
    }
  }
});
