/**
 * What the iterative tensor decompositions share, declared once: the options of their
 * stopping rule ({@link TensorSweepOptions}, which {@link cp} and {@link tucker} take) and
 * what each records about the run that made it, the fields {@link CPDecomposition} and
 * {@link TuckerDecomposition} share (each adds its own history and, for Tucker, the method).
 */
import { int, num, opt, tableFor } from '../../options.js';

/**
 * The stopping rule of the iterative tensor decompositions (CP-ALS sweeps, HOOI iterations):
 * at most `maxIter` sweeps, fewer once a sweep lowers the squared relative error by at most
 * `tol`. The options interfaces of {@link cp} and {@link tucker} extend it.
 */
export interface TensorSweepOptions {
  /** Cap on sweeps (CP-ALS sweeps; HOOI iterations: the HOSVDs make none), an integer >= 1; default 100. */
  maxIter?: number;
  /**
   * Stop when a sweep lowers the squared relative error ||X - X̂||_F^2 / ||X||_F^2 by at most
   * `tol` (for HOOI, equivalently: raises ||G||_F^2 / ||X||_F^2 by at most `tol`), a number
   * >= 0; default 1e-10. 0 runs `maxIter` sweeps.
   */
  tol?: number;
}

/** The rules and defaults of {@link TensorSweepOptions}, spread into the tables of cp and tucker. */
export const TENSOR_SWEEP_OPTIONS = tableFor<TensorSweepOptions>()({
  maxIter: opt(int(1), 100),
  tol: opt(num(0), 1e-10),
});

/**
 * The `tol` test of {@link TensorSweepOptions} after sweep `it` (1-based), given how much
 * that sweep lowered the squared relative error; the first sweep has nothing to compare with.
 */
export function sweepConverged(tol: number, it: number, decrease: number): boolean {
  return tol > 0 && it > 1 && decrease <= tol;
}

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
