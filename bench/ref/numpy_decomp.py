"""numpy/scipy reference for bench/decompositions.ts: times one decomposition of a random
n x n matrix and prints {"seconds": best}. Threads are fixed by the caller through
OPENBLAS_NUM_THREADS before numpy is imported. The matrices match the TS side in kind
(standard normal entries; A A^T + n I for Cholesky; (A + A^T)/2 for eigh)."""
import json, sys, time
import numpy as np
import scipy.linalg as sl

op, n, min_time = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
rng = np.random.default_rng(0)
A = rng.standard_normal((n, n))
S = (A + A.T) / 2
P = A @ A.T + n * np.eye(n)
ops = {
    'lu': lambda: sl.lu_factor(A, check_finite=False),
    'cholesky': lambda: np.linalg.cholesky(P),
    'qr': lambda: np.linalg.qr(A),
    'eigh': lambda: np.linalg.eigh(S),
    'eigvalsh': lambda: np.linalg.eigvalsh(S),
    'svd': lambda: np.linalg.svd(A, full_matrices=False),
    'svdvals': lambda: np.linalg.svd(A, compute_uv=False),
    'eig': lambda: np.linalg.eig(A),
    'solve': lambda: np.linalg.solve(A, A[:, :1]),
}
f = ops[op]
f()
best, total, reps = float('inf'), 0.0, 0
while total < min_time or reps < 3:
    t = time.perf_counter(); f(); t = time.perf_counter() - t
    best = min(best, t); total += t; reps += 1
print(json.dumps({'seconds': best}))
