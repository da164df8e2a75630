#!/usr/bin/env python3
"""numpy references of lowrank's Tucker (HOSVD, ST-HOSVD, HOOI) and CP (ALS, HALS), step for
step the algorithms of src/models/tensor/tucker.ts and cp.ts, for the fixtures
(scripts/gen-tucker-cp-fixtures.py imports this file) and the benchmark (bench/tucker-cp.ts
runs it as a script).

The same algorithms, written the way numpy code is written: unfoldings by moveaxis + reshape,
mode products by tensordot, Grams by A @ A.T, leading vectors by eigh of the smaller Gram matrix
(and a QR for a mode longer than the rest of the tensor), the partial MTTKRP by reshapes + matmul
and einsum, normal equations by scipy's Cholesky (cho_factor / cho_solve). TensorLy is not
installed here; these functions are not TensorLy's code but the same textbook algorithms.

Script use (benchmark): python tucker_cp.py OUT.json CASES.json
  CASES.json: [{"kind": "hooi"|"cp", "shape": [...], "ranks"|"rank": ..., "iters": k}, ...]
  Prints per case the best time of one iteration (seconds) over repeats.
"""
import json
import sys
import time

import numpy as np
import scipy.linalg as sl


# ----------------------------------------------------------------------------- helpers


def unfold(X, k):
    """X_(k): n_k x prod(other n), other modes in C order (TensorLy's unfold)."""
    return np.moveaxis(X, k, 0).reshape(X.shape[k], -1)


def flip(U):
    """Make the largest-magnitude entry of each column positive (first one on ties)."""
    idx = np.argmax(np.abs(U), axis=0)
    signs = np.sign(U[idx, np.arange(U.shape[1])])
    signs[signs == 0] = 1
    return U * signs


def leading(X, k, r):
    """r leading left singular vectors of X_(k), from the smaller Gram matrix: eigh of X_(k) X_(k)^T
    when n_k <= prod(others), else eigh of X_(k)^T X_(k) and a QR of X_(k) V_r."""
    n = X.shape[k]
    Xk = unfold(X, k)
    if n <= Xk.shape[1]:
        w, V = np.linalg.eigh(Xk @ Xk.T)
        U = V[:, ::-1][:, :r]
    else:
        w, V = np.linalg.eigh(Xk.T @ Xk)
        U = np.linalg.qr(Xk @ V[:, ::-1][:, :r])[0]
    return flip(U)


def ttm_t(X, U, k):
    """X x_k U^T for U n_k x r."""
    return np.moveaxis(np.tensordot(X, U, axes=([k], [0])), -1, k)


def shrink_order(modes, shape, ranks):
    # r_k / n_k ascending; ties: the last mode, then the first, then the others in order.
    d = len(shape)
    return sorted(modes, key=lambda k: (ranks[k] / shape[k], -2 if k == d - 1 else -1 if k == 0 else k))


def contract(X, modes, U, shape, ranks):
    for k in shrink_order(modes, shape, ranks):
        X = ttm_t(X, U[k], k)
    return X


def split_point(shape):
    d = len(shape)
    costs = [(int(np.prod(shape[:s])) + int(np.prod(shape[s:])), s) for s in range(1, d)]
    return min(costs)[1]


def rel_error_from_core(nx, G):
    q = np.linalg.norm(G) / nx
    return float(np.sqrt(max(0.0, (1 - q) * (1 + q))))


# ----------------------------------------------------------------------------- Tucker


def hosvd(X, ranks):
    d = X.ndim
    U = [leading(X, k, ranks[k]) for k in range(d)]
    return contract(X, range(d), U, X.shape, ranks), U


def sthosvd(X, ranks):
    d = X.ndim
    U = [None] * d
    Y = X
    for k in shrink_order(range(d), X.shape, ranks):
        U[k] = leading(Y, k, ranks[k])
        Y = ttm_t(Y, U[k], k)
    return Y, U


