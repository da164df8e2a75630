#!/usr/bin/env python3
"""Regenerate the sparse-eigensolver, graph and Markov-chain fixtures in test/fixtures/graph/.

    /tmp/ref-venv/bin/python scripts/gen-graph-fixtures.py

References (scipy / numpy, independent of lowrank's code):
- eigsh: scipy.sparse.linalg.eigsh (ARPACK, tol=0: machine precision, a seeded v0 so reruns agree) for 'LA', 'SA', 'LM',
  and in shift-invert mode (sigma, scipy's sparse LU); numpy.linalg.eigvalsh of the dense
  matrix as a second opinion.
- eigs: scipy.sparse.linalg.eigs (ARPACK) for 'LM' and 'LR', checked against numpy.linalg.eigvals.
- laplacian: scipy.sparse.csgraph.laplacian(normed=False / True) of a small weighted graph
  with a self-loop and an isolated vertex.
- stationary distributions: the null vector of (P^T - I) by numpy.linalg.svd (the right
  singular vector of the smallest singular value), normalized to sum 1, for an irreducible
  chain, a periodic (bipartite) chain, and a chain with transient states and one closed
  class; a chain with two closed classes (for the error).
- PageRank: a numpy power iteration written from networkx's definition (dangling vertices
  teleport by the personalization vector), iterated to an L1 change below 1e-15.

Matrices are written as Matrix Market files (scipy.io.mmwrite) so the CLI tests read them
too; expected values go to JSON (Python's float repr round-trips).
"""
import json
import os

import numpy as np
import scipy.io
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as sla

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'graph')
os.makedirs(OUT, exist_ok=True)


def write_mtx(name, M):
    scipy.io.mmwrite(os.path.join(OUT, name), sp.csr_matrix(M), precision=17)


def dump(name, obj):
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump(obj, f, indent=1)
        f.write('\n')


def sym_random(n, density, seed):
    rng = np.random.default_rng(seed)
    R = sp.random(n, n, density=density, random_state=rng, data_rvs=lambda k: rng.standard_normal(k))
    return ((R + R.T) / 2).tocsr()


def grid_laplacian(a, b):
    """Combinatorial Laplacian of the a x b grid graph: the classic slow case for 'SA'."""
    def path(m):
        return sp.diags([np.ones(m - 1), np.ones(m - 1)], [-1, 1])
    A = sp.kron(sp.identity(b), path(a)) + sp.kron(path(b), sp.identity(a))
    return csgraph.laplacian(A.tocsr()).tocsr()


# ---------------------------------------------------------------------------- eigsh

eigsh_cases = []
S = sym_random(600, 0.01, 1)
write_mtx('sym-600.mtx', S)
dense_all = np.linalg.eigvalsh(S.toarray())
for which in ('LA', 'SA', 'LM'):
    w = sla.eigsh(S, 6, which=which, tol=0, v0=np.random.default_rng(99).standard_normal(600), return_eigenvectors=False)
    eigsh_cases.append({'file': 'sym-600.mtx', 'k': 6, 'which': which, 'w': sorted(float(x) for x in w)})
w = sla.eigsh(S, 4, sigma=0.25, which='LM', tol=0, v0=np.random.default_rng(99).standard_normal(600), return_eigenvectors=False)
eigsh_cases.append({'file': 'sym-600.mtx', 'k': 4, 'which': 'LM', 'sigma': 0.25, 'w': sorted(float(x) for x in w)})

G = grid_laplacian(20, 15)
write_mtx('grid-laplacian-20x15.mtx', G)
w = sla.eigsh(G, 5, sigma=-1e-3, which='LM', tol=0, v0=np.random.default_rng(99).standard_normal(300), return_eigenvectors=False)
eigsh_cases.append({'file': 'grid-laplacian-20x15.mtx', 'k': 5, 'which': 'SA', 'w': sorted(float(x) for x in w)})
eigsh_cases.append({'file': 'grid-laplacian-20x15.mtx', 'k': 5, 'which': 'LM', 'sigma': -1e-3, 'w': sorted(float(x) for x in w)})
w = sla.eigsh(G, 4, which='LA', tol=0, v0=np.random.default_rng(99).standard_normal(300), return_eigenvectors=False)
eigsh_cases.append({'file': 'grid-laplacian-20x15.mtx', 'k': 4, 'which': 'LA', 'w': sorted(float(x) for x in w)})
dump('eigsh.json', {'cases': eigsh_cases, 'sym600_all': [float(x) for x in dense_all]})

# ---------------------------------------------------------------------------- eigs

rng = np.random.default_rng(5)
N = sp.random(500, 500, density=0.02, random_state=rng, data_rvs=lambda k: rng.standard_normal(k)).tocsr()
write_mtx('nonsym-500.mtx', N)
eigs_cases = []
for which in ('LM', 'LR'):
    w = sla.eigs(N, 6, which=which, tol=0, v0=np.random.default_rng(99).standard_normal(500), return_eigenvectors=False)
    eigs_cases.append({'file': 'nonsym-500.mtx', 'k': 6, 'which': which, 'w': [[float(z.real), float(z.imag)] for z in w]})
allw = np.linalg.eigvals(N.toarray())
dump('eigs.json', {'cases': eigs_cases, 'all': [[float(z.real), float(z.imag)] for z in allw]})

# ---------------------------------------------------------------------------- laplacian

