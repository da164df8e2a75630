#!/usr/bin/env python3
"""Reference numbers for the Tucker and CP tests (test/models/tensor/tucker.test.ts, cp.test.ts)
from the numpy references in bench/ref/tucker_cp.py (the same algorithms, step for step).

Run: /tmp/ref-venv/bin/python scripts/gen-tucker-cp-fixtures.py
Writes test/fixtures/tucker-cp/tucker.json and cp.json. Tensors are stored as
{"shape": [...], "data": [C-order values]}, matrices as nested lists of rows.
"""
import json
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "bench", "ref"))
import tucker_cp as ref  # noqa: E402

rng = np.random.default_rng(17)
out_dir = os.path.join(here, "..", "test", "fixtures", "tucker-cp")
os.makedirs(out_dir, exist_ok=True)


def tensor_json(X):
    return {"shape": list(X.shape), "data": [float(v) for v in X.ravel(order="C")]}


def rows(A):
    return [[float(v) for v in r] for r in np.asarray(A)]


def low_multilinear(shape, ranks, noise):
    """A tensor of multilinear ranks `ranks` plus Gaussian noise."""
    G = rng.standard_normal(ranks)
    X = G
    for k, (n, r) in enumerate(zip(shape, ranks)):
        Q = np.linalg.qr(rng.standard_normal((n, r)))[0]
        X = np.moveaxis(np.tensordot(X, Q, axes=([k], [1])), -1, k)
    return X + noise * np.linalg.norm(X) / np.sqrt(X.size) * rng.standard_normal(shape)


# ----------------------------------------------------------------------------- Tucker

tucker_cases = []
# (name, shape, ranks, planted ranks, noise): a 3-way cube; a 4-way tensor with a short last
# mode (per-slab products with R < 16 take the unfolding path); a tensor whose first mode is
# longer than the rest (the tall path: the other Gram matrix and a QR); a matrix (2-way).
specs = [
    ("cube", (9, 8, 7), (3, 4, 2), (3, 4, 2), 0.3),
    ("four-way", (6, 7, 5, 3), (3, 3, 2, 2), (3, 3, 3, 2), 0.5),
    ("tall-mode", (30, 3, 4), (5, 2, 3), (6, 3, 3), 0.2),
    ("matrix", (12, 9), (4, 4), (4, 4), 0.2),
    ("random", (8, 9, 10), (2, 3, 4), None, 0.0),
]
for name, shape, ranks, planted, noise in specs:
    X = low_multilinear(shape, planted, noise) if planted else rng.standard_normal(shape)
    nx = np.linalg.norm(X)
    case = {"name": name, "tensor": tensor_json(X), "ranks": list(ranks), "results": {}}
    G, U = ref.hosvd(X, list(ranks))
    case["results"]["hosvd"] = {"relativeError": ref.rel_error_from_core(nx, G), "core": tensor_json(G), "factors": [rows(u) for u in U]}
    G, U = ref.sthosvd(X, list(ranks))
    case["results"]["sthosvd"] = {"relativeError": ref.rel_error_from_core(nx, G), "core": tensor_json(G), "factors": [rows(u) for u in U]}
    # HOOI after exactly 5 sweeps (tol 0), and run to convergence with the default tol.
    G, U, errors = ref.hooi(X, list(ranks), max_iter=5, tol=0)
    case["results"]["hooi5"] = {"relativeError": errors[-1], "errors": errors, "core": tensor_json(G), "factors": [rows(u) for u in U]}
    G, U, errors = ref.hooi(X, list(ranks))
    case["results"]["hooi"] = {"relativeError": errors[-1], "iterations": len(errors)}
    tucker_cases.append(case)

with open(os.path.join(out_dir, "tucker.json"), "w") as f:
    json.dump({"cases": tucker_cases}, f)

# ----------------------------------------------------------------------------- CP


def planted_cp(shape, r, noise, nonnegative=False, collinear=0.0):
    A = []
    for n in shape:
        F = rng.random((n, r)) if nonnegative else rng.standard_normal((n, r))
        if collinear:
            F[:, 1] = collinear * F[:, 0] + (1 - collinear) * F[:, 1]
        A.append(F)
    w = np.linspace(2.0, 1.0, r)
    X = np.einsum("r,ir,jr,kr->ijk", w, *A) if len(shape) == 3 else np.einsum("r,ir,jr,kr,lr->ijkl", w, *A)
    E = rng.random(shape) if nonnegative else rng.standard_normal(shape)
    return X + noise * np.linalg.norm(X) / np.sqrt(X.size) * E


cp_cases = []
cp_specs = [
    # name, shape, rank, noise, nonnegative, sweeps
    ("als-3way", (10, 9, 8), 3, 0.1, False, 8),
    ("als-4way", (6, 5, 7, 4), 3, 0.1, False, 8),
    ("als-collinear", (12, 10, 9), 3, 0.05, False, 8),
    ("hals-3way", (10, 9, 8), 3, 0.1, True, 8),
    ("hals-4way", (6, 5, 7, 4), 2, 0.1, True, 8),
]
for name, shape, r, noise, nonneg, sweeps in cp_specs:
    X = planted_cp(shape, r, noise, nonneg, collinear=0.8 if "collinear" in name else 0.0)
    lam, A, fits = ref.cp_als(X, r, max_iter=sweeps, tol=0, nonnegative=nonneg)
    lam, A = ref.finish(lam.copy(), A)
    cp_cases.append({
        "name": name, "tensor": tensor_json(X), "rank": r, "nonnegative": nonneg, "sweeps": sweeps,
        "weights": [float(v) for v in lam], "factors": [rows(F) for F in A], "fits": [float(v) for v in fits],
    })

with open(os.path.join(out_dir, "cp.json"), "w") as f:
    json.dump({"cases": cp_cases}, f)
print(f"wrote {len(tucker_cases)} Tucker and {len(cp_cases)} CP cases to {os.path.relpath(out_dir)}")
