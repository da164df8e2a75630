"""Reference for bench/recommend-sgd.ts: FunkSVD (Surprise's SVD update) as a numba-compiled
loop, on the same train/test split, with the same hyperparameters.

Usage: python sgd_numba.py DIR FACTORS EPOCHS LR REG REPEATS
DIR holds train_u.i32 train_i.i32 train_r.f32 test_u.i32 test_i.i32 test_r.f32 and
meta.json {nUsers, nItems}. Prints one JSON line: seconds (best fit), updates_per_s, rmse.

The loop is Surprise's SVD.sgd (ratings in one seeded shuffled order, as ours), f32 factors
like ours, compiled with fastmath so LLVM may vectorize the factor loops.
"""
import json
import sys
import time

import numpy as np
from numba import njit


@njit(fastmath=True, cache=False)
def epoch(users, items, values, P, Q, bu, bi, mu, lr, reg):
    sse = 0.0
    f = P.shape[1]
    for k in range(users.shape[0]):
        u = users[k]
        i = items[k]
        dot = np.float32(0.0)
        for c in range(f):
            dot += P[u, c] * Q[i, c]
        err = values[k] - (mu + bu[u] + bi[i] + dot)
        sse += err * err
        bu[u] += lr * (err - reg * bu[u])
        bi[i] += lr * (err - reg * bi[i])
        for c in range(f):
            pf = P[u, c]
            qf = Q[i, c]
            P[u, c] = pf + lr * (err * qf - reg * pf)
            Q[i, c] = qf + lr * (err * pf - reg * qf)
    return sse


def fit(users, items, values, n_users, n_items, f, epochs, lr, reg, seed):
    rng = np.random.default_rng(seed)
    P = rng.normal(0, 0.1, (n_users, f)).astype(np.float32)
    Q = rng.normal(0, 0.1, (n_items, f)).astype(np.float32)
    bu = np.zeros(n_users, np.float32)
    bi = np.zeros(n_items, np.float32)
    mu = np.float32(values.mean(dtype=np.float64))
    perm = rng.permutation(users.shape[0])
    u, i, v = users[perm], items[perm], values[perm]
    for _ in range(epochs):
        epoch(u, i, v, P, Q, bu, bi, mu, np.float32(lr), np.float32(reg))
    return P, Q, bu, bi, mu


def main():
    d, f, epochs, lr, reg, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
    meta = json.load(open(f"{d}/meta.json"))
    load = lambda name, t: np.fromfile(f"{d}/{name}", dtype=t)
    tu, ti, tr = load("train_u.i32", np.int32), load("train_i.i32", np.int32), load("train_r.f32", np.float32)
    su, si, sr = load("test_u.i32", np.int32), load("test_i.i32", np.int32), load("test_r.f32", np.float32)
    # Compile on a tiny slice first so timings exclude JIT.
    fit(tu[:100], ti[:100], tr[:100], meta["nUsers"], meta["nItems"], f, 1, lr, reg, 0)
    best = float("inf")
    for rep in range(repeats):
        t0 = time.perf_counter()
        P, Q, bu, bi, mu = fit(tu, ti, tr, meta["nUsers"], meta["nItems"], f, epochs, lr, reg, rep)
        best = min(best, time.perf_counter() - t0)
    lo, hi = float(tr.min()), float(tr.max())
    pred = mu + bu[su] + bi[si] + np.einsum("ij,ij->i", P[su], Q[si])
    pred = np.clip(pred, lo, hi)
    rmse = float(np.sqrt(np.mean((pred.astype(np.float64) - sr) ** 2)))
    print(json.dumps({"seconds": best, "updates_per_s": tr.shape[0] * epochs / best, "rmse": rmse}))


if __name__ == "__main__":
    main()
