#!/usr/bin/env python3
"""Regenerate the SSA and DMD test fixtures in test/fixtures/ssa-dmd/ with numpy.

    /tmp/ref-venv/bin/python scripts/gen-ssa-dmd-fixtures.py

The reference here is a plain dense numpy implementation written from the definitions,
independent of lowrank's FFT-based code:

SSA (Golyandina, Nekrutkin & Zhigljavsky 2001): the trajectory matrix X[i, j] = x[i + j]
(L x K) formed with column_stack (MSSA: the series' matrices side by side), its SVD by
numpy.linalg.svd, reconstruction by averaging the anti-diagonals of s_i U_i V_i^T summed
over a group (np.fliplr(M).diagonal), w-correlations from the weights w_k = number of
entries on anti-diagonal k, the recurrent forecast from R = sum pi_i U_i^nabla / (1 - nu^2),
and the vector forecast by building the whole matrix [Z_1 .. Z_{K+h+L-1}] of continued
lagged vectors (Z -> (Pi Z_Delta ; R^T Z_Delta)) and diagonally averaging it.

DMD (exact DMD, Tu, Rowley, Luchtenburg, Brunton & Kutz 2014): X1 = X[:, :-1],
X2 = X[:, 1:], the rank-r SVD X1 = U S V^T, Atilde = U^T X2 V S^-1, its eigenpairs
(numpy.linalg.eig), modes Phi = X2 V S^-1 W, amplitudes b = lstsq(Phi, x_0), and the states
x_k = Re(Phi diag(lambda^k) b).

Files (JSON; Python's float repr round-trips, so values are numpy's to full precision;
seeded generators make the output deterministic):
- ssa-<name>.json: series, window, singular values, reconstructions of groups,
  w-correlations, forecasts.
- dmd-<name>.json: snapshots (row by row), rank, dt, eigenvalues [re, im], the products
  Phi_j b_j (independent of each mode's scaling), frequencies, growth rates, predictions.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'ssa-dmd')


# ---------------------------------------------------------------------------- SSA reference

def trajectory(series, L):
    mats = []
    for x in series:
        K = len(x) - L + 1
        mats.append(np.column_stack([x[j:j + L] for j in range(K)]))
    return np.hstack(mats)


def hankelize(M):
    """Series whose entry k is the mean of the anti-diagonal i + j = k of M (L x K)."""
    L, K = M.shape
    F = np.fliplr(M)
    return np.array([F.diagonal(K - 1 - k).mean() for k in range(L + K - 1)])


def weights(N, L):
    K = N - L + 1
    return np.array([min(k + 1, L, K, N - k) for k in range(N)], dtype=float)


class SsaRef:
    def __init__(self, series, L):
        self.series = [np.asarray(x, dtype=float) for x in series]
        self.N = len(self.series[0])
        self.L = L
        self.K = self.N - L + 1
        self.U, self.s, Vt = np.linalg.svd(trajectory(self.series, L), full_matrices=False)
        self.V = Vt.T

    def reconstruct(self, group):
        """One series per input series: group's matrix, diagonally averaged block by block."""
        M = sum(self.s[i] * np.outer(self.U[:, i], self.V[:, i]) for i in group)
        return [hankelize(M[:, q * self.K:(q + 1) * self.K]) for q in range(len(self.series))]

    def wcorr(self, groups):
        w = weights(self.N, self.L)
        F = [np.concatenate(self.reconstruct(g)) for g in groups]
        ww = np.tile(w, len(self.series))
        G = len(groups)
        C = np.array([[np.sum(ww * F[i] * F[j]) for j in range(G)] for i in range(G)])
        d = np.sqrt(np.diag(C))
        return C / np.outer(d, d)

    def lrr(self, idx):
        Ui = self.U[:, idx]
        pi = Ui[-1, :]
        nu2 = float(pi @ pi)
        R = Ui[:-1, :] @ pi / (1 - nu2)
        return R, nu2

    def rforecast(self, idx, h):
        R, _ = self.lrr(idx)
        out = []
        for y in self.reconstruct(idx):
            z = list(y)
            for _ in range(h):
                z.append(float(np.dot(R, z[-(self.L - 1):])))
            out.append(np.array(z[self.N:]))
        return out

    def vforecast(self, idx, h):
        R, nu2 = self.lrr(idx)
        Vn = self.U[:-1, idx]
        Pi = Vn @ Vn.T + (1 - nu2) * np.outer(R, R)
        L, K = self.L, self.K
        out = []
        for y in self.reconstruct(idx):
            Z = [y[j:j + L] for j in range(K)]  # lagged vectors of the reconstruction
            for _ in range(h + L - 1):
                d = Z[-1][1:]
                Z.append(np.concatenate([Pi @ d, [R @ d]]))
            out.append(hankelize(np.column_stack(Z))[self.N:self.N + h])
        return out


