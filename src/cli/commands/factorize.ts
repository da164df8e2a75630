/**
 * The dense decompositions and solvers, one file per command: `lowrank svd|qr|lu|cholesky|
 * eigh|eig A --out DIR` and `lowrank solve|lstsq A b --out DIR`, written as npy files with
 * numpy-checkable names. What they share (options, memory estimates, right-hand sides, the
 * run-and-write step): factor-files.ts.
 */
import type { Command } from 'commander';
import { registerCholesky } from './cholesky.js';
import { registerEig } from './eig.js';
import { registerEigh } from './eigh.js';
import { registerLstsq } from './lstsq.js';
import { registerLu } from './lu.js';
import { registerQr } from './qr.js';
import { registerSolve } from './solve.js';
import { registerSvd } from './svd.js';

/** Register svd, qr, lu, cholesky, eigh, eig, solve and lstsq (in this order in the help). */
export function registerFactorize(program: Command): void {
  registerSvd(program);
  registerQr(program);
  registerLu(program);
  registerCholesky(program);
  registerEigh(program);
  registerEig(program);
  registerSolve(program);
  registerLstsq(program);
}
