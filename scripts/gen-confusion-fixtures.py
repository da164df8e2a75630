#!/usr/bin/env python3
"""Real confusion matrices and reference axes for test/models/graph/confusion.test.ts and the CLI test.

A Gaussian naive Bayes classifier on scikit-learn's digits (1797 8x8 images, BSD), with
5-fold cross-validated predictions (sklearn.model_selection.cross_val_predict), gives a
10x10 confusion matrix with real structure. Writes
- test/fixtures/confusion/digits-nb.csv: the counts with a header row of labels;
- test/fixtures/confusion/digits-nb.json: counts, and numpy's reference for the default
  analysis (zero diagonal, rows divided by their totals, S = (D + D^T) / 2, eigenpairs of S
  by decreasing |eigenvalue|, sign: largest |entry| positive) and for the SVD of D.
Needs scikit-learn (e.g. /tmp/skl-venv/bin/python).
Run from the repository root: /tmp/skl-venv/bin/python scripts/gen-confusion-fixtures.py
"""
import json
import os

import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import cross_val_predict
from sklearn.naive_bayes import GaussianNB

OUT = os.path.join('test', 'fixtures', 'confusion')


def flip(u, v=None):
    i = int(np.argmax(np.abs(u)))
    if u[i] < 0:
        return (-u, None if v is None else -v)
    return (u, v)


def main():
    os.makedirs(OUT, exist_ok=True)
    X, y = load_digits(return_X_y=True)
    pred = cross_val_predict(GaussianNB(), X, y, cv=5)
    C = confusion_matrix(y, pred)
    labels = [str(i) for i in range(10)]
    with open(os.path.join(OUT, 'digits-nb.csv'), 'w') as f:
        f.write(','.join(labels) + '\n')
        for row in C:
            f.write(','.join(str(int(v)) for v in row) + '\n')

    D = C.astype(np.float64)
    np.fill_diagonal(D, 0)
    R = D / C.sum(axis=1, keepdims=True)
    S = (R + R.T) / 2
    w, V = np.linalg.eigh(S)
    order = sorted(range(len(w)), key=lambda i: (-abs(w[i]), -w[i]))
    eig = []
    for i in order[:3]:
        u, _ = flip(V[:, i])
        eig.append({'value': float(w[i]), 'explained': float(w[i] ** 2 / np.sum(S ** 2)), 'loadings': [float(x) for x in u]})
    U, s, Vt = np.linalg.svd(D)
    sv = []
    for i in range(2):
        u, v = flip(U[:, i], Vt[i])
        sv.append({'value': float(s[i]), 'explained': float(s[i] ** 2 / np.sum(D ** 2)), 'loadings': [float(x) for x in u], 'target_loadings': [float(x) for x in v]})
    data = {
        'source': 'GaussianNB on sklearn digits, cross_val_predict cv=5',
        'labels': labels,
        'counts': C.tolist(),
        'error_rate': float(D.sum() / C.sum()),
        'rows_symmetric': eig,
        'counts_svd': sv,
    }
    with open(os.path.join(OUT, 'digits-nb.json'), 'w') as f:
        json.dump(data, f, indent=1)
    print(C)
    for a in eig:
        print(round(a['value'], 4), round(a['explained'], 3), np.round(a['loadings'], 2))


if __name__ == '__main__':
    main()
