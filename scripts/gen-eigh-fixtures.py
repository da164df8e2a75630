#!/usr/bin/env python3
"""Generate numpy reference fixtures for eigh/eigvalsh (test/fixtures/eigh/*.json).

Each fixture holds a symmetric matrix (row-major nested lists, full precision) and
numpy.linalg.eigvalsh's eigenvalues. Run from the repository root:
    python3 scripts/gen-eigh-fixtures.py
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'eigh')
rng = np.random.default_rng(20240503)


def orth(n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def with_spectrum(w):
    q = orth(len(w))
    a = (q * w) @ q.T
    return (a + a.T) / 2


def sym(n):
    a = rng.standard_normal((n, n))
    return (a + a.T) / 2


def tridiag(n):
    a = np.diag(rng.standard_normal(n)) + np.diag(rng.standard_normal(n - 1), 1)
    return np.triu(a) + np.triu(a, 1).T


def graded(n):
    s = 10.0 ** np.linspace(-12, 12, n)
    a = sym(n)
    return (s[:, None] * a) * s[None, :]


cases = {
    'random-5': sym(5),
    'random-30': sym(30),
    'random-40': sym(40),
    'cond-1e8': with_spectrum(np.geomspace(1, 1e-8, 30) * rng.choice([-1, 1], 30)),
    'cond-1e14': with_spectrum(np.geomspace(1, 1e-14, 36)),
    'repeated': with_spectrum(np.concatenate([np.ones(24), np.linspace(2, 5, 8), [-1, -1, 0]])),
    'clustered': with_spectrum(np.concatenate([1 + 1e-10 * rng.random(20), rng.standard_normal(12)])),
    'zero': np.zeros((7, 7)),
    'identity': np.eye(33),
    'diagonal': np.diag(rng.standard_normal(12)),
    'tridiagonal': tridiag(40),
    'graded': graded(28),
    'wilkinson-21': np.diag(np.abs(np.arange(-10, 11)).astype(float)) + np.diag(np.ones(20), 1) + np.diag(np.ones(20), -1),
}

os.makedirs(OUT, exist_ok=True)
for name, a in cases.items():
    a = np.asarray(a, dtype=np.float64)
    a = np.tril(a) + np.tril(a, -1).T  # exactly symmetric

    w = np.linalg.eigvalsh(a)
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump({'name': name, 'n': a.shape[0], 'A': a.tolist(), 'w': w.tolist()}, f)
print(f'wrote {len(cases)} fixtures to {os.path.normpath(OUT)}')