W = np.zeros((7, 7))
edges = [(0, 1, 2.0), (0, 2, 1.0), (1, 2, 0.5), (2, 3, 3.0), (3, 4, 1.0), (4, 5, 0.25), (3, 5, 2.0)]
for i, j, v in edges:
    W[i, j] = W[j, i] = v
W[1, 1] = 4.0  # a self-loop: ignored by the Laplacian
# vertex 6 is isolated
dump('laplacian.json', {
    'adjacency': W.tolist(),
    'combinatorial': csgraph.laplacian(sp.csr_matrix(W), normed=False).toarray().tolist(),
    'normalized': csgraph.laplacian(sp.csr_matrix(W), normed=True).toarray().tolist(),
    'normalized_eigenvalues': [float(x) for x in np.linalg.eigvalsh(csgraph.laplacian(W, normed=True))],
    'components': int(csgraph.connected_components(sp.csr_matrix(W), directed=False)[0]),
})


# ---------------------------------------------------------------------------- Markov chains

def stationary(P):
    """The left null vector of P - I (numpy SVD), normalized to sum 1."""
    M = (P.T - np.eye(P.shape[0]))
    _, _, Vt = np.linalg.svd(M)
    v = Vt[-1]
    return v / v.sum()


def random_chain(n, per_row, seed):
    rng = np.random.default_rng(seed)
    P = np.zeros((n, n))
    for i in range(n):
        cols = rng.choice(n, per_row, replace=False)
        P[i, cols] = rng.random(per_row) + 0.05
        P[i, (i + 1) % n] += 0.1  # a ring keeps the chain irreducible
        P[i] /= P[i].sum()
    return P


chains = {}
P = random_chain(300, 4, 11)
write_mtx('chain-300.mtx', P)
chains['chain-300.mtx'] = {'pi': stationary(P).tolist(), 'period': 1}

# Periodic: a bipartite chain (states 0..19 -> 20..49 -> 0..19), period 2.
rng = np.random.default_rng(12)
B = np.zeros((50, 50))
for i in range(50):
    targets = np.arange(20, 50) if i < 20 else np.arange(0, 20)
    cols = rng.choice(targets, 3, replace=False)
    B[i, cols] = rng.random(3) + 0.1
    # Every state reachable (no transient ones): 0..19 -> 20 + i and 20 + (i + 20) % 30
    # cover 20..49; 20..49 -> (j - 20) % 20 covers 0..19.
    if i < 20:
        B[i, 20 + i] += 0.2
        B[i, 20 + (i + 20) % 30] += 0.2
    else:
        B[i, (i - 20) % 20] += 0.2
    B[i] /= B[i].sum()
write_mtx('chain-periodic-50.mtx', B)
chains['chain-periodic-50.mtx'] = {'pi': stationary(B).tolist(), 'period': 2}

# Transient states 0..4 feeding one closed class 5..14.
T = np.zeros((15, 15))
rng = np.random.default_rng(13)
for i in range(5):
    cols = rng.choice(15, 3, replace=False)
    T[i, cols] = rng.random(3) + 0.1
    T[i, 5 + i] += 0.3  # every transient state leaks into the closed class
    T[i] /= T[i].sum()
for i in range(5, 15):
    cols = rng.choice(np.arange(5, 15), 3, replace=False)
    T[i, cols] = rng.random(3) + 0.1
    T[i, 5 + (i - 4) % 10] += 0.2
    T[i] /= T[i].sum()
closed = stationary(T[5:, 5:])
pi = np.zeros(15)
pi[5:] = closed
write_mtx('chain-transient-15.mtx', T)
chains['chain-transient-15.mtx'] = {'pi': pi.tolist(), 'period': 1, 'transient': list(range(5))}

# Two closed classes {0, 1, 2} and {3, 4}, and a transient state 5.
R = np.array([
    [0.5, 0.5, 0, 0, 0, 0],
    [0, 0.5, 0.5, 0, 0, 0],
    [0.3, 0, 0.7, 0, 0, 0],
    [0, 0, 0, 0.1, 0.9, 0],
    [0, 0, 0, 1.0, 0, 0],
    [0.2, 0, 0, 0.3, 0, 0.5],
])
write_mtx('chain-reducible-6.mtx', R)

dump('stationary.json', chains)


# ---------------------------------------------------------------------------- PageRank

def pagerank_numpy(A, d=0.85, p=None):
    n = A.shape[0]
    p = np.full(n, 1.0 / n) if p is None else p / p.sum()
    out = A.sum(axis=1)
    dangling = out == 0
    P = np.divide(A, out[:, None], out=np.zeros_like(A), where=out[:, None] > 0)
    x = p.copy()
    for _ in range(10000):
        y = d * (x @ P + x[dangling].sum() * p) + (1 - d) * p
        y /= y.sum()
        if np.abs(y - x).sum() < 1e-15:
            return y
        x = y
    return x


rng = np.random.default_rng(21)
n = 200
A = (rng.random((n, n)) < 0.03) * (rng.random((n, n)) + 0.5)
A[rng.choice(n, 15, replace=False)] = 0  # dangling vertices
write_mtx('digraph-200.mtx', A)
pers = rng.random(n)
dump('pagerank.json', {
    'file': 'digraph-200.mtx',
    'default': pagerank_numpy(A).tolist(),
    'damping_0.5': pagerank_numpy(A, 0.5).tolist(),
    'personalization': pers.tolist(),
    'personalized': pagerank_numpy(A, 0.85, pers).tolist(),
})
print('wrote', sorted(os.listdir(OUT)))
