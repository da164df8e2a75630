"""numpy/scipy reference for bench/small.ts: microseconds per call of small decompositions,
measured in a Python loop (one thread: the caller sets OPENBLAS_NUM_THREADS=1 before numpy
is imported). For every op and n: batches of calls lasting about `batch` seconds each,
the best batch's mean per call, by CPU time (time.process_time) so that other processes on
a loaded machine count less. Prints {"<op>/<n>": microseconds, ...}.
Usage: python3 small_numpy.py <ops comma list> <sizes comma list> <seconds per op and size>"""
import json, sys, time
import numpy as np
import scipy.linalg as sl

ops_arg, sizes_arg, budget = sys.argv[1], sys.argv[2], float(sys.argv[3])
rng = np.random.default_rng(0)
out = {}
for n in [int(s) for s in sizes_arg.split(',')]:
    A = rng.standard_normal((n, n))
    S = (A + A.T) / 2
    ops = {
        'svd': lambda: np.linalg.svd(A, full_matrices=False),
        'qr': lambda: np.linalg.qr(A),
        'eigh': lambda: np.linalg.eigh(S),
        'lu': lambda: sl.lu_factor(A, check_finite=False),
    }
    for op in ops_arg.split(','):
        f = ops[op]
        f()
        t = time.process_time(); f(); once = max(time.process_time() - t, 1e-6)
        # Calls per batch: about budget / 5 seconds each, at least 1.
        reps = max(1, int(budget / 5 / once))
        best, spent = float('inf'), 0.0
        while spent < budget:
            t = time.process_time()
            for _ in range(reps):
                f()
            dt = time.process_time() - t
            spent += dt
            best = min(best, dt / reps)
        out[f'{op}/{n}'] = best * 1e6
print(json.dumps(out))
