"""Reference for bench/serving.ts: top-n recommendation in numpy, on the factors the
TypeScript bench writes, one BLAS thread (run with OPENBLAS_NUM_THREADS=1).

- one user: s = mu + b_u + b + Q @ p_u (float32), s[seen] = -inf, np.argpartition(-s, n)[:n]
  and an argsort of those n: CPU ms per user (time.process_time), best and median over users.
- every user (what Spark's recommendForAllUsers and `lowrank recommend top --all` do): users
  in batches of B (the batch size lowrank uses: a 64 MB score block), S = P_b @ Q.T + b +
  (mu + b_u)[:, None], seen entries set to -inf, np.argpartition(-S, n, axis=1)[:, :n] and a
  sort of each row's n: CPU seconds for all users.

Usage: python serving_numpy.py DIR N [single|all ...]
DIR holds meta.json {items, users, factors, mu, single_users, all_items, all_users} and
raw little-endian arrays: single: Q.f32 (items x factors) b.f32 P.f32 bu.f32 seen_indptr.i32
seen.i32; all: the same names with the prefix all_. Prints one JSON line.
"""
import json
import os
import sys
import time

import numpy as np

d, n = sys.argv[1], int(sys.argv[2])
parts = sys.argv[3:] or ['single', 'all']
meta = json.load(open(os.path.join(d, 'meta.json')))
out = {}


def load(prefix, items, users, f):
    ld = lambda name, t: np.fromfile(os.path.join(d, prefix + name), dtype=t)
    Q = ld('Q.f32', np.float32).reshape(items, f)
    P = ld('P.f32', np.float32).reshape(users, f)
    return Q, ld('b.f32', np.float32), P, ld('bu.f32', np.float32), ld('seen_indptr.i32', np.int32), ld('seen.i32', np.int32)


def top_one(Q, b, p, base, seen):
    s = Q @ p
    s += b
    s += np.float32(base)
    s[seen] = -np.inf
    idx = np.argpartition(-s, n)[:n]
    return idx[np.argsort(-s[idx], kind='stable')]


if 'single' in parts:
    Q, b, P, bu, ip, seen = load('', meta['items'], meta['users'], meta['factors'])
    times = []
    lists = []
    for u in range(meta['single_users']):
        t0 = time.process_time()
        idx = top_one(Q, b, P[u], meta['mu'] + bu[u], seen[ip[u]:ip[u + 1]])
        times.append(time.process_time() - t0)
        lists.append(idx.tolist())
    out['single_ms_best'] = min(times) * 1e3
    out['single_ms_median'] = float(np.median(times)) * 1e3
    out['single_lists'] = lists
    del Q, P

if 'all' in parts:
    items, users, f = meta['all_items'], meta['all_users'], meta['factors']
    Q, b, P, bu, ip, seen = load('all_', items, users, f)
    B = max(1, min(256, users, (64 << 20) // 4 // items))
    QT = Q.T
    first = []
    t0 = time.process_time()
    for b0 in range(0, users, B):
        b1 = min(users, b0 + B)
        S = P[b0:b1] @ QT
        S += b
        S += (meta['mu'] + bu[b0:b1])[:, None]
        for k in range(b1 - b0):
            S[k, seen[ip[b0 + k]:ip[b0 + k + 1]]] = -np.inf
        idx = np.argpartition(-S, n, axis=1)[:, :n]
        top = np.take_along_axis(S, idx, axis=1)
        order = np.argsort(-top, axis=1, kind='stable')
        idx = np.take_along_axis(idx, order, axis=1)
        if b0 == 0:
            first = idx[:5].tolist()
    out['all_seconds'] = time.process_time() - t0
    out['all_batch'] = B
    out['all_lists'] = first

print(json.dumps(out))
