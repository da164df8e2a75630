#!/usr/bin/env python3
"""Parquet, Arrow IPC and Spark ALSModel fixtures for test/io/columnar.test.ts and
test/cli/spark.test.ts, written by pyarrow (the reader Spark's Parquet files are
checked against everywhere).

Run: /tmp/ref-venv/bin/python scripts/gen-columnar-fixtures.py
Writes test/fixtures/columnar/:
- ratings.csv / ratings-strings.csv: the reference ratings (user,item,rating,timestamp).
- ratings-{snappy,zstd,gzip}.parquet: the same table (integer IDs, int64 timestamp), 3 row
  groups each; ratings-strings.parquet: string IDs in columns userId/movieId/score, 2 row
  groups, dictionary-encoded as pyarrow does by default.
- ratings-parts/: a directory of part files as Spark writes it (part-0000k-<uuid>.snappy.parquet,
  _SUCCESS, .crc side files).
- ratings-pandas.{parquet,feather}: user_id dictionary-encoded strings, item_id int64,
  timestamp as datetime64[s] (TIMESTAMP in Parquet), as pandas writes a DataFrame.
- ratings.feather (Arrow IPC file, LZ4 frames: pyarrow's default), ratings-zstd.arrow (ZSTD),
  ratings-plain.arrow (uncompressed), ratings-stream.arrows (IPC stream format).
- matrix.parquet / matrix.feather: a dense 23 x 4 table (float64, float32, int32, int64
  columns) and matrix.json with its values.
- spark-model/: an ALSModel directory in Spark 3.x's layout (ALS.scala ALSModelWriter:
  DefaultParamsWriter metadata with extra "rank"; userFactors/ and itemFactors/ written by
  DataFrame.write.parquet: id int32 NOT NULL, features array<float> with containsNull = false),
  rank 4, two part files per side, and spark-model.json with factors and expected dot products.
"""
import json
import os
import uuid

import numpy as np
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "columnar")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(22)

