"""Write MovieLens ml-latest-small ratings (as shipped in Debian's r-cran-dslabs: 100,004 ratings,
671 users, 9,066 movies; research use only, so lowrank never commits them) to a CSV
`userId,movieId,rating` for bench/recommend-als.ts --ratings.

The package stores its data sets in R's lazy-load database (data/Rdata.rdx: a gzip'd serialized
index of name -> (offset, length); data/Rdata.rdb: per object a 4-byte length, a compression
byte and the compressed serialization). Parsed with the `rdata` package
(pip install --no-index --find-links /opt/pypi/files rdata).

Usage:
  apt-get download r-cran-dslabs && dpkg-deb -x r-cran-dslabs_*.deb dslabs
  python3 scripts/extract-dslabs-movielens.py dslabs/usr/lib/R/site-library/dslabs/data out.csv
"""
import bz2
import gzip
import lzma
import sys
import zlib

import rdata


def main() -> None:
    data_dir, out = sys.argv[1], sys.argv[2]
    index = rdata.conversion.convert(rdata.parser.parse_data(gzip.decompress(open(f"{data_dir}/Rdata.rdx", "rb").read())))
    offset, length = (int(v) for v in index["variables"]["movielens"])
    with open(f"{data_dir}/Rdata.rdb", "rb") as fh:
        fh.seek(offset)
        blob = fh.read(length)
    kind = blob[4:5]
    if kind == b"X":
        raw = lzma.decompress(blob[5:])
    elif kind == b"2":
        raw = bz2.decompress(blob[5:])
    elif kind == b"0":
        raw = blob[5:]
    else:
        raw = zlib.decompress(blob[4:])
    df = rdata.conversion.convert(rdata.parser.parse_data(raw))
    with open(out, "w") as fh:
        fh.write("userId,movieId,rating\n")
        for u, m, r in zip(df["userId"], df["movieId"], df["rating"]):
            fh.write(f"{int(u)},{int(m)},{float(r):g}\n")
    print(f"wrote {len(df)} ratings to {out}")


if __name__ == "__main__":
    main()
