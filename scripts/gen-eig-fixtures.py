#!/usr/bin/env python3
"""Regenerate the eig test fixtures in test/fixtures/eig/ with numpy.

    python3 scripts/gen-eig-fixtures.py

Writes one JSON file per matrix: {"name", "n", "a" (row by row), "wr", "wi" (numpy.linalg.eig
eigenvalues in numpy's order), "compare" (whether eigenvalues are well conditioned enough to
be compared to 1e-12 relative), "known" (exact eigenvalues when known, as [re, im] pairs)}.
Python's float repr round-trips, so the values are numpy's to full precision. The
output is deterministic (seeded generators).

Larger matrices (orders 120-400, the multishift QR path) go to test/fixtures/eig/large/
without their entries: they are generated from the MINSTD sequence (x <- 48271 x mod
2^31 - 1, entry = x / (2^31 - 1) - 0.5, column by column), which TypeScript reproduces
exactly, so a fixture holds only {"name", "n", "seed", "kind", "wr", "wi"}.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'eig')


def orth(rng, n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def companion(roots):
    """Companion matrix whose characteristic polynomial has the given roots."""
    c = np.real(np.poly(roots))  # leading coefficient 1
    n = len(roots)
    a = np.zeros((n, n))
    a[0, :] = -c[1:]
    a[1:, :-1] = np.eye(n - 1)
    return a


MINSTD_M = 2147483647


def minstd(n, seed):
    """n x n matrix from the MINSTD sequence, column-major fill (exact in binary64)."""
    x = seed
    a = np.zeros((n, n))
    for j in range(n):
        for i in range(n):
            x = (48271 * x) % MINSTD_M
            a[i, j] = x / MINSTD_M - 0.5
    return a


def large_kind(a, kind):
    """The structured variants of a MINSTD matrix (same rules in test/linalg/eig.test.ts)."""
    n = a.shape[0]
    a = a.copy()
    if kind == 'graded':
        # D A D^-1 with D = 2^(i mod 9 - 4): balancing undoes it exactly.
        d = np.array([2.0 ** (i % 9 - 4) for i in range(n)])
        a = d[:, None] * a / d[None, :]
    elif kind == 'isolated':
        # Row n-1 and column 0 zero off the diagonal: balancing isolates two eigenvalues
        # (ilo = 1, ihi = n - 2 after its permutations).
        a[n - 1, :n - 1] = 0
        a[1:, 0] = 0
    return a


def write_large():
    out = os.path.join(OUT, 'large')
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f.endswith('.json'):
            os.remove(os.path.join(out, f))
    for name, n, seed, kind in (
        ('minstd-120', 120, 1, 'plain'),
        ('minstd-300', 300, 2, 'plain'),
        ('minstd-graded-200', 200, 3, 'graded'),
        ('minstd-isolated-160', 160, 4, 'isolated'),
        ('minstd-400', 400, 5, 'plain'),
    ):
        a = large_kind(minstd(n, seed), kind)
        w = np.asarray(np.linalg.eigvals(a), dtype=complex)
        rec = {'name': name, 'n': n, 'seed': seed, 'kind': kind,
               'wr': [float(v.real) for v in w], 'wi': [float(v.imag) for v in w]}
        with open(os.path.join(out, f'{name}.json'), 'w') as f:
            json.dump(rec, f)
            f.write('\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith('.json'):
            os.remove(os.path.join(OUT, f))
    cases = []
    rng = np.random.default_rng(20240611)
    for n in (2, 5, 20, 40):
        cases.append((f'random-{n}', rng.standard_normal((n, n)), True, None))
    cases.append(('rotation-2', np.array([[0.0, -1.0], [1.0, 0.0]]), True, [[0, 1], [0, -1]]))
    q = orth(rng, 4)
    blocks = np.zeros((4, 4))
    blocks[0:2, 0:2] = [[0, -1], [1, 0]]
    blocks[2:4, 2:4] = [[0, -2.5], [2.5, 0]]
    cases.append(('rotation-4', q @ blocks @ q.T, True, [[0, 1], [0, -1], [0, 2.5], [0, -2.5]]))
    roots = [1.0, 2.0, 3.0, 4.0, 5.0]
    cases.append(('companion-real', companion(roots), True, [[r, 0] for r in roots]))
    roots = [2.0, -3.0, 1j, -1j, 0.5 + 2j, 0.5 - 2j]
    cases.append(('companion-complex', companion(roots), True, [[complex(r).real, complex(r).imag] for r in roots]))
    u = np.triu(rng.standard_normal((6, 6)))
    np.fill_diagonal(u, [3.0, -1.0, 0.5, 7.0, -4.0, 2.0])
    cases.append(('upper-triangular', u, True, [[d, 0] for d in np.diag(u)]))
    d = np.logspace(-4, 4, 8)
    cases.append(('needs-balancing', (d[:, None] * rng.standard_normal((8, 8))) / d[None, :], True, None))
    iso = rng.standard_normal((8, 8))
    iso[7, :7] = 0  # row 7 isolates an eigenvalue
    iso[1:, 0] = 0  # column 0 isolates another
    perm = [3, 7, 0, 5, 1, 6, 2, 4]
    iso = iso[perm][:, perm]  # hide the structure behind a symmetric permutation
    cases.append(('isolated', iso, True, None))
    cases.append(('zero-4', np.zeros((4, 4)), True, [[0, 0]] * 4))
    cases.append(('identity-5', np.eye(5), True, [[1, 0]] * 5))
    cases.append(('one-by-one', np.array([[3.5]]), True, [[3.5, 0]]))
    cases.append(('empty', np.zeros((0, 0)), True, []))
    j = 2.0 * np.eye(5) + np.diag(np.ones(4), 1)
    cases.append(('jordan-5', j, False, [[2, 0]] * 5))
    for name, a, compare, known in cases:
        w = np.linalg.eigvals(a) if a.size else np.zeros(0, complex)
        w = np.asarray(w, dtype=complex)
        rec = {
            'name': name,
            'n': int(a.shape[0]),
            'a': [[float(v) for v in row] for row in a],
            'wr': [float(v.real) for v in w],
            'wi': [float(v.imag) for v in w],
            'compare': compare,
            'known': known,
        }
        with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
            json.dump(rec, f)
            f.write('\n')
    write_large()


if __name__ == '__main__':
    main()
