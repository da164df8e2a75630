"""numpy reference for bench/ssa.ts: singular spectrum analysis of a long series with a
randomized SVD, the way it is done in Python.

Usage: ssa.py SERIES.npy WINDOW RANK [REPEATS]
1. Embedding: the trajectory matrix X[i, j] = x[i + j] (L x K, K = N - L + 1), formed once as
   a contiguous array (numpy's sliding_window_view, copied: BLAS needs contiguous storage).
2. Decomposition: scikit-learn's randomized_svd (Halko, Martinsson & Tropp 2011; pure
   numpy/scipy.linalg) with RANK components and its defaults: n_oversamples 10,
   n_iter 'auto' (7 when RANK < 0.1 min(L, K)), LU normalization, random_state 0.
3. Reconstruction of the groups [0], [1, 2], [3, 4] by diagonal averaging, each rank-one
   term's anti-diagonal sums as a convolution u * v by numpy's real FFT (the fast numpy way;
   a dense L x K matrix per group would be far slower).
Also, as a second and stronger reference, the same randomized SVD (Halko, Martinsson & Tropp
2011, algorithms 4.4 and 5.1 with scikit-learn's settings: 10 extra columns, 7 power
iterations, LU normalization, then QR) written in numpy on matrix-free products: X v and
X^T u as FFT convolutions with the series (numpy's rfft/irfft on whole blocks), which is how
lowrank computes them; the L x K matrix is never formed.
Prints one JSON line: best-of-REPEATS seconds of (1 + 2) and of 3 for the first reference,
of the decomposition for the second, and both sets of singular values.
Threads: as the environment says (OPENBLAS_NUM_THREADS)."""
import json
import sys
import time

import numpy as np
from sklearn.utils.extmath import randomized_svd

x = np.load(sys.argv[1]).astype(np.float64).ravel()
L = int(sys.argv[2])
rank = int(sys.argv[3])
repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
N = x.size
K = N - L + 1
GROUPS = [[0], [1, 2], [3, 4]]


def decompose(x):
    X = np.ascontiguousarray(np.lib.stride_tricks.sliding_window_view(x, L).T)  # L x K
    U, s, Vt = randomized_svd(X, rank, random_state=0)
    return U, s, Vt


NFFT = 1 << (N - 1).bit_length()
XHAT = np.fft.rfft(x, NFFT)


def hankel_apply(V):
    """X V (L x p) for V (K x p): sum_j x[i + j] V[j] as a convolution with the reversed columns."""
    Vh = np.fft.rfft(V[::-1], NFFT, axis=0)
    return np.fft.irfft(Vh * XHAT[:, None], NFFT, axis=0)[K - 1:K - 1 + L]


def hankel_apply_t(U):
    """X^T U (K x p) for U (L x p)."""
    Uh = np.fft.rfft(U[::-1], NFFT, axis=0)
    return np.fft.irfft(Uh * XHAT[:, None], NFFT, axis=0)[L - 1:L - 1 + K]


def decompose_fft(k, oversample=10, q=7, seed=0):
    """Randomized SVD of X^T (K x L: more rows than columns, as scikit-learn transposes)."""
    import scipy.linalg
    l = k + oversample
    Q = np.random.default_rng(seed).standard_normal((L, l))
    for _ in range(q):
        Q, _ = scipy.linalg.lu(hankel_apply_t(Q), permute_l=True)
        Q, _ = scipy.linalg.lu(hankel_apply(Q), permute_l=True)
    Q, _ = np.linalg.qr(hankel_apply_t(Q))      # K x l basis of range(X^T)
    B = hankel_apply(Q).T                        # l x L = Q^T X^T
    Ub, s, Vt = np.linalg.svd(B, full_matrices=False)
    return Vt[:k].T, s[:k], (Q @ Ub[:, :k]).T    # U (L x k), s, Vt (k x K) of X


def reconstruct(U, s, Vt, groups):
    n = 1 << (N - 1).bit_length()
    w = np.minimum(np.minimum(np.arange(1, N + 1), min(L, K)), np.arange(N, 0, -1)).astype(np.float64)
    out = []
    for g in groups:
        spec = np.zeros(n // 2 + 1, dtype=np.complex128)
        for i in g:
            spec += s[i] * np.fft.rfft(U[:, i], n) * np.fft.rfft(Vt[i], n)
        out.append(np.fft.irfft(spec, n)[:N] / w)
    return out


best_fft = float("inf")
for _ in range(repeats):
    t0 = time.perf_counter()
    Uf, sf, Vtf = decompose_fft(rank)
    best_fft = min(best_fft, time.perf_counter() - t0)

best_dec = best_rec = float("inf")
for _ in range(repeats):
    t0 = time.perf_counter()
    U, s, Vt = decompose(x)
    t1 = time.perf_counter()
    parts = reconstruct(U, s, Vt, GROUPS)
    t2 = time.perf_counter()
    best_dec = min(best_dec, t1 - t0)
    best_rec = min(best_rec, t2 - t1)
print(json.dumps({"decompose_seconds": best_dec, "reconstruct_seconds": best_rec, "s": s.tolist(),
                  "fft_decompose_seconds": best_fft, "fft_s": sf.tolist()}))
