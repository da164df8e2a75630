#!/usr/bin/env python3
"""Regenerate test/fixtures/solve/cases.json: numpy's solve, det, inv, lstsq, pinv,
matrix_rank, cond and 2-norm on small deterministic matrices.

    python3 scripts/gen-solve-fixtures.py

Matrices are stored row by row. Values are printed with repr precision (17 digits).
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'solve', 'cases.json')


def rows(a):
    return np.atleast_2d(a).tolist()


def main():
    rng = np.random.default_rng(20261123)
    cases = []
    for name, A in [
        ('random5', rng.standard_normal((5, 5))),
        ('random12', rng.standard_normal((12, 12))),
        ('hilbert6', np.array([[1.0 / (i + j + 1) for j in range(6)] for i in range(6)])),
        ('graded8', np.diag(10.0 ** np.arange(-7, 9, 2)) @ rng.standard_normal((8, 8))),
    ]:
        b = rng.standard_normal((A.shape[0], 2))
        sign, logabs = np.linalg.slogdet(A)
        cases.append({
            'kind': 'square', 'name': name, 'A': rows(A), 'b': rows(b),
            'x': rows(np.linalg.solve(A, b)), 'det': float(np.linalg.det(A)),
            'sign': float(sign), 'logabs': float(logabs), 'inv': rows(np.linalg.inv(A)),
            'cond': float(np.linalg.cond(A)), 'norm2': float(np.linalg.norm(A, 2)),
        })
    for name, A in [
        ('tall9x4', rng.standard_normal((9, 4))),
        ('wide4x9', rng.standard_normal((4, 9))),
        ('rankdef7x5', rng.standard_normal((7, 3)) @ rng.standard_normal((3, 5))),
    ]:
        b = rng.standard_normal((A.shape[0], 2))
        x, res, rank, s = np.linalg.lstsq(A, b, rcond=None)
        cases.append({
            'kind': 'lstsq', 'name': name, 'A': rows(A), 'b': rows(b), 'x': rows(x),
            'rank': int(rank), 'pinv': rows(np.linalg.pinv(A)),
            'matrix_rank': int(np.linalg.matrix_rank(A)), 'norm2': float(np.linalg.norm(A, 2)),
        })
    with open(OUT, 'w') as f:
        json.dump(cases, f)
        f.write('\n')


if __name__ == '__main__':
    main()
