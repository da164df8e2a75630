#!/usr/bin/env python3
"""Regenerate the PCA / IncrementalPCA / TruncatedSVD fixtures (test/fixtures/pca/*.json)
and the committed digits data set (data/digits/digits.npy, target.npy).

Needs numpy, scipy and scikit-learn (run with /tmp/skl-venv/bin/python). The tests never
run Python: they read the JSON written here.

Digits: the UCI ML hand-written digits (optdigits test set, 1797 8x8 images, values 0..16)
as shipped by scikit-learn (sklearn/datasets/data/digits.csv.gz, BSD-3-Clause).
"""
import json
import os

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA, IncrementalPCA, TruncatedSVD

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'pca')
DATA = os.path.join(ROOT, 'data', 'digits')


def rows(a):
    a = np.asarray(a, dtype=np.float64)
    return a.tolist()


def vec(a):
    return np.asarray(a, dtype=np.float64).reshape(-1).tolist()


def pca_case(X, **kw):
    p = PCA(**kw).fit(X)
    Xt = X[:6] if X.shape[0] > 6 else X
    Z = p.transform(Xt)
    return {
        'options': {k: v for k, v in kw.items()},
        'solver': p._fit_svd_solver,
        'n_components_': int(p.n_components_),
        'components_': rows(p.components_),
        'explained_variance_': vec(p.explained_variance_),
        'explained_variance_ratio_': vec(p.explained_variance_ratio_),
        'singular_values_': vec(p.singular_values_),
        'noise_variance_': float(p.noise_variance_),
        'mean_': vec(p.mean_),
        'transform_rows': Xt.shape[0],
        'transform': rows(Z),
        'inverse_transform': rows(p.inverse_transform(Z)),
        'covariance': rows(p.get_covariance()) if X.shape[1] <= 12 else None,
    }


def ipca_case(X, **kw):
    p = IncrementalPCA(**kw).fit(X)
    return {
        'options': kw,
        'n_components_': int(p.n_components_),
        'batch_size_': int(p.batch_size_),
        'components_': rows(p.components_),
        'explained_variance_': vec(p.explained_variance_),
        'explained_variance_ratio_': vec(p.explained_variance_ratio_),
        'singular_values_': vec(p.singular_values_),
        'noise_variance_': float(p.noise_variance_),
        'mean_': vec(p.mean_),
        'var_': vec(p.var_),
        'n_samples_seen_': int(p.n_samples_seen_),
        'transform': rows(p.transform(X[:6])),
    }


def tsvd_case(X, **kw):
    t = TruncatedSVD(**kw)
    Z = t.fit_transform(X)
    return {
        'options': kw,
        'components_': rows(t.components_),
        'singular_values_': vec(t.singular_values_),
        'explained_variance_': vec(t.explained_variance_),
        'explained_variance_ratio_': vec(t.explained_variance_ratio_),
        'transform': rows(Z[:6]),
    }


def random_low_rank(rng, m, n, decay):
    U, _ = np.linalg.qr(rng.standard_normal((m, min(m, n))))
    V, _ = np.linalg.qr(rng.standard_normal((n, min(m, n))))
    s = decay ** np.arange(min(m, n))
    return (U * s) @ V.T + 0.5


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(DATA, exist_ok=True)
    digits = load_digits()
    X = digits.data.astype(np.float64)
    np.save(os.path.join(DATA, 'digits.npy'), digits.data.astype(np.uint8))
    np.save(os.path.join(DATA, 'target.npy'), digits.target.astype(np.uint8))

    d = {'sklearn': sklearn.__version__, 'shape': list(X.shape)}
    full = pca_case(X)  # auto -> covariance_eigh (tall and skinny)
    k_keep = 40  # the trailing components of digits belong to (near-)zero, repeated eigenvalues
    full['components_'] = full['components_'][:k_keep]
    full['transform'] = None
    full['inverse_transform'] = None
    d['auto'] = full
    d['full10'] = pca_case(X, n_components=10, svd_solver='full')
    d['cov10_whiten'] = pca_case(X, n_components=10, whiten=True)
    d['frac95'] = pca_case(X, n_components=0.95)
    d['frac95']['components_'] = None
    d['ipca10'] = ipca_case(X, n_components=10, batch_size=200)
    d['tsvd10_arpack'] = tsvd_case(X, n_components=10, algorithm='arpack', random_state=0)
    d['tsvd10_randomized'] = tsvd_case(X, n_components=10, random_state=0)
    with open(os.path.join(OUT, 'digits.json'), 'w') as f:
        json.dump(d, f)

    rng = np.random.default_rng(8)
    small = {'sklearn': sklearn.__version__}
    tall = random_low_rank(rng, 30, 8, 0.6)
    wide = random_low_rank(rng, 7, 20, 0.7)
    small['tall'] = {'X': rows(tall), 'full3': pca_case(tall, n_components=3, svd_solver='full'),
                     'full3_whiten': pca_case(tall, n_components=3, svd_solver='full', whiten=True),
                     'all': pca_case(tall, svd_solver='full'),
                     'frac': pca_case(tall, n_components=0.9, svd_solver='full'),
                     'cov3': pca_case(tall, n_components=3, svd_solver='covariance_eigh'),
                     'ipca3': ipca_case(tall, n_components=3, batch_size=10),
                     'ipca_all': ipca_case(tall, batch_size=9),
                     'tsvd3': tsvd_case(tall, n_components=3, algorithm='arpack', random_state=0)}
    small['wide'] = {'X': rows(wide), 'full4': pca_case(wide, n_components=4, svd_solver='full'),
                     'all': pca_case(wide, svd_solver='full'),
                     'full4_whiten': pca_case(wide, n_components=4, svd_solver='full', whiten=True)}
    S = sp.random(40, 25, density=0.2, random_state=3, format='csr', data_rvs=lambda k: rng.standard_normal(k))
    coo = S.tocoo()
    small['sparse'] = {
        'shape': list(S.shape), 'row': coo.row.tolist(), 'col': coo.col.tolist(), 'val': vec(coo.data),
        'pca4_arpack': pca_case(S, n_components=4, svd_solver='arpack', random_state=0),
        'pca4_dense': pca_case(S.toarray(), n_components=4, svd_solver='full'),
        'tsvd5_arpack': tsvd_case(S, n_components=5, algorithm='arpack', random_state=0),
    }
    # pca_case on sparse: transform of the first rows came from sparse rows; keep as is.
    with open(os.path.join(OUT, 'small.json'), 'w') as f:
        json.dump(small, f)


if __name__ == '__main__':
    main()