def ssa_case(name, series, L, groups, wgroups, fidx, h, note, multi=False):
    ref = SsaRef(series, L)
    case = {
        'name': name,
        'note': note,
        'series': [list(map(float, x)) for x in series] if multi else list(map(float, series[0])),
        'window': L,
        's': ref.s.tolist(),
        'groups': groups,
        'reconstructions': [[y.tolist() for y in ref.reconstruct(g)] if multi else ref.reconstruct(g)[0].tolist() for g in groups],
        'wcorrGroups': wgroups,
        'wcorr': ref.wcorr(wgroups).tolist(),
        'forecastGroup': fidx,
        'horizon': h,
        'rforecast': [y.tolist() for y in ref.rforecast(fidx, h)] if multi else ref.rforecast(fidx, h)[0].tolist(),
        'vforecast': [y.tolist() for y in ref.vforecast(fidx, h)] if multi else ref.vforecast(fidx, h)[0].tolist(),
        'lrr': ref.lrr(fidx)[0].tolist(),
        'verticality': ref.lrr(fidx)[1],
    }
    with open(os.path.join(OUT, f'ssa-{name}.json'), 'w') as f:
        json.dump(case, f)


# ---------------------------------------------------------------------------- DMD reference

def dmd_ref(X, r, dt, steps):
    X1, X2 = X[:, :-1], X[:, 1:]
    U, s, Vh = np.linalg.svd(X1, full_matrices=False)
    U, s, V = U[:, :r], s[:r], Vh[:r].T
    Atilde = U.T @ X2 @ V / s
    lam, W = np.linalg.eig(Atilde)
    Phi = (X2 @ V / s) @ W
    b = np.linalg.lstsq(Phi, X[:, 0].astype(complex), rcond=None)[0]
    omega = np.log(lam.astype(complex)) / dt
    m = X.shape[1]
    pred = np.column_stack([(Phi @ (b * lam ** k)).real for k in range(m, m + steps)])
    recon = np.column_stack([(Phi @ (b * lam ** k)).real for k in range(m)])
    return lam, Phi, b, omega, pred, recon


def dmd_case(name, X, r, dt, steps, note, known=None):
    lam, Phi, b, omega, pred, recon = dmd_ref(X, r, dt, steps)
    scaled = Phi * b  # column j: Phi_j b_j
    case = {
        'name': name,
        'note': note,
        'X': X.tolist(),
        'rank': r,
        'dt': dt,
        'eigenvalues': [[z.real, z.imag] for z in lam],
        'scaledModesRe': scaled.real.tolist(),
        'scaledModesIm': scaled.imag.tolist(),
        'frequencies': (omega.imag / (2 * np.pi)).tolist(),
        'growthRates': omega.real.tolist(),
        'steps': steps,
        'predict': pred.tolist(),
        'reconstruct': recon.tolist(),
    }
    if known is not None:
        case['known'] = [[complex(z).real, complex(z).imag] for z in known]
    with open(os.path.join(OUT, f'dmd-{name}.json'), 'w') as f:
        json.dump(case, f)


