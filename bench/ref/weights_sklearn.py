"""scikit-learn reference for bench/weights.ts: rank-64 compression of one weight matrix
stored as safetensors, the whole pipeline as `lowrank weights compress --rank 64` runs it.

Usage: weights_sklearn.py IN.safetensors OUT.safetensors NAME RANK REPEATS
Each repeat: read the file (safetensors.numpy.load_file), randomized_svd(W, RANK) with
scikit-learn's defaults (n_oversamples 10, n_iter 'auto' = 7 here, LU normalizer,
random_state 0; float32 stays float32), split the singular values as sqrt into
A = S^(1/2) Vt and B = U S^(1/2), measure ||W - B A||_F / ||W||_F, and write NAME.lowrank_A /
NAME.lowrank_B (float32) with save_file. Prints one JSON line: the best total seconds, the
best time of each stage, and the relative error.
Threads: as the environment says (OPENBLAS_NUM_THREADS)."""
import json
import sys
import time

import numpy as np
from safetensors.numpy import load_file, save_file
from sklearn.utils.extmath import randomized_svd

src, dst, name, rank, repeats = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
best = {"total": float("inf"), "read": float("inf"), "svd": float("inf"), "error": float("inf"), "write": float("inf")}
err = None
for _ in range(repeats):
    t0 = time.perf_counter()
    W = load_file(src)[name]
    t1 = time.perf_counter()
    U, s, Vt = randomized_svd(W, rank, random_state=0)
    h = np.sqrt(s).astype(W.dtype)
    A = np.ascontiguousarray(h[:, None] * Vt)
    B = np.ascontiguousarray(U * h[None, :])
    t2 = time.perf_counter()
    err = float(np.linalg.norm(W - B @ A) / np.linalg.norm(W))
    t3 = time.perf_counter()
    save_file({f"{name}.lowrank_A": A, f"{name}.lowrank_B": B}, dst)
    t4 = time.perf_counter()
    for k, v in (("total", t4 - t0), ("read", t1 - t0), ("svd", t2 - t1), ("error", t3 - t2), ("write", t4 - t3)):
        best[k] = min(best[k], v)
print(json.dumps({**best, "relative_error": err, "dtype": str(W.dtype)}))
