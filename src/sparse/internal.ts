/**
 * Internal to src/sparse: a token that lets the sparse classes build each other from arrays
 * they already know to be valid, skipping the O(nnz) validation of the public constructors.
 * Not exported from the package.
 */
export const TRUSTED: unique symbol = Symbol('lowrank.sparse.trusted');

/** What a trusted construction passes along. */
export interface Trusted {
  readonly token: typeof TRUSTED;
  /** Indices strictly increase within every row/column. */
  readonly canonical: boolean;
}

export function trusted(canonical: boolean): Trusted {
  return { token: TRUSTED, canonical };
}
