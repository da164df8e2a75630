"""Reference for bench/ratings-io.ts: parse a user,item,rating,timestamp CSV with numpy.

pandas is not installed here; numpy.loadtxt (C tokenizer since numpy 1.23) is the stand-in.
Prints one JSON line: best seconds of `repeats` runs, rows, and peak RSS in MiB.
"""
import json
import resource
import sys
import time

import numpy as np

path = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
best = float("inf")
rows = 0
for _ in range(repeats):
    t0 = time.perf_counter()
    a = np.loadtxt(path, delimiter=",", dtype=np.float64)
    best = min(best, time.perf_counter() - t0)
    rows = a.shape[0]
    del a
print(json.dumps({"seconds": best, "rows": rows, "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
