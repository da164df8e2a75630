"""Reference for bench/recommend-als.ts: the same ALS algorithms as lowrank's ALS and
ImplicitALS, in numpy (a Python loop over rows, LAPACK solves) and, when numba is importable,
as numba-compiled loops. Same data (CSR files written by the TypeScript bench), same
hyperparameters, same initialisation scale.

- explicit: ALS-WR (Zhou et al. 2008) with the bias as an extra column, ratings centred by
  the mean: per row (Z^T Z + reg * n * I) x = Z^T (r - mu - b_fixed), Z = [Q_rows, 1].
- implicit-cg: Hu, Koren & Volinsky 2008 with `cg_steps` conjugate-gradient steps per row
  warm-started from the current factors (Takacs et al. 2011; the `implicit` library's
  least_squares_cg), confidence 1 + alpha r.

Usage: python als_numpy.py DIR FACTORS ITERS REG ALPHA CGSTEPS [numpy|numba ...]
DIR holds u_indptr.i32 u_indices.i32 u_values.f32 i_indptr.i32 i_indices.i32 i_values.f32,
test_u.i32 test_i.i32 test_r.f32 and meta.json {nUsers, nItems}. Prints one JSON line with
seconds per iteration (best of the iterations after the first) and test RMSE per variant.
"""
import json
import os
import sys
import time

import numpy as np

d, f, iters, reg, alpha, cg_steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
variants = sys.argv[7:] or ['numpy']
meta = json.load(open(os.path.join(d, 'meta.json')))
nu, ni = meta['nUsers'], meta['nItems']
ld = lambda name, t: np.fromfile(os.path.join(d, name), dtype=t)
U = (ld('u_indptr.i32', np.int32), ld('u_indices.i32', np.int32), ld('u_values.f32', np.float32))
I = (ld('i_indptr.i32', np.int32), ld('i_indices.i32', np.int32), ld('i_values.f32', np.float32))
tu, ti, tr = ld('test_u.i32', np.int32), ld('test_i.i32', np.int32), ld('test_r.f32', np.float32)
mu = float(U[2].astype(np.float64).mean())


def explicit_half_numpy(csr, fixed, fbias, out, obias):
    indptr, idx, vals = csr
    Za = np.hstack([fixed.astype(np.float64), np.ones((fixed.shape[0], 1))])
    n = f + 1
    eye = np.eye(n)
    for r in range(len(indptr) - 1):
        a, b = indptr[r], indptr[r + 1]
        if a == b:
            out[r] = 0
            obias[r] = 0
            continue
        j = idx[a:b]
        Z = Za[j]
        t = vals[a:b] - mu - fbias[j]
        x = np.linalg.solve(Z.T @ Z + (reg * (b - a)) * eye, Z.T @ t)
        out[r] = x[:f]
        obias[r] = x[f]


def implicit_half_numpy(csr, fixed, out):
    indptr, idx, vals = csr
    Y = fixed.astype(np.float64)
    G = Y.T @ Y + reg * np.eye(f)
    for r in range(len(indptr) - 1):
        a, b = indptr[r], indptr[r + 1]
        if a == b:
            out[r] = 0
            continue
        Yu = Y[idx[a:b]]
        cm1 = alpha * vals[a:b].astype(np.float64)
        x = out[r].astype(np.float64)
        res = -(G @ x) + Yu.T @ (1 + cm1 - cm1 * (Yu @ x))
        p = res.copy()
        rs = res @ res
        for _ in range(cg_steps):
            if rs < 1e-20:
                break
            Ap = G @ p + Yu.T @ (cm1 * (Yu @ p))
            step = rs / (p @ Ap)
            x += step * p
            res -= step * Ap
            rsn = res @ res
            p = res + (rsn / rs) * p
            rs = rsn
        out[r] = x


