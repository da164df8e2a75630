"""Reference side of bench/pca.ts: scikit-learn's PCA / TruncatedSVD / IncrementalPCA.

Usage: pca_sklearn.py DIGITS.npy BIG.npy MIN_TIME
Prints one JSON line {case: best seconds} for the same cases as the TS side, each timed
as the best of repeats lasting at least MIN_TIME seconds (and at least 3 runs). Threads are
pinned by the caller (OPENBLAS_NUM_THREADS=1) before numpy loads.
"""
import json
import sys
import time

import numpy as np
from sklearn.decomposition import PCA, IncrementalPCA, TruncatedSVD


def best_of(f, min_time, reps=3):
    f()
    best, total, n = float('inf'), 0.0, 0
    while n < reps or total < min_time:
        t = time.perf_counter()
        f()
        t = time.perf_counter() - t
        best = min(best, t)
        total += t
        n += 1
    return best


def main():
    digits = np.load(sys.argv[1]).astype(np.float64)
    big = np.load(sys.argv[2])
    min_time = float(sys.argv[3])
    cases = {
        'digits PCA() fit': lambda: PCA().fit(digits),
        'digits PCA() fit_transform': lambda: PCA().fit_transform(digits),
        'digits PCA(0.95) fit': lambda: PCA(n_components=0.95).fit(digits),
        "digits PCA(10, 'full') fit": lambda: PCA(n_components=10, svd_solver='full').fit(digits),
        'digits IncrementalPCA(10, batch 200)': lambda: IncrementalPCA(n_components=10, batch_size=200).fit(digits),
        'digits TruncatedSVD(10)': lambda: TruncatedSVD(n_components=10, random_state=0).fit(digits),
        '10000x500 PCA(50) auto (covariance-eigh)': lambda: PCA(n_components=50, random_state=0).fit(big),
        '10000x500 PCA(50) randomized': lambda: PCA(n_components=50, svd_solver='randomized', random_state=0).fit(big),
        '10000x500 TruncatedSVD(50)': lambda: TruncatedSVD(n_components=50, random_state=0).fit(big),
    }
    out = {name: best_of(f, min_time) for name, f in cases.items()}
    out['big_solver'] = PCA(n_components=50).fit(big)._fit_svd_solver
    out['big_ratio'] = PCA(n_components=50, random_state=0).fit(big).explained_variance_ratio_.tolist()
    print(json.dumps(out))


if __name__ == '__main__':
    main()
