#!/usr/bin/env python3
"""Regenerate the SVD test fixtures in test/fixtures/svd/ with numpy.

    python3 scripts/gen-svd-fixtures.py

Each JSON file holds one small matrix (rows, cols, data row by row) and numpy's singular
values (numpy.linalg.svd(A, compute_uv=False), LAPACK dgesdd) to full precision; floats
are written with repr, which round-trips exactly. The matrices cover the kinds the SVD
must handle: random square/tall/wide, vectors, ill-conditioned (cond 1e8 and 1e14),
rank-deficient, graded rows, repeated and clustered singular values. Deterministic.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'svd')


def orthonormal(rng, m, k):
    q, r = np.linalg.qr(rng.standard_normal((m, k)))
    return q * np.sign(np.diag(r))


def with_singular_values(rng, m, n, s):
    k = len(s)
    return (orthonormal(rng, m, k) * np.asarray(s)) @ orthonormal(rng, n, k).T


def cases():
    rng = np.random.default_rng(20240603)
    yield 'random-6x4', rng.standard_normal((6, 4))
    yield 'random-4x6', rng.standard_normal((4, 6))
    yield 'random-25x25', rng.standard_normal((25, 25))
    yield 'random-40x30', rng.uniform(-1, 1, (40, 30))
    yield 'row-1x7', rng.standard_normal((1, 7))
    yield 'col-9x1', rng.standard_normal((9, 1))
    yield 'cond1e8-20x20', with_singular_values(rng, 20, 20, np.geomspace(1, 1e-8, 20))
    yield 'cond1e14-30x30', with_singular_values(rng, 30, 30, np.geomspace(1, 1e-14, 30))
    yield 'rank5-30x20', with_singular_values(rng, 30, 20, [9, 5, 3, 2, 1])
    yield 'graded-20x12', rng.standard_normal((20, 12)) * np.logspace(-150, 150, 20)[:, None]
    yield 'repeated-24x24', with_singular_values(rng, 24, 24, [2.0] * 8 + [1.0] * 10 + [1e-3] * 6)
    yield 'clustered-24x18', with_singular_values(rng, 24, 18, [1 + 1e-10 * i for i in range(18)])
    yield 'wide-cond1e8-12x35', with_singular_values(rng, 12, 35, np.geomspace(3, 3e-8, 12))


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, A in cases():
        A = np.ascontiguousarray(A, dtype=np.float64)
        s = np.linalg.svd(A, compute_uv=False)
        doc = {
            'name': name,
            'rows': A.shape[0],
            'cols': A.shape[1],
            'data': [[float(v) for v in row] for row in A],
            's': [float(v) for v in s],
        }
        with open(os.path.join(OUT, name + '.json'), 'w') as f:
            json.dump(doc, f, separators=(',', ':'))
            f.write('\n')


if __name__ == '__main__':
    main()
