#!/usr/bin/env python3
"""Fixtures for test/models/text: scikit-learn's CountVectorizer / TfidfVectorizer on a
small corpus (hand-written edge cases + 16 passages of data/corpus/sotu.csv), and the top
singular values of a TF-IDF matrix (numpy).

Run: /tmp/skl-venv/bin/python scripts/gen-text-fixtures.py  (writes test/fixtures/text/vectorize.json)
"""
import csv
import json
import pathlib

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

root = pathlib.Path(__file__).resolve().parent.parent
edge = [
    "The quick brown fox jumps over the lazy dog.",
    "Café crème, naïve façade: résumé of a Zürich œuvre!",
    "snake_case and CamelCase, x y z 42 3.14 2nd A1 B2b",
    "It's a dog's life; isn't it? dogs DOGS Dogs",
    "Ünïcödé ẞtraße ΑΒΓ δέλτα и кириллица 東京 tokyo",
    "",
    "the the the the",
    "fox fox dog",
]
with open(root / "data/corpus/sotu.csv", newline="") as f:
    rows = list(csv.DictReader(f))
sotu = [r["text"] for r in rows[::66][:16]]
docs = edge + sotu

cases = [
    ("defaults", {}, {}),
    ("english", {"stop_words": "english"}, {}),
    ("pruned", {"stop_words": "english", "min_df": 2, "max_df": 0.5}, {"sublinear_tf": True}),
    # max_features cuts where total counts are not tied (numpy argsort is not stable)
    ("fraction_min", {"min_df": 0.05, "max_features": 52}, {"smooth_idf": False, "norm": "l1"}),
    ("accents_bigrams", {"strip_accents": "unicode", "ngram_range": (1, 2), "min_df": 2}, {}),
    ("binary_nocase", {"lowercase": False, "binary": True, "max_df": 10}, {"use_idf": False}),
]


def csr(X):
    X = X.tocsr()
    X.sort_indices()
    return {"indptr": X.indptr.tolist(), "indices": X.indices.tolist(), "data": X.data.tolist()}


out = {"docs": docs, "cases": []}
for name, count_opts, tfidf_opts in cases:
    cv = CountVectorizer(**count_opts)
    C = cv.fit_transform(docs)
    tv = TfidfVectorizer(**count_opts, **tfidf_opts)
    T = tv.fit_transform(docs)
    assert list(cv.get_feature_names_out()) == list(tv.get_feature_names_out())
    case = {
        "name": name,
        "count": {k: (list(v) if isinstance(v, tuple) else v) for k, v in count_opts.items()},
        "tfidf": tfidf_opts,
        "vocabulary": cv.get_feature_names_out().tolist(),
        "counts": csr(C),
        "weights": csr(T),
        "idf": tv.idf_.tolist() if tv.use_idf else None,
    }
    if name == "pruned":
        case["singularValues"] = np.linalg.svd(T.toarray(), compute_uv=False)[:5].tolist()
        q = ["taxes and the budget deficit", "peace and freedom in the world"]
        case["queries"] = q
        case["queryWeights"] = csr(tv.transform(q))
    out["cases"].append(case)
# analyzer output for the edge cases
out["tokens"] = {
    "defaults": [CountVectorizer().build_analyzer()(d) for d in edge],
    "english_accents_bigrams": [
        CountVectorizer(stop_words="english", strip_accents="unicode", ngram_range=(1, 2)).build_analyzer()(d) for d in edge
    ],
    "ascii": [CountVectorizer(strip_accents="ascii").build_analyzer()(d) for d in edge],
}
path = root / "test/fixtures/text/vectorize.json"
path.write_text(json.dumps(out, ensure_ascii=False))
print(path, path.stat().st_size)
