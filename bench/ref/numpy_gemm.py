"""numpy reference for bench/gemm.ts: prints one JSON object {"<dtype>:<n>": gflops}.
Threads are fixed by the caller through OPENBLAS_NUM_THREADS before numpy is imported."""
import json, sys, time
import numpy as np

sizes = [int(s) for s in sys.argv[1].split(',')]
dtypes = sys.argv[2].split(',')
min_time = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
out = {}
rng = np.random.default_rng(0)
for dt in dtypes:
    for n in sizes:
        a = rng.random((n, n)).astype(dt)
        b = rng.random((n, n)).astype(dt)
        a @ b
        best, total, reps = float('inf'), 0.0, 0
        while total < min_time or reps < 3:
            t = time.perf_counter(); a @ b; t = time.perf_counter() - t
            best = min(best, t); total += t; reps += 1
        out[f"{dt}:{n}"] = 2 * n ** 3 / best / 1e9
print(json.dumps(out))
