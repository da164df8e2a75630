#!/usr/bin/env python3
"""Reference numbers for the NMF tests (test/models/nmf/nmf.test.ts) from scikit-learn.

Run: /tmp/skl-venv/bin/python scripts/gen-nmf-fixtures.py   (scikit-learn >= 1.2)
Writes test/fixtures/nmf/nmf.json: small planted nonnegative matrices (dense and sparse),
scikit-learn's NNDSVD starts, fits from a given start with each solver / loss / penalty,
transform of new rows, and beta-divergence values. Matrices are nested lists of rows.
"""
import json
import os

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import NMF
from sklearn.decomposition._nmf import _beta_divergence, _initialize_nmf

rng = np.random.default_rng(8)


def planted(m, n, k, noise):
    W = rng.random((m, k))
    H = rng.random((k, n))
    return W @ H + noise * rng.random((m, n))


def rows(A):
    A = A.toarray() if sp.issparse(A) else np.asarray(A)
    return [[float(v) for v in r] for r in A]


def sparse_json(X):
    X = sp.csr_matrix(X)
    coo = X.tocoo()
    return {"shape": list(X.shape), "row": coo.row.tolist(), "col": coo.col.tolist(), "val": [float(v) for v in coo.data]}


out = {}
X = planted(30, 20, 4, 0.05)
Xnew = planted(7, 20, 4, 0.05)
k = 4
out["dense"] = {"X": rows(X), "Xnew": rows(Xnew), "k": k}
for init in ("nndsvd", "nndsvda"):
    W0, H0 = _initialize_nmf(X, k, init=init, random_state=0)
    out["dense"][init] = {"W": rows(W0), "H": rows(H0)}
W0, H0 = _initialize_nmf(X, k, init="nndsvda", random_state=0)

cases = []
configs = [
    dict(solver="cd", beta_loss="frobenius", max_iter=200, tol=1e-4),
    dict(solver="cd", beta_loss="frobenius", max_iter=300, tol=1e-6),
    dict(solver="cd", beta_loss="frobenius", max_iter=100, tol=1e-4, alpha_W=0.01, alpha_H=0.02, l1_ratio=0.5),
    dict(solver="mu", beta_loss="frobenius", max_iter=60, tol=0),
    dict(solver="mu", beta_loss="frobenius", max_iter=200, tol=1e-4),
    dict(solver="mu", beta_loss="frobenius", max_iter=80, tol=0, alpha_W=0.01, alpha_H=0.02, l1_ratio=0.5),
    dict(solver="mu", beta_loss="kullback-leibler", max_iter=60, tol=0),
    dict(solver="mu", beta_loss="itakura-saito", max_iter=40, tol=0),
    dict(solver="mu", beta_loss=1.5, max_iter=40, tol=0),
    dict(solver="mu", beta_loss=0.5, max_iter=40, tol=0),
    dict(solver="mu", beta_loss=3.0, max_iter=40, tol=0),
    dict(solver="mu", beta_loss="kullback-leibler", max_iter=50, tol=0, alpha_W=0.005, l1_ratio=0.3),
]
for cfg in configs:
    model = NMF(n_components=k, init="custom", **cfg)
    W = model.fit_transform(X, W=W0.copy(), H=H0.copy())
    Wt = model.transform(Xnew)
    cases.append({"config": {kk: (vv if not isinstance(vv, np.floating) else float(vv)) for kk, vv in cfg.items()},
                  "W": rows(W), "H": rows(model.components_), "n_iter": int(model.n_iter_),
                  "reconstruction_err": float(model.reconstruction_err_), "transform": rows(Wt)})
out["dense"]["W0"] = rows(W0)
out["dense"]["H0"] = rows(H0)
out["dense"]["cases"] = cases

# Sparse input: a planted matrix with well separated singular values (so scikit-learn's
# randomized SVD in the NNDSVD start is accurate) and most entries dropped.
Xs = (rng.random((40, 3)) * [6.0, 2.0, 0.7]) @ rng.random((3, 30)) * (rng.random((40, 30)) < 0.3)
Xs = sp.csr_matrix(Xs)
ks = 3
Ws0, Hs0 = _initialize_nmf(Xs, ks, init="nndsvda", random_state=0)
scases = []
for cfg in [dict(solver="cd", beta_loss="frobenius", max_iter=200, tol=1e-4),
            dict(solver="mu", beta_loss="frobenius", max_iter=60, tol=0),
            dict(solver="mu", beta_loss="kullback-leibler", max_iter=50, tol=0),
            dict(solver="mu", beta_loss=1.5, max_iter=30, tol=0)]:
    model = NMF(n_components=ks, init="custom", **cfg)
    W = model.fit_transform(Xs, W=Ws0.copy(), H=Hs0.copy())
    scases.append({"config": cfg, "W": rows(W), "H": rows(model.components_), "n_iter": int(model.n_iter_),
                   "reconstruction_err": float(model.reconstruction_err_)})
print("sparse singular values", np.linalg.svd(Xs.toarray(), compute_uv=False)[:5])
out["sparse"] = {"X": sparse_json(Xs), "k": ks, "W0": rows(Ws0), "H0": rows(Hs0),
                 "nndsvda": {"W": rows(Ws0), "H": rows(Hs0)}, "cases": scases}

# Beta divergences at the start.
div = {}
for beta in (2, 1, 0, 0.5, 1.5, 3):
    div[str(beta)] = float(_beta_divergence(X, W0, H0, beta))
sdiv = {}
for beta in (2, 1, 1.5):
    sdiv[str(beta)] = float(_beta_divergence(Xs, Ws0, Hs0, beta))
out["divergence"] = {"dense": div, "sparse": sdiv}

path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "nmf", "nmf.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, os.path.getsize(path), "bytes")
