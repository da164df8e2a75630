"""numpy reference for bench/first-call.ts: in a fresh Python process (numpy already
imported, as a user's script would have it), the seconds of the first call of one
decomposition of a random n x n matrix and the best of the next 5 calls.
Prints {"first": s, "warm": s, "firstCpu": s, "warmCpu": s} (wall and process CPU). Threads are set by the caller (OPENBLAS_NUM_THREADS)."""
import json, sys, time
import numpy as np

op, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
A = rng.standard_normal((n, n))
S = (A + A.T) / 2
ops = {
    'svd': lambda: np.linalg.svd(A, full_matrices=False),
    'eigh': lambda: np.linalg.eigh(S),
    'qr': lambda: np.linalg.qr(A),
}
f = ops[op]
t, c = time.perf_counter(), time.process_time(); f()
first, first_cpu = time.perf_counter() - t, time.process_time() - c
warm = warm_cpu = float('inf')
for _ in range(5):
    t, c = time.perf_counter(), time.process_time(); f()
    warm, warm_cpu = min(warm, time.perf_counter() - t), min(warm_cpu, time.process_time() - c)
print(json.dumps({'first': first, 'warm': warm, 'firstCpu': first_cpu, 'warmCpu': warm_cpu}))
