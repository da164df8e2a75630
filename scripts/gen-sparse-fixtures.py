#!/usr/bin/env python3
"""Writes test/fixtures/sparse/: scipy.sparse results for small matrices, used by
test/sparse/*.test.ts.

cases.json: COO triples (with duplicates, explicit zeros, empty rows/columns, 0 x n,
n x 0, float32) and what scipy makes of them: CSR and CSC arrays after coo.tocsr()/tocsc()
(duplicates summed, indices sorted), row/column sums, Frobenius/1/inf norms, A @ x, A.T @ y,
A @ X, A.T @ Y.
*.mtx + mtx.json: Matrix Market coordinate files (general real, symmetric, pattern,
integer, skew-symmetric) and scipy.io.mmread(...).tocsr() of each.

Run: python3 scripts/gen-sparse-fixtures.py   (numpy 2.x, scipy 1.1x)"""
import io, json, os
import numpy as np
import scipy.sparse as sp
import scipy.io

root = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'sparse')
os.makedirs(root, exist_ok=True)
rng = np.random.default_rng(20261123)


def arr(a, dt=None):
    a = np.asarray(a)
    if dt is not None:
        a = a.astype(dt)
    return [float(v) for v in a.ravel(order='F')] if a.dtype.kind == 'f' else [int(v) for v in a.ravel(order='F')]


def case(name, m, n, row, col, val, dtype='float64', p=3):
    row = np.asarray(row, dtype=np.int64); col = np.asarray(col, dtype=np.int64)
    val = np.asarray(val, dtype=np.float64)
    A = sp.coo_matrix((val.astype(dtype), (row, col)), shape=(m, n))
    R = A.tocsr(); R.sum_duplicates()
    C = A.tocsc(); C.sum_duplicates()
    x = rng.standard_normal(n).astype(dtype); y = rng.standard_normal(m).astype(dtype)
    X = rng.standard_normal((n, p)).astype(dtype); Y = rng.standard_normal((m, p)).astype(dtype)
    D = R.toarray().astype(np.float64)
    return {
        'name': name, 'rows': m, 'cols': n, 'dtype': dtype,
        'row': arr(row), 'col': arr(col), 'val': arr(val.astype(dtype).astype(np.float64)),
        'csr': {'indptr': arr(R.indptr), 'indices': arr(R.indices), 'data': arr(R.data, np.float64)},
        'csc': {'indptr': arr(C.indptr), 'indices': arr(C.indices), 'data': arr(C.data, np.float64)},
        'rowSums': arr(D.sum(axis=1)), 'colSums': arr(D.sum(axis=0)),
        'fro': float(np.linalg.norm(D)) if D.size else 0.0,
        'norm1': float(np.abs(D).sum(axis=0).max()) if D.size else 0.0,
        'normInf': float(np.abs(D).sum(axis=1).max()) if D.size else 0.0,
        'x': arr(x, np.float64), 'y': arr(y, np.float64), 'p': p,
        'X': arr(X, np.float64), 'Y': arr(Y, np.float64),
        'Ax': arr(R @ x, np.float64), 'ATy': arr(R.T @ y, np.float64),
        'AX': arr(R @ X, np.float64), 'ATY': arr(R.T @ Y, np.float64),
    }


def rand_coo(m, n, nnz, dups=True):
    row = rng.integers(0, m, nnz); col = rng.integers(0, n, nnz)
    if dups and nnz > 4:
        row[:3] = row[3]; col[:3] = col[3]   # a triple duplicate
    return row, col, rng.standard_normal(nnz)


cases = []
r, c, v = rand_coo(7, 5, 20); cases.append(case('random 7x5 with duplicates', 7, 5, r, c, v))
r, c, v = rand_coo(12, 30, 60); cases.append(case('wide 12x30', 12, 30, r, c, v, p=5))
r, c, v = rand_coo(40, 6, 90); cases.append(case('tall 40x6 float32', 40, 6, r, c, v, dtype='float32', p=4))
# Empty rows and columns: only rows 1, 4 and columns 0, 5 are used.
cases.append(case('empty rows and cols', 6, 7, [1, 4, 4, 1, 4], [5, 0, 5, 0, 5], [1.5, -2, 3, 0.25, 4]))
cases.append(case('explicit zero and cancelling duplicates', 3, 3, [0, 1, 1, 2], [0, 2, 2, 1], [0.0, 1.0, -1.0, 2.0]))
cases.append(case('0 x 4', 0, 4, [], [], [], p=2))
cases.append(case('4 x 0', 4, 0, [], [], [], p=2))
cases.append(case('no entries 3x3', 3, 3, [], [], []))
# A long row in random order exercises the merge sort of long slices.
cols = rng.permutation(300)
cases.append(case('long unsorted row', 2, 300, np.r_[np.ones(300, int), [0, 0]], np.r_[cols, [7, 7]], rng.standard_normal(302), p=2))
with open(os.path.join(root, 'cases.json'), 'w') as f:
    json.dump(cases, f)

# Matrix Market files.
mtx = {
    'general.mtx': '%%MatrixMarket matrix coordinate real general\n% scipy reference\n4 5 7\n1 1 1.5\n3 2 -2\n4 5 3e-1\n1 1 0.5\n2 4 7\n4 1 -1\n3 5 2.25\n',
    'symmetric.mtx': '%%MatrixMarket matrix coordinate real symmetric\n4 4 5\n1 1 2\n2 1 -1\n3 2 4\n4 4 1.5\n4 1 0.5\n',
    'pattern.mtx': '%%MatrixMarket matrix coordinate pattern general\n3 4 4\n1 2\n3 4\n2 1\n3 1\n',
    'integer.mtx': '%%MatrixMarket matrix coordinate integer general\n2 3 3\n1 3 5\n2 1 -7\n2 2 11\n',
    'skew.mtx': '%%MatrixMarket matrix coordinate real skew-symmetric\n3 3 2\n2 1 1.5\n3 2 -2\n',
    'array.mtx': '%%MatrixMarket matrix array real general\n2 3\n1\n0\n0\n2.5\n-3\n0\n',
}
expected = {}
for name, text in mtx.items():
    with open(os.path.join(root, name), 'w') as f:
        f.write(text)
    M = scipy.io.mmread(io.StringIO(text))
    R = sp.csr_matrix(M) if not sp.issparse(M) else M.tocsr()
    R.sum_duplicates()
    if not sp.issparse(M):
        R.eliminate_zeros()
    expected[name] = {'rows': R.shape[0], 'cols': R.shape[1], 'indptr': arr(R.indptr), 'indices': arr(R.indices), 'data': arr(R.data, np.float64)}
with open(os.path.join(root, 'mtx.json'), 'w') as f:
    json.dump(expected, f, indent=1)
print(f'wrote {len(cases)} cases and {len(mtx)} Matrix Market files to {root}')
