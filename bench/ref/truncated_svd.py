"""Reference side of bench/truncated-svd.ts.

dense M N R K Q MIN_TIME: scikit-learn's randomized_svd of a planted rank-R matrix plus
  noise (built from the .npy the TS side writes), k = K, n_oversamples=10, n_iter=Q,
  random_state=0. Prints {"seconds", "rel_err", "s": [...]} as one JSON line.
sparse PATH K TOL MIN_TIME: scipy.sparse.linalg.svds(A, k=K, tol=TOL) (ARPACK on A^T A)
  of the CSR matrix stored as PATH (.npz from the TS side's arrays). Prints seconds,
  singular values and the peak resident memory of the process (ru_maxrss).
Threads are pinned by the caller (OPENBLAS_NUM_THREADS=1) before numpy loads.
"""
import json, resource, sys, time
import numpy as np


def best_of(f, min_time, reps=3):
    out = f()
    best, total, n = float('inf'), 0.0, 0
    while n < reps or total < min_time:
        t = time.perf_counter(); out = f(); t = time.perf_counter() - t
        best = min(best, t); total += t; n += 1
    return best, out


def dense(path, k, q, min_time):
    from sklearn.utils.extmath import randomized_svd
    A = np.load(path)
    t, (U, s, Vt) = best_of(lambda: randomized_svd(A, k, n_oversamples=10, n_iter=q, random_state=0), min_time)
    err = np.linalg.norm(A - (U * s) @ Vt) / np.linalg.norm(A)
    print(json.dumps({'seconds': t, 'rel_err': float(err), 's': s.tolist()}))


def sparse(prefix, k, tol, min_time):
    import scipy.sparse as sp
    from scipy.sparse.linalg import svds
    indptr = np.fromfile(prefix + '.indptr', dtype=np.int32)
    indices = np.fromfile(prefix + '.indices', dtype=np.int32)
    data = np.fromfile(prefix + '.data', dtype=np.float64)
    shape = tuple(json.load(open(prefix + '.json'))['shape'])
    A = sp.csr_matrix((data, indices, indptr), shape=shape)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    v0 = np.random.default_rng(0).standard_normal(min(shape))
    t, s = best_of(lambda: svds(A, k=k, tol=tol, v0=v0, return_singular_vectors=True)[1], min_time, reps=1)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({'seconds': t, 's': sorted(s.tolist(), reverse=True), 'peak_rss_mb': rss / 1024, 'rss_before_mb': rss0 / 1024}))


if __name__ == '__main__':
    kind = sys.argv[1]
    if kind == 'dense':
        dense(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
    else:
        sparse(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
