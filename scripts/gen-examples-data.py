#!/usr/bin/env python3
"""Writes examples/data/seed001-ratings-40x25.json: the ratings table of seed 001 section
13.2 (the truncated-SVD recommender), generated exactly as the seed's numpy code does it
(np.random.default_rng(1)), so examples/01-truncated-svd-recommender.ts reproduces the
seed's numbers digit for digit. numpy's PCG64 stream is not reimplemented in TypeScript;
the 40x25 matrix and its 20% test mask are committed instead (about 25 KB).

Run: python3 scripts/gen-examples-data.py  (numpy >= 1.17)
"""
import json
import os

import numpy as np

rng = np.random.default_rng(1)
m, n, true_r = 40, 25, 2
A = rng.normal(0, 1, (m, true_r)) @ rng.normal(0, 1, (true_r, n))
A = 1 + 4 * (A - A.min()) / (A.max() - A.min())
A += rng.normal(0, 0.15, A.shape)
test = rng.random(A.shape) < 0.2

out = os.path.join(os.path.dirname(__file__), '..', 'examples', 'data', 'seed001-ratings-40x25.json')
with open(out, 'w') as f:
    json.dump({
        'source': 'seed 001 section 13.2: np.random.default_rng(1), rank 2 squashed to 1..5, + N(0, 0.15) noise, 20% test mask',
        'generator': 'scripts/gen-examples-data.py',
        'rows': m,
        'cols': n,
        'trueRank': true_r,
        # row-major, full float64 precision (repr round-trips)
        'ratings': [float(x) for x in A.ravel()],
        'test': [int(x) for x in test.ravel()],
    }, f, separators=(',', ':'))
print('wrote', out)
