"""scipy / python-control reference for bench/lyapunov.ts.

Usage: lyapunov.py DIR REPEATS
Reads DIR/A.npy, DIR/Q.npy (the Lyapunov problem) and DIR/sysA.npy, sysB.npy, sysC.npy (a
stable system), then times, best of REPEATS (wall clock and process CPU time):
- scipy.linalg.solve_continuous_lyapunov(A, Q)   (A X + X A^T = Q: dgees + dtrsyl)
- scipy.linalg.schur(A)                          (its first step, for reference)
- control.balred(ss(A, B, C, 0), 20, method='truncate')   (SLICOT AB09AD via slycot)
Writes DIR/X_scipy.npy and DIR/hsv_ref.npy, prints one JSON line.
Threads: as the environment says (OPENBLAS_NUM_THREADS).
"""
import json
import sys
import time

import numpy as np
import scipy.linalg as sl

d, reps = sys.argv[1], int(sys.argv[2])
A = np.load(f'{d}/A.npy')
Q = np.load(f'{d}/Q.npy')


def best(f):
    f()
    wall = cpu = float('inf')
    out = None
    for _ in range(reps):
        c = time.process_time()
        t = time.perf_counter()
        out = f()
        wall = min(wall, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return wall, cpu, out


lyap_wall, lyap_cpu, X = best(lambda: sl.solve_continuous_lyapunov(A, Q))
np.save(f'{d}/X_scipy.npy', X)
schur_wall, schur_cpu, _ = best(lambda: sl.schur(A))
result = {'lyap': lyap_wall, 'lyap_cpu': lyap_cpu, 'schur': schur_wall, 'schur_cpu': schur_cpu}
try:
    import control
    from slycot import ab09ad
    sA, sB, sC = (np.load(f'{d}/sys{k}.npy') for k in 'ABC')
    sys_ = control.ss(sA, sB, sC, np.zeros((sC.shape[0], sB.shape[1])))
    bal_wall, bal_cpu, _ = best(lambda: control.balred(sys_, 20, method='truncate'))
    n, m = sB.shape
    hsv = ab09ad('C', 'B', 'N', n, m, sC.shape[0], sA, sB, sC, nr=20, tol=0.0)[4]
    np.save(f'{d}/hsv_ref.npy', np.asarray(hsv))
    result.update({'balred': bal_wall, 'balred_cpu': bal_cpu})
except ImportError:
    pass
print(json.dumps(result))
