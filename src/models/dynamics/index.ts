/**
 * Dynamics: singular spectrum analysis of time series, dynamic mode decomposition, and
 * control systems (Lyapunov and Sylvester equations, Gramians, balanced truncation).
 */
export {};
