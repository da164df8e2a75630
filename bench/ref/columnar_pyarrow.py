"""Reference for bench/columnar-io.ts: write an N-row ratings table (int32 userId/movieId,
float32 rating, int64 timestamp) as CSV, Parquet (snappy, row groups of 1M) and Feather (LZ4),
then time pyarrow reading each (CPU seconds, best of 3). Prints one JSON line.
Usage: python columnar_pyarrow.py DIR N [REPS=3]"""
import json
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.csv as pc
import pyarrow.feather as feather
import pyarrow.parquet as pq

d, n = sys.argv[1], int(sys.argv[2])
reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
rng = np.random.default_rng(1)
t = pa.table({
    "userId": pa.array(rng.integers(1, 150000, n), pa.int32()),
    "movieId": pa.array(rng.integers(1, 30000, n), pa.int32()),
    "rating": pa.array((rng.integers(1, 11, n) / 2).astype(np.float32)),
    "timestamp": pa.array(rng.integers(900_000_000, 1_600_000_000, n), pa.int64()),
})
paths = {"csv": os.path.join(d, "r.csv"), "parquet": os.path.join(d, "r.parquet"), "feather": os.path.join(d, "r.feather")}
if not all(os.path.exists(p) for p in paths.values()):
    pc.write_csv(t, paths["csv"])
    pq.write_table(t, paths["parquet"], compression="snappy", row_group_size=1_000_000)
    feather.write_feather(t, paths["feather"])
readers = {"csv": lambda p: pc.read_csv(p), "parquet": lambda p: pq.read_table(p), "feather": lambda p: feather.read_table(p)}
out = {}
pa.set_cpu_count(1)  # one thread, as lowrank's reader
for k, p in paths.items():
    best = float("inf")
    for _ in range(reps):
        t0 = time.process_time()
        readers[k](p)
        best = min(best, time.process_time() - t0)
    out[k] = best
print(json.dumps(out))