def rotation_block(rho, theta):
    return rho * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith('.json'):
            os.remove(os.path.join(OUT, f))
    rng = np.random.default_rng(20261206)

    # A monthly-like series: trend, a 12-period and a 6-period oscillation, noise.
    k = np.arange(120)
    x = 10 + 0.05 * k + 3 * np.sin(2 * np.pi * k / 12) + 1.5 * np.cos(2 * np.pi * k / 6 + 0.3) + 0.3 * rng.standard_normal(120)
    ssa_case('seasonal', [x], 36, [[0], [1, 2], [3, 4], [0, 1, 2, 3, 4]], [[i] for i in range(8)], [0, 1, 2, 3, 4], 24,
             'N = 120, L = 36: trend + periods 12 and 6 + N(0, 0.3^2) noise')

    # An odd window and a short series (L > K: K = 17, L = 24).
    k = np.arange(40)
    x = np.exp(0.02 * k) + np.sin(2 * np.pi * k / 7.5) + 0.1 * rng.standard_normal(40)
    ssa_case('short-wide', [x], 24, [[0], [1, 2], [3, 4, 5]], [[0], [1, 2], [3, 4, 5]], [0, 1, 2], 10,
             'N = 40, L = 24 > K = 17: exponential + period 7.5 + noise')

    # MSSA: two series sharing a trend and a period-10 oscillation with different phases.
    k = np.arange(100)
    a = 0.1 * k + 2 * np.sin(2 * np.pi * k / 10) + 0.2 * rng.standard_normal(100)
    b = -0.05 * k + 5 + 1.5 * np.sin(2 * np.pi * k / 10 + 1.0) + 0.2 * rng.standard_normal(100)
    ssa_case('mssa', [a, b], 30, [[0, 1], [2, 3], [0, 1, 2, 3]], [[0], [1], [2], [3], [4]], [0, 1, 2, 3], 15,
             'MSSA of 2 series, N = 100, L = 30 (horizontal stacking, L x 2K)', multi=True)

    # A longer series for the truncated solvers (exact dense numpy SVD as the reference).
    k = np.arange(3000)
    x = 0.002 * k + 4 * np.sin(2 * np.pi * k / 50) + 2 * np.sin(2 * np.pi * k / 13 + 0.5) + 0.5 * rng.standard_normal(3000)
    ssa_case('long', [x], 400, [[0], [1, 2], [3, 4]], [[0], [1, 2], [3, 4], [5]], [0, 1, 2, 3, 4], 20,
             'N = 3000, L = 400: trend + periods 50 and 13 + noise (for the truncated solvers)')

    # DMD of a linear system with known eigenvalues: x_{k+1} = A x_k, A = Q D Q^{-1}.
    known = [0.95 * np.exp(0.3j), 0.95 * np.exp(-0.3j), 0.9 * np.exp(1.1j), 0.9 * np.exp(-1.1j), 0.99, 0.7]
    D = np.zeros((6, 6))
    D[0:2, 0:2] = rotation_block(0.95, 0.3)
    D[2:4, 2:4] = rotation_block(0.9, 1.1)
    D[4, 4] = 0.99
    D[5, 5] = 0.7
    Q = rng.standard_normal((6, 6))
    A = Q @ D @ np.linalg.inv(Q)
    X = np.zeros((6, 30))
    X[:, 0] = rng.standard_normal(6)
    for j in range(1, 30):
        X[:, j] = A @ X[:, j - 1]
    dmd_case('linear-6', X, 6, 0.1, 5, 'x_{k+1} = A x_k, n = 6, 30 snapshots, eigenvalues known', known)

    # A 4-dimensional linear system seen through 40 sensors (rank 4).
    known = [1.0 * np.exp(0.5j), 1.0 * np.exp(-0.5j), 0.8 * np.exp(2.0j), 0.8 * np.exp(-2.0j)]
    D = np.zeros((4, 4))
    D[0:2, 0:2] = rotation_block(1.0, 0.5)
    D[2:4, 2:4] = rotation_block(0.8, 2.0)
    P = rng.standard_normal((40, 4))
    z = rng.standard_normal(4)
    cols = []
    for j in range(25):
        cols.append(P @ z)
        z = D @ z
    X = np.column_stack(cols)
    dmd_case('sensors-40', X, 4, 0.5, 6, 'a 4-state linear system measured by 40 sensors, 25 snapshots, rank 4', known)

    # Noisy snapshots truncated to rank 5.
    known = None
    D = np.zeros((5, 5))
    D[0:2, 0:2] = rotation_block(0.98, 0.2)
    D[2:4, 2:4] = rotation_block(0.93, 0.7)
    D[4, 4] = 0.85
    P = np.linalg.qr(rng.standard_normal((30, 5)))[0]
    z = rng.standard_normal(5) * 3
    cols = []
    for j in range(50):
        cols.append(P @ z)
        z = D @ z
    X = np.column_stack(cols) + 0.01 * rng.standard_normal((30, 50))
    dmd_case('noisy-rank5', X, 5, 1.0, 4, '30 x 50 noisy snapshots of a 5-state system, truncated to rank 5')


if __name__ == '__main__':
    main()
