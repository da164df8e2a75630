#!/usr/bin/env python3
"""Reference singular values for test/linalg/bdsdc.test.ts.

Writes test/fixtures/bdsdc/<name>.json with the bidiagonal (d, e), numpy's singular
values of the dense matrix (numpy.linalg.svd, i.e. LAPACK gesdd), and for the graded
cases 40-digit values from mpmath (to check relative accuracy of small values).
Run from the repository root: python3 scripts/gen-bdsdc-fixtures.py
"""
import json
import os

import numpy as np

try:
    import mpmath
except ImportError:  # mpmath is optional; graded cases then carry numpy values only
    mpmath = None

OUT = os.path.join('test', 'fixtures', 'bdsdc')
rng = np.random.default_rng(20240531)


def exact_singular_values(d, e):
    """Singular values to ~40 digits: eigenvalues of the tridiagonal B^T B in mpmath."""
    if mpmath is None:
        return None
    mpmath.mp.dps = 60
    n = len(d)
    B = mpmath.matrix(n, n)
    for i in range(n):
        B[i, i] = mpmath.mpf(float(d[i]))
        if i + 1 < n:
            B[i, i + 1] = mpmath.mpf(float(e[i]))
    s = mpmath.svd_r(B, compute_uv=False)
    return sorted((float(x) for x in s), reverse=True)


def write(name, d, e, exact=False):
    d = np.asarray(d, dtype=np.float64)
    e = np.asarray(e, dtype=np.float64)
    B = np.diag(d) + (np.diag(e, 1) if len(d) > 1 else 0)
    s = np.linalg.svd(B, compute_uv=False)
    rec = {'name': name, 'n': len(d), 'd': d.tolist(), 'e': e.tolist(), 's': s.tolist()}
    if exact:
        rec['s_exact'] = exact_singular_values(d, e)
    with open(os.path.join(OUT, name + '.json'), 'w') as f:
        json.dump(rec, f)


def uniform(n):
    return rng.uniform(-1, 1, n), rng.uniform(-1, 1, max(n - 1, 0))


os.makedirs(OUT, exist_ok=True)
for n in (3, 10, 26, 40):
    write(f'random-{n}', *uniform(n))
for n in (24, 36):
    d, e = uniform(n)
    write(f'graded-{n}', d * 10.0 ** (-np.arange(n) / 2), e * 10.0 ** (-np.arange(1, n) / 2), exact=True)
n = 36
d, e = uniform(n)
d[::3] = 0
e[::4] = 0
write('zeros-36', d, e)
write('repeated-30', np.ones(30), np.full(29, 1e-10))
write('clustered-32', 1 + 1e-9 * rng.uniform(0, 1, 32), 1e-9 * rng.uniform(-1, 1, 31))
d, e = uniform(30)
write('huge-30', d * 1e150, e * 1e150)
write('tiny-30', d * 1e-150, e * 1e-150)
