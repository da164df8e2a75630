#!/usr/bin/env python3
"""Fixtures for `lowrank info`'s statistics (test/io/info-stats.test.ts): .npy files of
several dtypes, orders and shapes, with NaN, infinities, signed zeros, huge values (whose
squares overflow) and tiny ones (whose squares underflow), and numpy's statistics of each
in expected.json, as `lowrank info` defines them: nonzeros (NaN counts as nonzero), NaN and
infinity counts, min and max over the non-NaN values, and the Frobenius norm (NaN if any
value is NaN, else infinity if any is infinite, else sqrt of the sum of squares computed
without overflow: math.hypot over all values, correctly scaled, as the reference).

Usage: /tmp/ref-venv/bin/python scripts/gen-info-fixtures.py
"""
import json
import math
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'info')
rng = np.random.default_rng(20261206)


def stats(a):
    x = np.asarray(a).ravel(order='K')
    if x.dtype == np.bool_:
        x = x.astype(np.float64)
    f = x.astype(np.float64)
    nan = int(np.isnan(f).sum())
    inf = int(np.isinf(f).sum())
    finite = f[~np.isnan(f)]
    if nan:
        fro = 'nan'
    elif inf:
        fro = 'inf'
    else:
        fro = math.hypot(*f.tolist()) if f.size else 0.0
    cell = lambda v: 'inf' if v == math.inf else '-inf' if v == -math.inf else float(v)
    return {
        'count': int(f.size),
        'nonzeros': int(np.count_nonzero(f)),
        'nanCount': nan,
        'infCount': inf,
        'min': cell(finite.min()) if finite.size else None,
        'max': cell(finite.max()) if finite.size else None,
        'frobenius': fro,
    }


def with_specials(shape, dtype=np.float64, scale=1.0):
    a = (rng.standard_normal(shape) * scale).astype(dtype)
    flat = a.reshape(-1)
    n = flat.size
    for v, k in [(np.nan, 3), (np.inf, 2), (-np.inf, 1), (0.0, 5), (-0.0, 4)]:
        flat[rng.choice(n, size=k, replace=False)] = v
    return a


cases = {}
# C and Fortran order float64 with NaN / inf / zeros (files of several 1 MiB pieces are
# made by the tests themselves, which compare them with value-by-value bookkeeping).
a = with_specials((90, 80))
cases['f8_c_special'] = (a, False)
cases['f8_f_special'] = (np.asfortranarray(a), True)
# float32, C order; finite only (the norm is compared).
cases['f4_c'] = (rng.standard_normal((70, 65)).astype(np.float32), False)
cases['f4_f_special'] = (np.asfortranarray(with_specials((61, 70), np.float32)), True)
# Huge values: squares overflow (1e200^2), so the scaled sum must be taken.
cases['f8_huge'] = (rng.standard_normal((60, 50)) * 1e200, False)
# Mixed: one block of huge values among ordinary ones.
b = rng.standard_normal((80, 60))
b[5, :] = 1e300
cases['f8_mixed_huge'] = (b, False)
# Tiny values: squares underflow (1e-200^2).
cases['f8_tiny'] = (rng.standard_normal((40, 30)) * 1e-200, False)
# Integers and booleans: read as matrices (the general path).
cases['i4'] = (rng.integers(-1000, 1000, size=(50, 40)).astype(np.int32), False)
cases['bool'] = (rng.random((30, 20)) < 0.3, False)
# Shapes: 1-D, 0-D, empty, 3-D, a row.
cases['f8_1d'] = (rng.standard_normal(1000), False)
cases['f8_0d'] = (np.array(-2.5), False)
cases['f8_empty'] = (np.zeros((0, 5)), False)
cases['f8_3d'] = (with_specials((6, 7, 8)), False)
cases['f4_all_nan'] = (np.full((3, 4), np.nan, dtype=np.float32), False)
cases['f8_zeros_signed'] = (np.array([[0.0, -0.0], [-0.0, 0.0]]), False)

os.makedirs(OUT, exist_ok=True)
expected = {}
for name, (arr, fortran) in cases.items():
    arr = np.asfortranarray(arr) if fortran else np.ascontiguousarray(arr)
    np.save(os.path.join(OUT, name + '.npy'), arr)
    expected[name] = stats(arr)
# A complex file: info refuses it (the same error through the fast path's fallback).
np.save(os.path.join(OUT, 'complex.npy'), np.array([[1 + 2j, 3 - 1j]]))
with open(os.path.join(OUT, 'expected.json'), 'w') as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write('\n')
print(f'wrote {len(expected) + 1} files to {OUT}')
