"""scipy.sparse reference for bench/sparse.ts: prints one JSON object of best-of seconds.
Usage: scipy_sparse.py ROWS COLS NNZ P MIN_TIME
Builds CSR from unsorted COO triples (coo -> csr with duplicates summed), then times
A @ x, A.T @ y, A @ X and A.T @ Y with X, Y dense of p columns (float64), single thread."""
import json, sys, time
import numpy as np
import scipy.sparse as sp

m, n, nnz, p = (int(v) for v in sys.argv[1:5])
min_time = float(sys.argv[5]) if len(sys.argv) > 5 else 0.5
rng = np.random.default_rng(0)
rows = rng.integers(0, m, nnz, dtype=np.int32)
cols = rng.integers(0, n, nnz, dtype=np.int32)
vals = rng.random(nnz)


def best(fn, reps_min=3):
    fn()
    b, total, reps = float('inf'), 0.0, 0
    while total < min_time or reps < reps_min:
        t = time.perf_counter(); fn(); t = time.perf_counter() - t
        b = min(b, t); total += t; reps += 1
    return b


def build():
    A = sp.coo_matrix((vals, (rows, cols)), shape=(m, n)).tocsr()
    A.sum_duplicates()
    return A


out = {'fromCoo': best(build)}
A = build()
x = rng.random(n); y = rng.random(m)
X = rng.random((n, p)); Y = rng.random((m, p))
At = A.T  # CSC view, as scipy's svds uses it
out['matvec'] = best(lambda: A @ x)
out['rmatvec'] = best(lambda: At @ y)
out['matmat'] = best(lambda: A @ X)
out['rmatmat'] = best(lambda: At @ Y)
out['nnz'] = A.nnz
print(json.dumps(out))
