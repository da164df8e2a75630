"""scipy reference for bench/eigsh.ts: the k largest eigenvalues of a 200,000 x 200,000
sparse symmetric matrix (about 4 million nonzeros) read from a Matrix Market file, the way
it is done in Python: scipy.io.mmread (scipy's fast_matrix_market reader), .tocsr(), and
scipy.sparse.linalg.eigsh (ARPACK's implicitly restarted Lanczos, dsaupd/dseupd).

Usage:
  eigsh.py gen OUTDIR            write OUTDIR/random.mtx and OUTDIR/graph.mtx (seeded; skipped if present)
  eigsh.py run FILE K WHICH TOL OUTDIR
                                 one whole run: import, read, eigsh(A, K, which=WHICH, tol=TOL),
                                 np.save of w.npy and V.npy into OUTDIR; prints one JSON line
                                 with the stage times, ARPACK's products and the eigenvalues.
                                 The start vector is seeded (see run()).
The matrices (both symmetric, written with the 'symmetric' banner: the lower triangle):
- random.mtx: 2,000,000 uniformly placed entries with values uniform in [0, 1), plus their
  mirror images: the top of its spectrum is one Perron eigenvalue and then a tight cluster
  at the edge of the bulk, a hard case for Lanczos (many restarts).
- graph.mtx: the adjacency of a planted-partition graph, 10 communities of 20,000 vertices,
  each vertex linked to 6 random vertices of its community and 4 outside (then
  symmetrized): 10 eigenvalues stand out of the bulk, the spectral-clustering case.
Threads: as the environment says (OPENBLAS_NUM_THREADS)."""
import json
import os
import sys
import time

t_start = time.perf_counter()
import numpy as np  # noqa: E402
import scipy.io  # noqa: E402
import scipy.sparse as sp  # noqa: E402
import scipy.sparse.linalg as sla  # noqa: E402

N = 200_000


def gen(out):
    path = os.path.join(out, 'random.mtx')
    if not os.path.exists(path):
        rng = np.random.default_rng(0)
        m = 2_000_000
        i = rng.integers(0, N, m)
        j = rng.integers(0, N, m)
        A = sp.coo_matrix((rng.random(m), (i, j)), shape=(N, N)).tocsr()
        A = (A + A.T).tocsr()
        A.sum_duplicates()
        scipy.io.mmwrite(path, A, symmetry='symmetric')
    path = os.path.join(out, 'graph.mtx')
    if not os.path.exists(path):
        rng = np.random.default_rng(1)
        c = 10
        size = N // c
        comm = np.arange(N) // size
        src_in = np.repeat(np.arange(N), 6)
        dst_in = comm[src_in] * size + rng.integers(0, size, src_in.size)
        src_out = np.repeat(np.arange(N), 4)
        other = (comm[src_out] + rng.integers(1, c, src_out.size)) % c
        dst_out = other * size + rng.integers(0, size, src_out.size)
        src = np.concatenate([src_in, src_out])
        dst = np.concatenate([dst_in, dst_out])
        keep = src != dst
        A = sp.coo_matrix((np.ones(keep.sum()), (src[keep], dst[keep])), shape=(N, N)).tocsr()
        A = ((A + A.T) > 0).astype(np.float64).tocsr()
        scipy.io.mmwrite(path, A, symmetry='symmetric')


def run(path, k, which, tol, out):
    t0 = time.perf_counter()
    A = scipy.io.mmread(path).tocsr()
    t1 = time.perf_counter()
    count = [0]

    def matvec(x):
        count[0] += 1
        return A @ x

    # A LinearOperator only to count ARPACK's products (a Python call each: tens of
    # microseconds against milliseconds per product). A seeded start vector: ARPACK's own
    # random start changes from run to run, and with it the number of restarts (41 s to
    # 142 s on random.mtx).
    op = sla.LinearOperator(A.shape, matvec=matvec, dtype=A.dtype)
    v0 = np.random.default_rng(0).standard_normal(A.shape[0])
    w, V = sla.eigsh(op, k, which=which, tol=tol, v0=v0)
    t2 = time.perf_counter()
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, 'w.npy'), w)
    np.save(os.path.join(out, 'V.npy'), V)
    t3 = time.perf_counter()
    print(json.dumps({
        'import_seconds': t0 - t_start, 'read_seconds': t1 - t0, 'eigsh_seconds': t2 - t1, 'write_seconds': t3 - t2,
        'matvecs': count[0], 'nnz': int(A.nnz), 'w': [float(x) for x in w],
    }))


if sys.argv[1] == 'gen':
    gen(sys.argv[2])
else:
    run(sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), sys.argv[6])
