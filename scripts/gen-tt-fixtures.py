#!/usr/bin/env python3
"""Reference numbers for the tensor-train tests (test/models/tensor/tt-svd.test.ts) from numpy.

Run: /tmp/ref-venv/bin/python scripts/gen-tt-fixtures.py
Writes test/fixtures/tt/tt-svd.json: small tensors (entries in C order) and, for several eps,
what TT-SVD (Oseledets 2011, Algorithm 1) computes with numpy's SVD of each unfolding
(np.linalg.svd, LAPACK gesdd) and the truncation rule delta = eps ||T||_F / sqrt(d - 1):
the TT ranks, every singular value of each step's unfolding, and the true relative error
||T - TT||_F / ||T||_F of the reconstructed train.
"""
import json
import os

import numpy as np

rng = np.random.default_rng(17)


def tt_svd(T, eps):
    """TT-SVD as in ttpy / TensorLy: returns cores and the singular values of each step."""
    d = T.ndim
    n = T.shape
    delta = eps * np.linalg.norm(T) / np.sqrt(d - 1)
    C = T
    r = 1
    cores, spectra = [], []
    for k in range(d - 1):
        C = C.reshape(r * n[k], -1)
        U, s, Vt = np.linalg.svd(C, full_matrices=False)
        tail = np.sqrt(np.cumsum((s ** 2)[::-1]))[::-1]  # tail[i] = ||s[i:]||
        rk = max(1, int(np.sum(tail > delta)))
        cores.append(U[:, :rk].reshape(r, n[k], rk))
        spectra.append(s)
        C = s[:rk, None] * Vt[:rk]
        r = rk
    cores.append(C.reshape(r, n[-1], 1))
    return cores, spectra


def full(cores):
    M = cores[0].reshape(-1, cores[0].shape[2])
    for G in cores[1:]:
        M = (M @ G.reshape(G.shape[0], -1)).reshape(-1, G.shape[2])
    return M.reshape([G.shape[1] for G in cores])


def random_tt(shape, ranks):
    cores = [rng.standard_normal((ranks[k], shape[k], ranks[k + 1])) for k in range(len(shape))]
    return full(cores)


def case(name, T, eps_list):
    runs = []
    for eps in eps_list:
        cores, spectra = tt_svd(T, eps)
        err = np.linalg.norm(T - full(cores)) / np.linalg.norm(T)
        runs.append({
            "eps": eps,
            "ranks": [1] + [int(G.shape[2]) for G in cores],
            "singularValues": [[float(v) for v in s] for s in spectra],
            "relativeError": float(err),
        })
    return {"name": name, "shape": list(T.shape), "data": [float(v) for v in T.ravel()], "runs": runs}


grids = np.meshgrid(*[np.arange(n) / n for n in (5, 6, 4, 5, 4)], indexing="ij", sparse=True)
lowrank = random_tt((5, 6, 4, 5), (1, 3, 4, 3, 1))
lowrank = lowrank + 1e-7 * np.linalg.norm(lowrank) / np.sqrt(lowrank.size) * rng.standard_normal(lowrank.shape)
cases = [
    case("random 4x5x6x3", rng.standard_normal((4, 5, 6, 3)), [0.0, 1e-12, 0.1, 0.3, 0.6]),
    case("1/(1+x1+...+x5) on 5x6x4x5x4", 1 / (1 + sum(grids)), [1e-14, 1e-10, 1e-6, 1e-3]),
    case("TT ranks (3,4,3) + 1e-7 noise, 5x6x4x5", lowrank, [1e-10, 1e-6, 1e-3]),
]
out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "tt")
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "tt-svd.json"), "w") as f:
    json.dump({"numpy": np.__version__, "cases": cases}, f)
print("wrote", os.path.join(out, "tt-svd.json"))