def hooi_sweep(X, U, ranks):
    """One HOOI sweep in place on U (two groups split at split_point); returns the core."""
    shape = X.shape
    d = X.ndim
    s = split_point(shape)
    first = list(range(s))
    second = list(range(s, d))
    core = None
    for update, other in ((first, second), (second, first)):
        P = contract(X, other, U, shape, ranks)
        for t, q in enumerate(update):
            Y = contract(P, [k for k in update if k != q], U, shape, ranks)
            U[q] = leading(Y, q, ranks[q])
            if update is second and t == len(update) - 1:
                core = ttm_t(Y, U[q], q)
    return core


def hooi(X, ranks, max_iter=100, tol=1e-10):
    d = X.ndim
    nx = np.linalg.norm(X)
    U = [leading(X, k, ranks[k]) for k in range(d)]
    errors = []
    captured = None
    G = None
    for it in range(1, max_iter + 1):
        G = hooi_sweep(X, U, ranks)
        q = np.linalg.norm(G) / nx
        errors.append(float(np.sqrt(max(0.0, (1 - q) * (1 + q)))))
        if tol > 0 and it > 1 and q * q - captured * captured <= tol:
            break
        captured = q
    return G, U, errors


# ----------------------------------------------------------------------------- CP


def khatri_rao(mats, r):
    out = np.ones((1, r))
    for A in mats:
        out = (out[:, None, :] * A[None, :, :]).reshape(-1, r)
    return out


def contract_group(T, dims, q, factors, r):
    """MTTKRP of mode q of a group from the partial product T ((prod dims) x r)."""
    m = dims[q]
    Pa = int(np.prod(dims[:q]))
    Pb = int(np.prod(dims[q + 1:]))
    U = T.reshape(Pa, m, Pb, r)
    if Pb > 1:
        U = np.einsum("aibc,bc->aic", U, khatri_rao(factors[q + 1:], r))
    else:
        U = U.reshape(Pa, m, r)
    if Pa > 1:
        return np.einsum("aic,ac->ic", U, khatri_rao(factors[:q], r))
    return U.reshape(m, r).copy()


def normalize(A):
    norms = np.linalg.norm(A, axis=0)
    safe = np.where(norms > 0, norms, 1)
    return A / safe, norms


def hadamard_grams(grams, q):
    V = np.ones_like(grams[0])
    for k, G in enumerate(grams):
        if k != q:
            V = V * G
    return V


def als_update(state, q, M):
    A, lam, grams = state
    V = hadamard_grams(grams, q)
    try:
        c = sl.cho_factor(V, lower=True, check_finite=False)
        Aq = sl.cho_solve(c, M.T, check_finite=False).T
    except np.linalg.LinAlgError:
        Aq = M @ np.linalg.pinv(V, hermitian=True)
    Aq, norms = normalize(Aq)
    A[q] = Aq
    lam[:] = norms
    grams[q] = Aq.T @ Aq


def hals_update(state, q, M):
    A, lam, grams = state
    V = hadamard_grams(grams, q)
    Aq = A[q] * lam
    for c in range(Aq.shape[1]):
        if not V[c, c] > 0:
            Aq[:, c] = 0
            continue
        Aq[:, c] = np.maximum(0, Aq[:, c] + (M[:, c] - Aq @ V[:, c]) / V[c, c])
    Aq, norms = normalize(Aq)
    A[q] = Aq
    lam[:] = norms
    grams[q] = Aq.T @ Aq


def squared_error(state, M, q, nx):
    A, lam, grams = state
    inner = float(np.sum(lam * np.sum(M * A[q], axis=0))) / nx / nx
    H = hadamard_grams(grams, -1)
    model = float((lam / nx) @ H @ (lam / nx))
    return max(0.0, 1 - 2 * inner + model)


