#!/usr/bin/env python3
"""Reference values for the rank-selection and principal-angle tests (numpy + scipy).

Writes test/fixtures/rank/rank.json:
- mp: Marchenko-Pastur medians mu_beta and Gavish-Donoho omega(beta) = lambda*(beta) /
  sqrt(mu_beta), by scipy quadrature of the MP density and brentq (as in Gavish & Donoho's
  reference code), for a few aspect ratios;
- angles: random spanning sets A, B (column-major flat arrays) and
  scipy.linalg.subspace_angles(A, B) sorted ascending;
- noisy: a rank-3 40 x 30 matrix plus N(0, 0.1^2) noise, its singular values.

Run: python3 scripts/gen-rank-fixtures.py
"""
import json
import os

import numpy as np
from scipy import integrate, linalg, optimize


def mp_median(beta):
    a = (1 - np.sqrt(beta)) ** 2
    b = (1 + np.sqrt(beta)) ** 2
    dens = lambda t: np.sqrt((b - t) * (t - a)) / (2 * np.pi * beta * t)
    cdf = lambda x: integrate.quad(dens, a, x, epsabs=1e-13, epsrel=1e-13, limit=200)[0]
    return optimize.brentq(lambda x: cdf(x) - 0.5, a, b, xtol=1e-14)


def lam(beta):
    return np.sqrt(2 * (beta + 1) + 8 * beta / (beta + 1 + np.sqrt(beta**2 + 14 * beta + 1)))


def flat(M):
    return M.flatten(order="F").tolist()


rng = np.random.default_rng(20261123)
mp = []
for beta in [1.0, 0.5, 0.25, 0.1]:
    mu = mp_median(beta)
    mp.append({"beta": beta, "mu": mu, "lambda": lam(beta), "omega": lam(beta) / np.sqrt(mu)})

angles = []
for (m, p, q) in [(8, 3, 2), (10, 4, 4), (6, 2, 5)]:
    A = rng.standard_normal((m, p))
    B = rng.standard_normal((m, q))
    th = np.sort(linalg.subspace_angles(A, B))
    angles.append({"m": m, "p": p, "q": q, "A": flat(A), "B": flat(B), "angles": th.tolist()})

m, n, r = 40, 30, 3
X = rng.standard_normal((m, r)) @ rng.standard_normal((r, n)) * 2.0
Y = X + 0.1 * rng.standard_normal((m, n))
s = np.linalg.svd(Y, compute_uv=False)
noisy = {"m": m, "n": n, "trueRank": r, "sigma": 0.1, "A": flat(Y), "s": s.tolist()}

out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "rank", "rank.json")
with open(out, "w") as f:
    json.dump({"mp": mp, "angles": angles, "noisy": noisy}, f)
print("wrote", out)
