#!/usr/bin/env python3
"""Reference SoftImpute solutions for test/models/completion/soft-impute.test.ts.

Soft-Impute (Mazumder, Hastie & Tibshirani 2010, Algorithm 1) on small dense problems with
numpy's exact SVD: Z <- SVT_lambda(P_Omega(X) + P_Omega^perp(Z)), iterated until the
relative change is below 1e-15 (or 20000 iterations), optionally truncated to a max rank.
Writes test/fixtures/soft-impute/<name>.json with the observed triples, lambda, rank cap,
and the solution's singular values and dense completed matrix (column-major).

Run: python3 scripts/gen-soft-impute-fixtures.py
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'soft-impute')


def soft_impute(X, mask, lam, rank=None, iters=20000, tol=1e-15):
    Z = np.zeros_like(X)
    for _ in range(iters):
        W = np.where(mask, X, Z)
        U, s, Vt = np.linalg.svd(W, full_matrices=False)
        s = np.maximum(s - lam, 0)
        if rank is not None:
            s[rank:] = 0
        Zn = (U * s) @ Vt
        den = np.sum(Z * Z)
        ch = np.sum((Zn - Z) ** 2) / den if den > 0 else np.inf
        Z = Zn
        if ch < tol:
            break
    return Z, np.linalg.svd(Z, compute_uv=False)


def case(name, m, n, r, frac, lam_frac, rank, noise, seed):
    g = np.random.default_rng(seed)
    X = g.standard_normal((m, r)) @ g.standard_normal((r, n)) + noise * g.standard_normal((m, n))
    mask = g.random((m, n)) < frac
    lam_max = np.linalg.svd(np.where(mask, X, 0), compute_uv=False)[0]
    lam = lam_frac * lam_max
    Z, s = soft_impute(X, mask, lam, rank)
    k = int(np.sum(s > 1e-9 * s[0])) if s[0] > 0 else 0
    ii, jj = np.nonzero(mask)
    data = {
        'm': m, 'n': n, 'lambda': lam, 'lambdaMax': lam_max, 'rank': rank,
        'rows': ii.tolist(), 'cols': jj.tolist(), 'values': X[ii, jj].tolist(),
        's': s[:k].tolist(), 'completed': Z.flatten(order='F').tolist(),
    }
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(data, f)
    print(name, 'rank', k, 'lambda', lam)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    case('lowrank-noisy', 30, 20, 3, 0.5, 0.05, None, 0.1, 1)
    case('capped', 25, 35, 4, 0.4, 0.02, 3, 0.05, 2)