# --- ratings: 40 users, 30 items, 400 distinct pairs, IDs neither dense nor sorted.
n_users, n_items, n = 40, 30, 400
user_ids = rng.choice(np.arange(1, 5000), n_users, replace=False)
item_ids = rng.choice(np.arange(1, 90000), n_items, replace=False)
pairs = rng.choice(n_users * n_items, n, replace=False)
u = user_ids[pairs // n_items].astype(np.int32)
i = item_ids[pairs % n_items].astype(np.int32)
r = (rng.integers(1, 11, n) / 2).astype(np.float32)  # 0.5 .. 5 in halves
ts = rng.integers(964_000_000, 1_500_000_000, n).astype(np.int64)

with open(os.path.join(OUT, "ratings.csv"), "w") as f:
    f.write("user,item,rating,timestamp\n")
    for a, b, c, d in zip(u, i, r, ts):
        f.write(f"{a},{b},{c:g},{d}\n")
with open(os.path.join(OUT, "ratings-strings.csv"), "w") as f:
    f.write("userId,movieId,score\n")
    for a, b, c in zip(u, i, r):
        f.write(f"u{a},m{b},{c:g}\n")

table = pa.table({"user": pa.array(u, pa.int32()), "item": pa.array(i, pa.int32()), "rating": pa.array(r, pa.float32()), "timestamp": pa.array(ts, pa.int64())})
for codec in ["snappy", "zstd", "gzip"]:
    pq.write_table(table, os.path.join(OUT, f"ratings-{codec}.parquet"), compression=codec, row_group_size=150)
strings = pa.table({"userId": [f"u{a}" for a in u], "movieId": [f"m{b}" for b in i], "score": pa.array(r.astype(np.float64), pa.float64())})
pq.write_table(strings, os.path.join(OUT, "ratings-strings.parquet"), compression="snappy", row_group_size=250)

parts = os.path.join(OUT, "ratings-parts")
os.makedirs(parts, exist_ok=True)
for name in os.listdir(parts):
    os.remove(os.path.join(parts, name))
job = uuid.UUID(int=22)
for k, (a, b) in enumerate([(0, 170), (170, 300), (300, 400)]):
    name = f"part-{k:05d}-{job}-c000.snappy.parquet"
    pq.write_table(table.slice(a, b - a), os.path.join(parts, name), compression="snappy")
    with open(os.path.join(parts, f".{name}.crc"), "wb") as f:
        f.write(b"crc\x00")  # Hadoop's checksum side file: readers must skip dot files
open(os.path.join(parts, "_SUCCESS"), "w").close()

feather.write_feather(table, os.path.join(OUT, "ratings.feather"))  # LZ4 frames by default
with ipc.new_file(os.path.join(OUT, "ratings-zstd.arrow"), table.schema, options=ipc.IpcWriteOptions(compression="zstd")) as w:
    for b in table.to_batches(max_chunksize=150):
        w.write_batch(b)
with ipc.new_file(os.path.join(OUT, "ratings-plain.arrow"), strings.schema) as w:
    w.write_table(strings)
with ipc.new_stream(os.path.join(OUT, "ratings-stream.arrows"), table.schema) as w:
    for b in table.to_batches(max_chunksize=100):
        w.write_batch(b)

# --- as pandas writes them: categorical (dictionary) string users, int64 items, datetime64[s]
# timestamps (Parquet stores them as TIMESTAMP(MILLIS)), in snake_case names.
pandas_like = pa.table({
    "user_id": pa.array([f"u{a}" for a in u]).dictionary_encode(),
    "item_id": pa.array(i.astype(np.int64), pa.int64()),
    "rating": pa.array(r.astype(np.float64)),
    "timestamp": pa.array(ts.astype("datetime64[s]")),
})
pq.write_table(pandas_like, os.path.join(OUT, "ratings-pandas.parquet"), row_group_size=200)
feather.write_feather(pandas_like, os.path.join(OUT, "ratings-pandas.feather"))

# --- dense matrix
M = rng.standard_normal((23, 4))
mtab = pa.table({
    "a": pa.array(M[:, 0], pa.float64()),
    "b": pa.array(M[:, 1].astype(np.float32), pa.float32()),
    "c": pa.array(np.round(M[:, 2] * 100).astype(np.int32), pa.int32()),
    "d": pa.array(np.round(M[:, 3] * 1000).astype(np.int64), pa.int64()),
})
pq.write_table(mtab, os.path.join(OUT, "matrix.parquet"), row_group_size=10)
feather.write_feather(mtab, os.path.join(OUT, "matrix.feather"), compression="uncompressed")
with open(os.path.join(OUT, "matrix.json"), "w") as f:
    cols = [mtab.column(k).to_numpy().astype(np.float64) for k in range(4)]
    json.dump({"columns": ["a", "b", "c", "d"], "rows": [[float(c[j]) for c in cols] for j in range(23)]}, f)

# --- Spark ALSModel directory
rank = 4
su = np.sort(rng.choice(np.arange(1, 1000), 12, replace=False)).astype(np.int32)
si = np.sort(rng.choice(np.arange(1, 1000), 9, replace=False)).astype(np.int32)
P = (rng.standard_normal((len(su), rank)) * 0.7).astype(np.float32)
Q = (rng.standard_normal((len(si), rank)) * 0.7).astype(np.float32)
model = os.path.join(OUT, "spark-model")
for sub in ["metadata", "userFactors", "itemFactors"]:
    d = os.path.join(model, sub)
    os.makedirs(d, exist_ok=True)
    for name in os.listdir(d):
        os.remove(os.path.join(d, name))
metadata = {
    "class": "org.apache.spark.ml.recommendation.ALSModel",
    "timestamp": 1765000000000,
    "sparkVersion": "3.5.1",
    "uid": "ALS_1a2b3c4d5e6f",
    "paramMap": {"userCol": "userId", "itemCol": "movieId", "coldStartStrategy": "drop"},
    "defaultParamMap": {"blockSize": 4096, "predictionCol": "prediction", "userCol": "user", "itemCol": "item", "coldStartStrategy": "nan"},
    "rank": rank,
}
with open(os.path.join(model, "metadata", "part-00000"), "w") as f:
    f.write(json.dumps(metadata, separators=(",", ":")) + "\n")
open(os.path.join(model, "metadata", "_SUCCESS"), "w").close()
schema = pa.schema([pa.field("id", pa.int32(), nullable=False), pa.field("features", pa.list_(pa.field("element", pa.float32(), nullable=False)))])
spark_meta = {b"org.apache.spark.version": b"3.5.1", b"org.apache.spark.sql.parquet.row.metadata": json.dumps({"type": "struct", "fields": [{"name": "id", "type": "integer", "nullable": False, "metadata": {}}, {"name": "features", "type": {"type": "array", "elementType": "float", "containsNull": False}, "nullable": True, "metadata": {}}]}).encode()}
for side, ids, F in [("userFactors", su, P), ("itemFactors", si, Q)]:
    t = pa.table({"id": pa.array(ids, pa.int32()), "features": pa.array([list(map(float, row)) for row in F], schema.field("features").type)}, schema=schema.with_metadata(spark_meta))
    half = len(ids) // 2
    for k, (a, b) in enumerate([(0, half), (half, len(ids))]):
        name = f"part-{k:05d}-{uuid.UUID(int=100 + k)}-c000.snappy.parquet"
        pq.write_table(t.slice(a, b - a), os.path.join(model, side, name), compression="snappy")
    open(os.path.join(model, side, "_SUCCESS"), "w").close()
with open(os.path.join(OUT, "spark-model.json"), "w") as f:
    json.dump({
        "rank": rank,
        "users": su.tolist(), "items": si.tolist(),
        "userFactors": P.astype(np.float64).tolist(), "itemFactors": Q.astype(np.float64).tolist(),
        "dots": (P.astype(np.float64) @ Q.astype(np.float64).T).tolist(),
    }, f)
print("wrote", OUT)
