/**
 * What an iterative tensor decomposition records about the run that made it: the fields
 * {@link CPDecomposition} and {@link TuckerDecomposition} share, declared once (each adds its
 * own history and, for Tucker, the method).
 */

/** The run facts every tensor decomposition class holds (see {@link FittedDecomposition}). */
export interface FitFacts {
  /** ||X - X̂||_F / ||X||_F at the end (0 for an all-zero X). */
  readonly relativeError: number;
  /** Sweeps run (CP-ALS sweeps; HOOI iterations, 0 for the HOSVDs). */
  readonly iterations: number;
  /** True when the `tol` test passed before `maxIter` (always true for the HOSVDs). */
  readonly converged: boolean;
}

/** Base of the decomposition classes: holds their {@link FitFacts}. */
export abstract class FittedDecomposition implements FitFacts {
  /** ||X - X̂||_F / ||X||_F at the end (0 for an all-zero X). */
  readonly relativeError: number;
  /** Sweeps run (CP-ALS sweeps; HOOI iterations, 0 for the HOSVDs). */
  readonly iterations: number;
  /** True when the `tol` test passed before `maxIter` (always true for the HOSVDs). */
  readonly converged: boolean;

  /** Copy the facts of the run (the subclass checks its own parts first). */
  protected constructor(facts: FitFacts) {
    this.relativeError = facts.relativeError;
    this.iterations = facts.iterations;
    this.converged = facts.converged;
  }
}
