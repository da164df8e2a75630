/**
 * Dynamics: singular spectrum analysis of time series, dynamic mode decomposition, and
 * control systems (Lyapunov and Sylvester equations, Gramians, balanced truncation).
 */
export { ssa, ssaAsync, mssa, mssaAsync, SsaBase, Ssa, Mssa, TrajectoryOperator, trajectoryMatrix, SSA_SOLVERS, SSA_FORECAST_METHODS } from './ssa.js';
export type { SsaOptions, SsaForecastOptions, SsaGroups, SsaSolver, SsaForecastMethod, SsaRecurrence } from './ssa.js';
export { dmd, Dmd } from './dmd.js';
export type { DmdOptions, DmdPredictOptions } from './dmd.js';
export { sylvester, lyapunov, lyapunovCholesky, gramians } from './lyapunov.js';
export type { Gramians } from './lyapunov.js';
export { balancedTruncation, BalancedTruncation, hankelSingularValues, frequencyResponse } from './balanced-truncation.js';
export type { StateSpace, BalancedTruncationOptions, FrequencyResponse } from './balanced-truncation.js';
