"""numpy reference for bench/eig.ts.

Usage: eig.py FILE.npy REPEATS
Loads the matrix written by the TypeScript side and times np.linalg.eig(A) and
np.linalg.eigvals(A) (LAPACK dgeev through OpenBLAS, with and without eigenvectors), each
after one warm-up call, keeping the best wall time and the best process CPU time over
REPEATS calls. Prints one JSON line {"eig": s, "eig_cpu": s, "eigvals": s, "eigvals_cpu": s}.
Threads: as the environment says (the caller sets OPENBLAS_NUM_THREADS=1).
"""
import json
import sys
import time

import numpy as np

path, reps = sys.argv[1], int(sys.argv[2])
A = np.load(path)


def best(f):
    f()
    wall = cpu = float('inf')
    for _ in range(reps):
        c = time.process_time()
        t = time.perf_counter()
        f()
        wall = min(wall, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return wall, cpu


eig_wall, eig_cpu = best(lambda: np.linalg.eig(A))
vals_wall, vals_cpu = best(lambda: np.linalg.eigvals(A))
print(json.dumps({'eig': eig_wall, 'eig_cpu': eig_cpu, 'eigvals': vals_wall, 'eigvals_cpu': vals_cpu}))
