#!/usr/bin/env python3
"""Reference for bench/tt.ts: TT-SVD (Oseledets 2011, Algorithm 1) in numpy, one thread.

Usage: tt_svd.py DIR [REPS]   (run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1)
Writes the benchmark tensors into DIR as .npy (C order, float64) and prints one JSON line:
for each case and eps, the best time of REPS runs (default 3) of

- "svd":  the textbook numpy TT-SVD (as ttpy / TensorLy): np.linalg.svd(C, full_matrices=False)
          of each unfolding C (LAPACK gesdd), rank from delta = eps ||T|| / sqrt(d - 1),
          C = diag(s_r) Vt_r for the next step;
- "gram": the same algorithm with each step's left factor from the Gram matrix, C C^T = U L U^T
          (np.linalg.eigh), and C = U_r^T C -- the route lowrank takes when eps allows it;

with the ranks and the relative error ||T - TT||_F / ||T||_F estimated from the discarded
singular values (exact in exact arithmetic).
"""
import json
import os
import sys
import time

import numpy as np


def tt_svd(T, eps, gram=False):
    d, n = T.ndim, T.shape
    norm = np.linalg.norm(T)
    delta2 = (eps * norm) ** 2 / (d - 1)
    C, r, ranks, lost = T, 1, [1], 0.0
    cores = []
    for k in range(d - 1):
        C = C.reshape(r * n[k], -1)
        if gram:
            lam, U = np.linalg.eigh(C @ C.T)
            lam, U = np.maximum(lam[::-1], 0), U[:, ::-1]
            tail = np.cumsum(lam[::-1])[::-1]
            rk = max(1, int(np.sum(tail > delta2)))
            cores.append(U[:, :rk].reshape(r, n[k], rk))
            lost += float(tail[rk]) if rk < len(tail) else 0.0
            C = U[:, :rk].T @ C
        else:
            U, s, Vt = np.linalg.svd(C, full_matrices=False)
            tail = np.cumsum((s ** 2)[::-1])[::-1]
            rk = max(1, int(np.sum(tail > delta2)))
            cores.append(U[:, :rk].reshape(r, n[k], rk))
            lost += float(tail[rk]) if rk < len(tail) else 0.0
            C = s[:rk, None] * Vt[:rk]
        r = rk
        ranks.append(r)
    cores.append(C.reshape(r, n[-1], 1))
    return cores, ranks + [1], np.sqrt(lost) / norm


def tensors():
    # 1/(1 + x_1 + ... + x_8) on the grid linspace(0, 1, 8)^8 (a smooth, Hilbert-like tensor).
    x = np.linspace(0, 1, 8)
    g = np.meshgrid(*([x] * 8), indexing="ij", sparse=True)
    yield "inv", np.ascontiguousarray(1.0 / (1.0 + sum(g)))
    # A random TT of ranks 12 (N(0, 1) cores) plus Gaussian noise of relative size 1e-9.
    rng = np.random.default_rng(12)
    r = [1] + [12] * 7 + [1]
    M = rng.standard_normal((8, r[1]))
    for k in range(1, 8):
        M = (M @ rng.standard_normal((r[k], 8 * r[k + 1]))).reshape(-1, r[k + 1])
    T = M.reshape([8] * 8)
    T += 1e-9 * np.linalg.norm(T) / np.sqrt(T.size) * rng.standard_normal(T.shape)
    yield "tt12", T


CASES = {"inv": [1e-6, 1e-10], "tt12": [1e-6]}


def main():
    out = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    results = []
    for name, T in tensors():
        np.save(os.path.join(out, f"{name}.npy"), T)
        for eps in CASES[name]:
            row = {"case": name, "eps": eps}
            for variant in ("svd", "gram"):
                best = float("inf")
                for _ in range(reps):
                    t0 = time.perf_counter()
                    _, ranks, err = tt_svd(T, eps, gram=(variant == "gram"))
                    best = min(best, time.perf_counter() - t0)
                row[variant] = {"seconds": best, "ranks": ranks, "relative_error": err}
            results.append(row)
        del T
    print(json.dumps({"numpy": np.__version__, "results": results}))


if __name__ == "__main__":
    main()
