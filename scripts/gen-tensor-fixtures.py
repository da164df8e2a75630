#!/usr/bin/env python3
"""Reference results for the Tensor tests (test/tensor/tensor.test.ts) from numpy.

Run: /tmp/ref-venv/bin/python scripts/gen-tensor-fixtures.py
Writes test/fixtures/tensor/tensor.json: small 3-way and 4-way tensors (flat, in C and in
Fortran order) with numpy's results of unfold (TensorLy's convention,
np.moveaxis(T, k, 0).reshape(n_k, -1)), mode products with a random matrix, transposes,
slices and reshapes. Every array is stored as {"shape": [...], "c": flat values in C order}.

Also writes n-d .npy files with np.save (test/fixtures/tensor/npy/*.npy: 0 to 5 dimensions,
C and Fortran order, float64, float32, float16 and the integer and bool dtypes, format
versions 1.0 to 3.0) and test/fixtures/tensor/npy.json with, for each file, the header
fields numpy wrote and the values in C order (NaN and infinities spelled 'nan', 'inf', '-inf').
"""
import json
import os

import numpy as np

rng = np.random.default_rng(17)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "fixtures", "tensor")


def arr(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "c": [float(v) for v in a.ravel(order="C")]}


def unfold(T, k):
    return np.moveaxis(T, k, 0).reshape(T.shape[k], -1)


def mode_product(T, U, k):
    # T x_k U: contract U's columns with axis k, put the new axis back at k.
    return np.moveaxis(np.tensordot(U, T, axes=(1, k)), 0, k)


cases = []
for shape, perms, slices, reshapes in [
    ((3, 4, 5), [(2, 0, 1), (1, 2, 0), (0, 2, 1)],
     [[1, None, [1, 4]], [[0, 2], [1, 3], None], [None, 2]],
     [(12, 5), (5, -1, 2), (60,)]),
    ((2, 3, 4, 5), [(3, 1, 0, 2), (1, 0, 3, 2)],
     [[None, 1, [1, 3], None], [1, [0, 2], 3], [[0, 1], [2, 3], [0, 4], [4, 5]]],
     [(6, 20), (2, 12, 5), (4, 3, 10), (120,)]),
]:
    T = rng.standard_normal(shape)
    case = {"T": arr(T), "f": [float(v) for v in T.ravel(order="F")]}
    case["unfold"] = [arr(unfold(T, k)) for k in range(T.ndim)]
    case["modeProduct"] = []
    for k in range(T.ndim):
        U = rng.standard_normal((shape[k] + 2 - k, shape[k]))
        case["modeProduct"].append({"mode": k, "U": arr(U), "Y": arr(mode_product(T, U, k))})
    case["permute"] = [{"axes": list(p), "Y": arr(np.transpose(T, p))} for p in perms]
    sl = []
    for s in slices:
        idx = tuple(slice(None) if r is None else (slice(r[0], r[1]) if isinstance(r, list) else r) for r in s)
        sl.append({"ranges": s, "Y": arr(T[idx])})
    case["slice"] = sl
    case["reshape"] = [{"shape": list(r), "Y": arr(T.reshape(r))} for r in reshapes]
    # reshape of a transposed (non-contiguous) view, and of its Fortran-order storage
    p = perms[0]
    case["reshapePermuted"] = {"axes": list(p), "shape": [-1], "Y": arr(np.transpose(T, p).reshape(-1))}
    case["norm"] = float(np.linalg.norm(T.ravel()))
    cases.append(case)

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "tensor.json"), "w") as f:
    json.dump({"numpy": np.__version__, "cases": cases}, f)
print("wrote", os.path.join(OUT, "tensor.json"))

# ------------------------------------------------------------------ n-d .npy files

NPY = os.path.join(OUT, "npy")
os.makedirs(NPY, exist_ok=True)


def cell(v):
    v = float(v)
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


files = {}


def save(name, a, version=None):
    path = os.path.join(NPY, name)
    if version is None:
        np.save(path, a)
    else:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, a, version=version)
    back = np.load(path)
    files[name] = {
        "shape": list(back.shape),
        "descr": back.dtype.str,
        "fortranOrder": bool(back.flags.f_contiguous and not back.flags.c_contiguous),
        "values": [cell(v) for v in np.asarray(back, dtype=np.float64).ravel(order="C")],
    }


special = np.array([1.5, np.nan, -0.0, 5e-324, np.inf, -np.inf, 1 / 3, 1.7976931348623157e308])
save("f8_0d.npy", np.array(2.5))
save("f8_1d.npy", rng.standard_normal(7))
save("f8_2d_c.npy", rng.standard_normal((3, 4)))
save("f8_2d_f.npy", np.asfortranarray(rng.standard_normal((3, 4))))
save("f8_3d_c.npy", rng.standard_normal((2, 3, 4)))
save("f8_3d_f.npy", np.asfortranarray(rng.standard_normal((2, 3, 4))))
save("f8_4d_c.npy", rng.standard_normal((2, 3, 1, 5)))
save("f8_4d_f.npy", np.asfortranarray(rng.standard_normal((3, 2, 4, 2))))
save("f8_5d_c.npy", rng.standard_normal((2, 2, 3, 2, 3)))
save("f8_5d_f.npy", np.asfortranarray(rng.standard_normal((2, 3, 2, 2, 2))))
save("f8_3d_special.npy", special.reshape(2, 2, 2))
save("f8_3d_empty.npy", np.zeros((2, 0, 3)))
save("f4_3d_c.npy", rng.standard_normal((3, 2, 4)).astype(np.float32))
save("f4_4d_f.npy", np.asfortranarray(rng.standard_normal((2, 3, 2, 3)).astype(np.float32)))
save("f2_3d.npy", rng.standard_normal((2, 2, 3)).astype(np.float16))
save("i4_3d_f.npy", np.asfortranarray(rng.integers(-1000, 1000, (3, 2, 4)).astype(np.int32)))
save("i8_3d.npy", rng.integers(-(2**40), 2**40, (2, 3, 2)))
save("u1_4d.npy", rng.integers(0, 256, (2, 2, 2, 3)).astype(np.uint8))
save("i2_3d.npy", rng.integers(-30000, 30000, (2, 2, 2)).astype(np.int16))
save("b1_3d.npy", rng.integers(0, 2, (2, 3, 2)).astype(bool))
save("v2_f8_3d.npy", rng.standard_normal((2, 3, 2)), version=(2, 0))
save("v3_f8_3d_f.npy", np.asfortranarray(rng.standard_normal((2, 3, 2))), version=(3, 0))

with open(os.path.join(OUT, "npy.json"), "w") as f:
    json.dump({"numpy": np.__version__, "files": files}, f, indent=0)
print("wrote", len(files), "files to", NPY)