def make_numba():
    from numba import njit

    @njit(fastmath=True, cache=False)
    def explicit_half(indptr, idx, vals, fixed, fbias, out, obias, mu, reg):
        f = fixed.shape[1]
        n = f + 1
        A = np.empty((n, n))
        bvec = np.empty(n)
        for r in range(indptr.shape[0] - 1):
            a, b = indptr[r], indptr[r + 1]
            if a == b:
                out[r, :] = 0
                obias[r] = 0
                continue
            A[:, :] = 0
            bvec[:] = 0
            for k in range(a, b):
                j = idx[k]
                t = vals[k] - mu - fbias[j]
                for p in range(f):
                    zp = fixed[j, p]
                    bvec[p] += zp * t
                    for q in range(p + 1):
                        A[p, q] += zp * fixed[j, q]
                    A[f, p] += zp
                bvec[f] += t
                A[f, f] += 1.0
            for p in range(n):
                for q in range(p):
                    A[q, p] = A[p, q]
                A[p, p] += reg * (b - a)
            x = np.linalg.solve(A, bvec)
            out[r, :] = x[:f]
            obias[r] = x[f]

    @njit(fastmath=True, cache=False)
    def implicit_half(indptr, idx, vals, Y, G, out, alpha, steps):
        f = Y.shape[1]
        for r in range(indptr.shape[0] - 1):
            a, b = indptr[r], indptr[r + 1]
            if a == b:
                out[r, :] = 0
                continue
            x = out[r, :].astype(np.float64)
            res = -(G @ x)
            for k in range(a, b):
                y = Y[idx[k]]
                cm1 = alpha * vals[k]
                s = 0.0
                for c in range(f):
                    s += y[c] * x[c]
                coef = 1 + cm1 - cm1 * s
                for c in range(f):
                    res[c] += coef * y[c]
            p = res.copy()
            rs = res @ res
            for _ in range(steps):
                if rs < 1e-20:
                    break
                Ap = G @ p
                for k in range(a, b):
                    y = Y[idx[k]]
                    cm1 = alpha * vals[k]
                    s = 0.0
                    for c in range(f):
                        s += y[c] * p[c]
                    for c in range(f):
                        Ap[c] += cm1 * s * y[c]
                step = rs / (p @ Ap)
                x += step * p
                res -= step * Ap
                rsn = res @ res
                p = res + (rsn / rs) * p
                rs = rsn
            out[r, :] = x

    def explicit(csr, fixed, fbias, out, obias):
        explicit_half(csr[0], csr[1], csr[2].astype(np.float64), fixed.astype(np.float64), fbias.astype(np.float64), out, obias, mu, reg)

    def implicit(csr, fixed, out):
        Y = fixed.astype(np.float64)
        implicit_half(csr[0], csr[1], csr[2].astype(np.float64), Y, Y.T @ Y + reg * np.eye(f), out, alpha, cg_steps)

    return explicit, implicit


def run(kind, explicit_half, implicit_half):
    rng = np.random.default_rng(0)
    P = np.zeros((nu, f))
    Q = rng.normal(0, 0.1 if kind == 'explicit' else 0.01, (ni, f))
    if kind == 'implicit':
        P = rng.normal(0, 0.01, (nu, f))
    bu = np.zeros(nu)
    bi = np.zeros(ni)
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        if kind == 'explicit':
            explicit_half(U, Q, bi, P, bu)
            explicit_half(I, P, bu, Q, bi)
        else:
            implicit_half(U, Q, P)
            implicit_half(I, P, Q)
        times.append(time.perf_counter() - t0)
    sec = min(times[1:]) if len(times) > 1 else times[0]
    if kind == 'explicit':
        pred = np.clip(mu + bu[tu] + bi[ti] + np.einsum('ij,ij->i', P[tu], Q[ti]), U[2].min(), U[2].max())
        return sec, float(np.sqrt(np.mean((pred - tr) ** 2)))
    return sec, float('nan')


out = {}
for v in variants:
    if v == 'numpy':
        ex, im = explicit_half_numpy, implicit_half_numpy
    else:
        try:
            ex, im = make_numba()
        except ImportError:
            continue
        # compile on a tiny call so the timings exclude JIT
        small = (np.array([0, 1], np.int32), np.array([0], np.int32), np.array([4.0], np.float32))
        ex(small, np.zeros((1, f)), np.zeros(1), np.zeros((1, f)), np.zeros(1))
        im(small, np.zeros((1, f)), np.zeros((1, f)))
    s, r = run('explicit', ex, im)
    out[f'{v}_als_s'] = s
    out[f'{v}_als_rmse'] = r
    s, _ = run('implicit', ex, im)
    out[f'{v}_ials_s'] = s
print(json.dumps(out))
