#!/bin/sh
# Write MovieLens "latest-small" ratings (100,004 ratings, 671 users, 9,066 movies), as Debian's
# r-cran-dslabs ships them, to a CSV `userId,movieId,rating,timestamp` with Rscript.
# The data are under MovieLens' non-commercial research licence: lowrank never commits them;
# write them outside the repository (default /tmp/movielens-small.csv).
#
#   apt-get install -y --no-install-recommends r-cran-dslabs    # once (it brings R)
#   sh scripts/extract-movielens.sh [out.csv]
#
# Without Rscript or the dslabs package it says which is missing and exits 0 without writing
# anything (bench/movielens.ts then skips). scripts/extract-dslabs-movielens.py reads the same
# data without R (from the .deb's lazy-load database, with the `rdata` Python package).
set -eu
out=${1:-/tmp/movielens-small.csv}
if ! command -v Rscript >/dev/null 2>&1; then
  echo "extract-movielens: Rscript not found (apt-get install r-cran-dslabs installs R and the data): skipped, nothing written" >&2
  exit 0
fi
if ! Rscript -e 'quit(status = if (requireNamespace("dslabs", quietly = TRUE)) 0 else 1)' >/dev/null 2>&1; then
  echo "extract-movielens: the R package dslabs is not installed (apt-get install r-cran-dslabs): skipped, nothing written" >&2
  exit 0
fi
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
Rscript -e '
  out <- commandArgs(TRUE)[1]
  data("movielens", package = "dslabs", envir = environment())
  r <- movielens[, c("userId", "movieId", "rating", "timestamp")]
  write.csv(r, out, row.names = FALSE, quote = FALSE)
  cat(sprintf("extract-movielens: %d ratings, %d users, %d movies\n", nrow(r), length(unique(r$userId)), length(unique(r$movieId))))
' "$tmp"
mv "$tmp" "$out"
trap - EXIT
echo "extract-movielens: wrote $out"
