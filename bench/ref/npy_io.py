"""Reference for bench/npy-io.ts: what `lowrank info` and `lowrank convert` do, with numpy.

Run as a whole process per timing (the benchmark times the process from outside):
  npy_io.py startup            import numpy, nothing else
  npy_io.py convert IN OUT     np.save(OUT, np.load(IN))
  npy_io.py info IN            np.load(IN) and the statistics `lowrank info` prints
                               (min, max, NaN and Inf counts, nonzeros, Frobenius norm)
"""
import sys

import numpy as np

mode = sys.argv[1]
if mode == "convert":
    np.save(sys.argv[3], np.load(sys.argv[2]))
elif mode == "info":
    a = np.load(sys.argv[2])
    finite = a[np.isfinite(a)]
    print(a.shape, a.dtype, np.count_nonzero(a), np.isnan(a).sum(), np.isinf(a).sum(), np.nanmin(a), np.nanmax(a), np.linalg.norm(finite))
elif mode != "startup":
    raise SystemExit(f"unknown mode {mode}")
