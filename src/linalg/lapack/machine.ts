/**
 * float64 machine constants, named as LAPACK's dlamch names them. LAPACK routines use
 * either the unit roundoff ('E') or the precision ('P' = 2 'E'); each routine here keeps the
 * one its LAPACK counterpart uses.
 */

/** Unit roundoff 2^-53 (dlamch('E')). */
export const ROUNDOFF = 2 ** -53;
/** Relative precision 2^-52 = roundoff x base (dlamch('P')), numpy's finfo.eps. */
export const PRECISION = 2 ** -52;
/** Smallest normal number 2^-1022 (dlamch('S')); its reciprocal does not overflow. */
export const SAFMIN = 2 ** -1022;