def cp_init_svd(X, r, nonnegative=False):
    A = []
    for k, n in enumerate(X.shape):
        f = min(r, n, X.size // n)
        U = leading(X, k, f)
        assert f == r, "the references fill only r <= n_k (the random fill differs from lowrank's generator)"
        A.append(np.abs(U) if nonnegative else U)
    return [normalize(F)[0] for F in A]


def cp_sweep(X, state, nonnegative):
    """One CP sweep (partial MTTKRP, two matmuls on the tensor); returns the last mode's MTTKRP."""
    A = state[0]
    shape = X.shape
    d = X.ndim
    r = A[0].shape[1]
    s = split_point(shape)
    P = int(np.prod(shape[:s]))
    Q = int(np.prod(shape[s:]))
    Xm = X.reshape(P, Q)
    update = hals_update if nonnegative else als_update
    TR = Xm @ khatri_rao(A[s:], r)
    for q in range(s):
        update(state, q, contract_group(TR, shape[:s], q, A[:s], r))
    TL = Xm.T @ khatri_rao(A[:s], r)
    last = None
    for q in range(s, d):
        M = contract_group(TL, shape[s:], q - s, A[s:], r)
        if q == d - 1:
            last = M.copy()
        update(state, q, M)
    return last


def cp_als(X, r, max_iter=100, tol=1e-10, nonnegative=False, factors=None):
    """CP-ALS (or HALS), from the SVD start unless `factors` (unit columns) are given."""
    A = [F.copy() for F in factors] if factors is not None else cp_init_svd(X, r, nonnegative)
    lam = np.ones(r)
    state = (A, lam, [F.T @ F for F in A])
    nx = np.linalg.norm(X)
    e2 = None
    fits = []
    for it in range(1, max_iter + 1):
        last = cp_sweep(X, state, nonnegative)
        nxt = squared_error(state, last, X.ndim - 1, nx)
        fits.append(1 - np.sqrt(nxt))
        if tol > 0 and it > 1 and e2 - nxt <= tol:
            e2 = nxt
            break
        e2 = nxt
    return lam, A, fits


def finish(lam, A):
    """Sort by weight descending and fix signs as lowrank's cp does."""
    order = sorted(range(len(lam)), key=lambda c: (-lam[c], c))
    lam = lam[order]
    A = [F[:, order].copy() for F in A]
    d = len(A)
    for t in range(len(lam)):
        sign = 1.0
        for k in range(d):
            col = A[k][:, t]
            if k < d - 1:
                i = int(np.argmax(np.abs(col)))
                f = -1.0 if col[i] < 0 else 1.0
                sign *= f
            else:
                f = sign
            A[k][:, t] = col * f
    return lam, A


# ----------------------------------------------------------------------------- benchmark


def best_time(fn, min_time=1.0, min_reps=3):
    fn()
    best = float("inf")
    total = 0.0
    reps = 0
    while total < min_time or reps < min_reps:
        t0 = time.perf_counter()
        fn()
        t = time.perf_counter() - t0
        best = min(best, t)
        total += t
        reps += 1
    return best


def bench(cases):
    out = []
    rng = np.random.default_rng(0)
    for case in cases:
        shape = tuple(case["shape"])
        X = rng.standard_normal(shape)
        if case["kind"] == "hooi":
            ranks = case["ranks"]
            U0 = [leading(X, k, ranks[k]) for k in range(X.ndim)]

            def one():
                U = list(U0)
                hooi_sweep(X, U, ranks)

            out.append({"kind": "hooi", "seconds": best_time(one)})
        else:
            r = case["rank"]
            A0 = [normalize(rng.standard_normal((n, r)))[0] for n in shape]

            def one():
                A = [F.copy() for F in A0]
                state = (A, np.ones(r), [F.T @ F for F in A])
                cp_sweep(X, state, case.get("nonnegative", False))

            out.append({"kind": "cp", "seconds": best_time(one)})
    return out


if __name__ == "__main__":
    cases = json.load(open(sys.argv[2]))
    json.dump(bench(cases), open(sys.argv[1], "w"))
    print("ok")
