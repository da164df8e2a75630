"""scikit-learn reference for bench/nmf.ts: NMF (k = 10) on digits (1797 x 64, dense) and on
a TF-IDF matrix of data/corpus/sotu.csv (1326 State of the Union passages, sparse).

Usage: nmf_sklearn.py OUTDIR
Writes into OUTDIR the data (digits.npy, tfidf.mtx) and scikit-learn's nndsvda start for
each (<name>_W0.npy, <name>_H0.npy), so lowrank starts from the same point; then times
scikit-learn's NMF from that start (init='custom'), best of 3, for the cd solver (default
tol 1e-4, max_iter 200) and the mu solver (Frobenius, same tol), and prints one JSON line:
{"digits": {"cd_seconds", "cd_loss", "cd_iter", "mu_seconds", "mu_loss", "mu_iter", ...}, ...}
where loss = 1/2 ||X - W H||_F^2 (scikit-learn's reconstruction_err_^2 / 2).
Threads: as the environment says (OPENBLAS_NUM_THREADS)."""
import csv
import json
import os
import sys
import time
import warnings

import numpy as np
import scipy.io
import scipy.sparse as sp
from sklearn.decomposition import NMF
from sklearn.decomposition._nmf import _initialize_nmf
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer

warnings.simplefilter("ignore", ConvergenceWarning)
out = sys.argv[1]
root = os.path.join(os.path.dirname(__file__), "..", "..")
K = 10

digits = np.load(os.path.join(root, "data", "digits", "digits.npy")).astype(np.float64)
with open(os.path.join(root, "data", "corpus", "sotu.csv"), newline="") as f:
    texts = [row["text"] for row in csv.DictReader(f)]
tfidf = TfidfVectorizer(stop_words="english", min_df=2).fit_transform(texts).tocsr().astype(np.float64)

np.save(os.path.join(out, "digits.npy"), digits)
scipy.io.mmwrite(os.path.join(out, "tfidf.mtx"), tfidf)

result = {}
for name, X in (("digits", digits), ("tfidf", tfidf)):
    W0, H0 = _initialize_nmf(X, K, init="nndsvda", random_state=0)
    np.save(os.path.join(out, f"{name}_W0.npy"), W0)
    np.save(os.path.join(out, f"{name}_H0.npy"), H0)
    r = {"rows": X.shape[0], "cols": X.shape[1], "nnz": int(X.nnz) if sp.issparse(X) else X.size}
    for solver in ("cd", "mu"):
        best = float("inf")
        for _ in range(3):
            model = NMF(n_components=K, init="custom", solver=solver, tol=1e-4, max_iter=200)
            t0 = time.perf_counter()
            model.fit_transform(X, W=W0.copy(), H=H0.copy())
            best = min(best, time.perf_counter() - t0)
        r[f"{solver}_seconds"] = best
        r[f"{solver}_loss"] = model.reconstruction_err_ ** 2 / 2
        r[f"{solver}_iter"] = model.n_iter_
    result[name] = r
print(json.dumps(result))
