/**
 * Nonnegative matrix factorization X ≈ W H (W >= 0, m x k; H >= 0, k x n), rows of X are
 * samples (scikit-learn's `NMF`, whose options, defaults and numbers this follows):
 *
 *   minimise  D_beta(X | W H) + l1_W ||W||_1 + l1_H ||H||_1 + l2_W/2 ||W||_F^2 + l2_H/2 ||H||_F^2
 *
 * with l1_W = n alphaW l1Ratio, l2_W = n alphaW (1 - l1Ratio), l1_H = m alphaH l1Ratio,
 * l2_H = m alphaH (1 - l1Ratio) (scikit-learn >= 1.2 scaling: penalties grow with the other
 * dimension so they stay balanced against the data term).
 *
 * Solvers:
 * - `'cd'` (default): coordinate descent / HALS (Cichocki & Phan 2009), Frobenius loss only;
 *   stops when the projected-gradient violation falls below `tol` times the first one.
 * - `'mu'`: multiplicative updates (Lee & Seung 2001; Févotte & Idier 2011 for any beta),
 *   any beta-divergence ('frobenius' = 2, 'kullback-leibler' = 1, 'itakura-saito' = 0, or a
 *   number); without penalties the loss never increases. Stops, checking every 10
 *   iterations, when the drop of sqrt(2 loss) since the last check is below `tol` times
 *   its value at the start.
 *
 * Initializations: 'random', 'nndsvd', 'nndsvda', 'nndsvdar' (Boutsidis & Gallopoulos 2008),
 * or 'custom' with given W and H. Dense (Matrix) and sparse (CsrMatrix) input; with sparse
 * input no m x n matrix is formed for beta in {1, 2}, and the loss's x-dependent terms run
 * over the nonzeros only. Every entry of W and H stays >= 0.
 */
import { ConvergenceError, InvalidArgumentError, ShapeError, check } from '../../errors.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { Matrix } from '../../matrix/matrix.js';
import { bool, checkOption, either, int, maybe, num, oneOf, opt, required, resolveOptions, satisfies, tableFor, type Constraint, type Resolved } from '../../options.js';
import type { LongTaskOptions } from '../../progress.js';
import { rng } from '../../random.js';
import { CdSolver } from './cd.js';
import { f64ColumnMajor, gemm, nmfData, type NMFInput, type NmfData } from './data.js';
import { Workspace } from '../../kernels/workspace.js';
import { initializeNmf, NMF_INIT_METHODS, type NMFInitMethod } from './init.js';
import { betaDivergence } from './loss.js';
import { MuFrobenius, muGamma, muUpdate } from './mu.js';

export type { NMFInput } from './data.js';
export type { NMFInitMethod } from './init.js';

/** NMF solvers: coordinate descent (HALS) or multiplicative updates. */
export const NMF_SOLVERS = ['cd', 'mu'] as const;
/** NMF solver: coordinate descent (HALS) or multiplicative updates. */
export type NMFSolver = (typeof NMF_SOLVERS)[number];
/** Starting points: the methods computed from the data, or 'custom' (options `W` and `H`). */
export const NMF_INITS = [...NMF_INIT_METHODS, 'custom'] as const;
/** How to start: a method computed from the data, or 'custom' (options `W` and `H`). */
export type NMFInit = (typeof NMF_INITS)[number];
/** The named beta-divergences: 'frobenius' (beta 2), 'kullback-leibler' (1), 'itakura-saito' (0). */
export const NMF_BETA_LOSSES = ['frobenius', 'kullback-leibler', 'itakura-saito'] as const;
/** The divergence minimised: a name or beta itself (2 Frobenius, 1 KL, 0 Itakura-Saito). */
export type NMFBetaLoss = (typeof NMF_BETA_LOSSES)[number] | number;

const BETA_LOSS = either(oneOf(NMF_BETA_LOSSES), num());
const MATRIX = satisfies('a Matrix', (v): v is Matrix => v instanceof Matrix);

/**
 * Options of {@link NMF}: `components` is required, the others are optional (defaults as
 * scikit-learn's `NMF`). Unknown keys are an error.
 */
export interface NMFOptions {
  /** Number of components k (the rank of W H), an integer >= 1. Required. */
  components: number;
  /**
   * Starting point: 'random', 'nndsvd', 'nndsvda', 'nndsvdar' or 'custom'. Default:
   * 'nndsvda' when k <= min(m, n), else 'random' (scikit-learn's default). 'custom' uses `W`
   * (m x k) and `H` (k x n). With solver 'mu', 'nndsvd' leaves zeros that multiplicative
   * updates can never move: prefer 'nndsvda'.
   */
  init?: NMFInit;
  /** Initial W (m x k, >= 0) for init 'custom' (and only then). Copied, never modified. */
  W?: Matrix;
  /** Initial H (k x n, >= 0) for init 'custom' (and only then). Copied, never modified. */
  H?: Matrix;
  /** 'cd' (coordinate descent / HALS, default) or 'mu' (multiplicative updates). */
  solver?: NMFSolver;
  /**
   * Divergence minimised: 'frobenius' (default), 'kullback-leibler', 'itakura-saito' or
   * beta itself (a finite number). Anything but Frobenius needs solver 'mu'.
   */
  betaLoss?: NMFBetaLoss;
  /** Stopping tolerance (see the solvers), >= 0; default 1e-4. 0 runs `maxIter` iterations. */
  tol?: number;
  /** Iteration cap, an integer >= 1; default 200. */
  maxIter?: number;
  /** Penalty weight on W, >= 0; default 0. */
  alphaW?: number;
  /** Penalty weight on H, >= 0, or 'same' (= alphaW, the default). */
  alphaH?: number | 'same';
  /** Mix of the penalties, in [0, 1]: 0 (default) pure L2, 1 pure L1 (sparse NMF). */
  l1Ratio?: number;
  /** Visit the components in a random order in each CD sweep; default false. */
  shuffle?: boolean;
  /** Seed (a finite number) of the random init, the randomized SVD of NNDSVD and the shuffling; default 0. */
  seed?: number;
}

const NMF_OPTIONS = tableFor<NMFOptions>()({
  components: required(int(1)),
  init: maybe(oneOf(NMF_INITS)),
  W: maybe(MATRIX),
  H: maybe(MATRIX),
  solver: opt(oneOf(NMF_SOLVERS), 'cd'),
  betaLoss: opt(BETA_LOSS, 'frobenius'),
  tol: opt(num(0), 1e-4),
  maxIter: opt(int(1), 200),
  alphaW: opt(num(0), 0),
  alphaH: opt(either(oneOf(['same'] as const), num(0)), 'same'),
  l1Ratio: opt(num(0, 1), 0),
  shuffle: opt(bool, false),
  seed: opt(num(), 0),
});

const NMF_CONSTRAINTS: Constraint<typeof NMF_OPTIONS>[] = [
  {
    ok: (o) => o.solver === 'mu' || betaOf(o.betaLoss) === 2,
    message: (o) => `solver 'cd' handles only the Frobenius loss; use solver 'mu' for betaLoss ${String(o.betaLoss)}`,
  },
  {
    ok: (o) => o.init !== 'custom' || (o.W !== undefined && o.H !== undefined),
    message: () => "init 'custom' needs both W (rows x components) and H (components x cols) as Matrix",
  },
  {
    ok: (o) => o.init !== 'custom' || (o.W!.cols === o.components && o.H!.rows === o.components),
    message: (o) => `custom W is ${o.W!.rows}x${o.W!.cols} and H ${o.H!.rows}x${o.H!.cols}; both need ${o.components} components`,
  },
  {
    ok: (o) => o.init === 'custom' || (o.W === undefined && o.H === undefined),
    message: () => "W and H are only used with init 'custom'",
  },
];

/** What {@link NMF.fitTransform} returns: the model and the transformed training data, as every estimator's fitTransform. */
export interface NMFFitTransform {
  /** The fitted model (H is `model.components`). */
  readonly model: NMFModel;
  /** W (m x k, >= 0): the training rows' loadings, X ≈ W model.components. */
  readonly transformed: Matrix;
  /** @deprecated The same matrix as `transformed` (its name before every fitTransform returned `{ model, transformed }`). */
  readonly W: Matrix;
}

/** Options of {@link NMF.fit}: progress (`stage: 'iteration'`, metrics.loss) and cancellation. */
export type NMFFitOptions = LongTaskOptions;

/** The resolved options of a fit, as stored on the model and in its JSON. */
export interface NMFSettings {
  /** Number of components k. */
  components: number;
  /** Starting point; 'auto' picks 'nndsvda' when k <= min(m, n), else 'random'. */
  init: NMFInit | 'auto';
  /** 'cd' (coordinate descent) or 'mu' (multiplicative updates). */
  solver: NMFSolver;
  /** beta as a number. */
  beta: number;
  /** Stopping tolerance; 0 runs `maxIter` iterations. */
  tol: number;
  /** Iteration cap. */
  maxIter: number;
  /** Penalty weight on W. */
  alphaW: number;
  /** Penalty weight on H ('same' resolved to alphaW). */
  alphaH: number;
  /** Mix of the penalties in [0, 1]: 0 pure L2, 1 pure L1. */
  l1Ratio: number;
  /** Visit the components in a random order in each CD sweep. */
  shuffle: boolean;
  /** Seed of the random init, the randomized SVD of NNDSVD and the shuffling. */
  seed: number;
}

/** What {@link NMFModel.toJSON} returns and {@link NMFModel.fromJSON} reads. */
export interface NMFModelJSON {
  /** Always 'NMF'. */
  readonly type: 'NMF';
  /** Format version; always 1. */
  readonly version: 1;
  /** The resolved options of the fit. */
  readonly settings: NMFSettings;
  /** H as rows (k arrays of n numbers). */
  readonly components: number[][];
  /** sqrt(2 D_beta(X | W H)) at the end of the fit (||X - W H||_F for Frobenius). */
  readonly reconstructionError: number;
  /** Iterations run. */
  readonly iterations: number;
  /** True when the stopping test passed before `maxIter`. */
  readonly converged: boolean;
  /** D_beta(X | W H) after each iteration, penalties excluded. */
  readonly lossHistory: number[];
}

/** Beta of a loss name. @throws InvalidArgumentError for an unknown name or a non-finite number. */
export function betaOf(loss: NMFBetaLoss): number {
  checkOption('NMF', 'betaLoss', BETA_LOSS, loss);
  if (loss === 'frobenius') return 2;
  if (loss === 'kullback-leibler') return 1;
  if (loss === 'itakura-saito') return 0;
  return loss;
}

/** The settings a model stores, from checked options (`init` undefined is 'auto', `alphaH` 'same' is alphaW). */
function settingsOf(o: Resolved<typeof NMF_OPTIONS>): NMFSettings {
  return {
    components: o.components, init: o.init ?? 'auto', solver: o.solver, beta: betaOf(o.betaLoss), tol: o.tol, maxIter: o.maxIter,
    alphaW: o.alphaW, alphaH: o.alphaH === 'same' ? o.alphaW : o.alphaH, l1Ratio: o.l1Ratio, shuffle: o.shuffle, seed: o.seed,
  };
}

/**
 * Nonnegative matrix factorization (see the module comment). The constructor checks the
 * options; {@link NMF.fit} / {@link NMF.fitTransform} run the solver.
 * @example
 * const nmf = new NMF({ components: 10, init: 'nndsvda', solver: 'cd' });
 * const { model, transformed: W } = nmf.fitTransform(X);   // X ≈ W model.components
 * model.transform(Xnew);                       // loadings of new rows, H fixed
 */
export class NMF {
  /** The checked options with defaults filled in (tol 1e-4, maxIter 200, solver 'cd', ...), as the model stores them. */
  readonly settings: NMFSettings;
  private readonly W0: Matrix | undefined;
  private readonly H0: Matrix | undefined;

  /**
   * Check the options against NMF's table and store them (custom W and H are copied).
   * @throws InvalidArgumentError naming the bad option (or an unknown one): components
   *   missing or not an integer >= 1, unknown init/solver/betaLoss, a beta-loss other than
   *   Frobenius with solver 'cd', tol < 0, maxIter < 1, negative alphas, l1Ratio outside
   *   [0, 1], init 'custom' without W and H, W or H given without init 'custom'.
   */
  constructor(options: NMFOptions) {
    const o = resolveOptions('NMF', NMF_OPTIONS, options, NMF_CONSTRAINTS);
    this.W0 = o.W?.copy();
    this.H0 = o.H?.copy();
    this.settings = settingsOf(o);
  }

  /**
   * Fit to X (m samples x n features, every entry >= 0) and return the model; W of the
   * training rows is dropped (use {@link NMF.fitTransform} to keep it).
   * @throws see {@link NMF.fitTransform}.
   */
  fit(X: NMFInput, options: NMFFitOptions = {}): NMFModel {
    return this.fitTransform(X, options).model;
  }

  /**
   * {@link NMF.fit} with a turn of the event loop between iterations (see runStepsAsync in
   * fit-async.ts): the same model bit for bit and the same progress reports, and a timer or
   * a button can abort it within about one iteration. The initialization (NNDSVD's
   * randomized SVD) runs as one block before the first iteration.
   * @throws (rejects with) the errors of {@link NMF.fitTransform}.
   */
  async fitAsync(X: NMFInput, options: NMFFitOptions = {}): Promise<NMFModel> {
    return (await runStepsAsync(this.steps(X, options), options.signal, 'NMF.fitAsync')).model;
  }

  /**
   * Fit to X and return `{ model, transformed }`: the model and W (m x k), X ≈ W
   * model.components (`W` is kept as a deprecated alias of `transformed`).
   *
   * Cost per iteration, k components: 'cd' two products X Ht and X^T W (4 m n k flops
   * dense, 4 nnz k sparse) plus O((m + n) k^2); 'mu' with beta = 2 the same; beta = 1 two
   * W H at X's stored positions and two weighted products (O(nnz k) sparse, O(m n k)
   * dense); other beta O(m n k) also for sparse input. The loss is recorded after every
   * iteration (free for beta = 2, one more W H for other beta). Float64 throughout.
   * @throws InvalidArgumentError for negative data, custom factors of the wrong shape, negative
   *   or all zero, an NNDSVD init with k > min(m, n), beta <= 0 with zeros in X;
   *   NonFiniteInputError for NaN/Inf; AbortedError when `signal` aborts; ConvergenceError
   *   when the loss becomes NaN/Infinity (data whose squares overflow float64: rescale it).
   */
  fitTransform(X: NMFInput, options: NMFFitOptions = {}): NMFFitTransform {
    return runSteps(this.steps(X, options), options.signal, 'NMF.fit');
  }

  /**
   * The fit as steps (one per iteration) for {@link NMF.fit}, {@link NMF.fitAsync} and
   * NMFTopics, which runs it after its vectorizer.
   * @internal
   */
  *steps(X: NMFInput, options: NMFFitOptions): FitSteps<NMFFitTransform> {
    return yield* withData(X, 'NMF.fit', (ws, data) => this.fitIn(ws, data, options));
  }

  private *fitIn(ws: Workspace, data: NmfData, options: NMFFitOptions): FitSteps<NMFFitTransform> {
    const { onProgress } = options;
    const st = this.settings;
    const { m, n } = data;
    const k = st.components;
    if (st.beta <= 0 && data.hasZero) throw new InvalidArgumentError('NMF.fit: with betaLoss <= 0 (e.g. itakura-saito) the data must not contain zeros; add a small constant or use beta > 0');
    let W: Float64Array;
    let Ht: Float64Array;
    if (this.W0 && this.H0) {
      W = customFactor(this.W0, m, k, 'W');
      Ht = customFactor(this.H0.T, n, k, 'H');
    } else {
      const method: NMFInitMethod = st.init === 'auto' ? (k <= Math.min(m, n) ? 'nndsvda' : 'random') : (st.init as NMFInitMethod);
      ({ W, Ht } = initializeNmf(data, k, method, st.seed));
    }
    const reg = regularization(st, m, n);
    const run = yield* solve(data, W, Ht, k, st, reg, true, onProgress, 'NMF.fit', ws);
    const H = new Matrix(Ht, n, k).T.copy();
    const loss = betaDivergence(data, W, Ht, k, st.beta);
    const model = new NMFModel(st, H, {
      reconstructionError: Math.sqrt(2 * Math.max(loss, 0)),
      iterations: run.iterations,
      converged: run.converged,
      lossHistory: run.lossHistory,
    });
    const loadings = new Matrix(W, m, k);
    return { model, transformed: loadings, W: loadings };
  }
}

/**
 * Run the steps of `fn` on the checked data in a fresh workspace (which holds the solvers'
 * state), and free both afterwards, even on error or abort. Yields once before checking the
 * data, where the signal was checked first.
 */
function* withData<T>(X: NMFInput, who: string, fn: (ws: Workspace, data: NmfData) => FitSteps<T>): FitSteps<T> {
  yield;
  const ws = new Workspace();
  try {
    const data = nmfData(X, who, ws);
    try {
      return yield* fn(ws, data);
    } finally {
      data.release();
    }
  } finally {
    ws.release();
  }
}

/** Penalties scaled as scikit-learn >= 1.2 (`_compute_regularization`). */
interface Regularization {
  l1W: number;
  l2W: number;
  l1H: number;
  l2H: number;
}

function regularization(st: NMFSettings, m: number, n: number): Regularization {
  return {
    l1W: n * st.alphaW * st.l1Ratio,
    l2W: n * st.alphaW * (1 - st.l1Ratio),
    l1H: m * st.alphaH * st.l1Ratio,
    l2H: m * st.alphaH * (1 - st.l1Ratio),
  };
}

/** A custom factor (rows x k) as column-major float64, checked >= 0 and not all zero. */
function customFactor(F: Matrix, rows: number, k: number, name: string): Float64Array {
  if (F.rows !== rows || F.cols !== k) {
    const [r, c] = name === 'W' ? [F.rows, F.cols] : [F.cols, F.rows];
    const [er, ec] = name === 'W' ? [rows, k] : [k, rows];
    throw new ShapeError(`NMF: custom ${name} is ${r}x${c}, expected ${er}x${ec}`);
  }
  const v = Float64Array.from(f64ColumnMajor(F));
  let max = 0;
  for (let p = 0; p < v.length; p++) {
    const x = v[p]!;
    if (!(x >= 0) || !Number.isFinite(x)) throw new InvalidArgumentError(`NMF: custom ${name} holds ${x}; it must be finite and >= 0`);
    max = Math.max(max, x);
  }
  if (max === 0) throw new InvalidArgumentError(`NMF: custom ${name} is all zeros`);
  return v;
}

interface SolveResult {
  iterations: number;
  converged: boolean;
  lossHistory: Float64Array;
}

/**
 * Run the solver in place on W (and Ht when `updateH`), yielding before each iteration.
 * Records the loss D_beta after each iteration. Shared by fitting (updateH true) and
 * transform (H fixed).
 * @throws ConvergenceError when an iteration's loss is not finite.
 */
function* solve(
  data: NmfData, W: Float64Array, Ht: Float64Array, k: number, st: NMFSettings, reg: Regularization, updateH: boolean,
  onProgress: LongTaskOptions['onProgress'], who: string, ws: Workspace,
): FitSteps<SolveResult> {
  const history: number[] = [];
  const order = Int32Array.from({ length: k }, (_, i) => i);
  const random = rng(st.seed);
  const report = (it: number, loss: number, extra: Record<string, number>): void => {
    // The loss is computed every iteration anyway: testing it is the divergence check.
    if (!Number.isFinite(loss)) {
      throw new ConvergenceError(
        `${who}: the loss became ${loss} at iteration ${it} (solver '${st.solver}', beta ${st.beta}); ` +
        'the data or the factors overflow float64: rescale X (e.g. divide it by its largest entry)',
      );
    }
    history.push(loss);
    onProgress?.({ stage: 'iteration', done: it, total: st.maxIter, metrics: { loss, ...extra } });
  };
  // The iteration at which the stopping test passed (0: it never did).
  let stoppedAt = 0;
  const outcome = (): SolveResult => ({ iterations: stoppedAt || st.maxIter, converged: stoppedAt > 0, lossHistory: Float64Array.from(history) });

  if (st.solver === 'cd') {
    const cd = new CdSolver(data, W, Ht, k, ws);
    let violationInit = 0;
    for (let it = 1; it <= st.maxIter && !stoppedAt; it++) {
      yield;
      if (st.shuffle) shuffleInPlace(order, random);
      let violation = cd.sweepW(order, reg.l1W, reg.l2W);
      let loss: number;
      if (updateH) {
        if (st.shuffle) shuffleInPlace(order, random);
        violation += cd.sweepH(order, reg.l1H, reg.l2H);
        loss = cd.lossAfterH();
      } else {
        loss = cd.lossAfterW();
      }
      if (it === 1) violationInit = violation;
      report(it, loss, { violation: violationInit === 0 ? 0 : violation / violationInit });
      if (violationInit === 0 || violation / violationInit <= st.tol) stoppedAt = it;
    }
    cd.readInto(W, Ht, updateH);
    return outcome();
  }

  // Multiplicative updates: one iteration updates W (and H) and returns the new loss.
  const beta = st.beta;
  let step: () => number;
  let finish = (): void => {};
  const errorAtInit = Math.sqrt(2 * Math.max(betaDivergence(data, W, Ht, k, beta), 0));
  if (beta === 2) {
    const mu = new MuFrobenius(data, W, Ht, k, ws);
    step = () => {
      mu.updateW({ l1: reg.l1W, l2: reg.l2W });
      if (!updateH) return mu.lossAfterW();
      mu.updateH({ l1: reg.l1H, l2: reg.l2H });
      return mu.lossAfterH();
    };
    finish = () => mu.readInto(W, Ht, updateH);
  } else {
    const gamma = muGamma(beta);
    step = () => {
      muUpdate(data, W, Ht, k, beta, gamma, 'W', { l1: reg.l1W, l2: reg.l2W });
      if (beta < 1) zeroTiny(W);
      if (updateH) {
        muUpdate(data, W, Ht, k, beta, gamma, 'H', { l1: reg.l1H, l2: reg.l2H });
        if (beta <= 1) zeroTiny(Ht);
      }
      return betaDivergence(data, W, Ht, k, beta);
    };
  }
  let previous = errorAtInit;
  for (let it = 1; it <= st.maxIter && !stoppedAt; it++) {
    yield;
    const loss = step();
    report(it, loss, {});
    if (st.tol > 0 && it % 10 === 0) {
      const error = Math.sqrt(2 * Math.max(loss, 0));
      if ((previous - error) / errorAtInit < st.tol) stoppedAt = it;
      previous = error;
    }
  }
  finish();
  return outcome();
}

/** Entries below float64 eps set to 0 (scikit-learn's stabilisation for beta < 1 / <= 1). */
function zeroTiny(A: Float64Array): void {
  for (let p = 0; p < A.length; p++) if (A[p]! < 2.220446049250313e-16) A[p] = 0;
}

function shuffleInPlace(a: Int32Array, r: ReturnType<typeof rng>): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.nextInt(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/** Facts about a finished fit. */
interface NMFFacts {
  reconstructionError: number;
  iterations: number;
  converged: boolean;
  lossHistory: Float64Array | readonly number[];
}

/**
 * A fitted NMF: the components H (k x n, >= 0) and the fit's history. Built by
 * {@link NMF.fit}, {@link NMF.fitTransform} or {@link NMFModel.fromJSON}.
 */
export class NMFModel {
  /** The resolved options of the fit. */
  readonly settings: NMFSettings;
  /** H, k x n (scikit-learn's `components_`), float64, every entry >= 0. */
  readonly components: Matrix;
  /**
   * sqrt(2 D_beta(X | W H)) at the end of the fit (for Frobenius, ||X - W H||_F), without
   * the penalties (scikit-learn's `reconstruction_err_`).
   */
  readonly reconstructionError: number;
  /** Iterations run. */
  readonly iterations: number;
  /** True when the stopping test passed before `maxIter`. */
  readonly converged: boolean;
  /** D_beta(X | W H) after each iteration (1/2 ||X - W H||_F^2 for Frobenius), penalties excluded. */
  readonly lossHistory: Float64Array;

  /** Built by {@link NMF.fitTransform} and {@link NMFModel.fromJSON}. */
  constructor(settings: NMFSettings, components: Matrix, facts: NMFFacts) {
    this.settings = Object.freeze({ ...settings });
    this.components = components;
    this.reconstructionError = facts.reconstructionError;
    this.iterations = facts.iterations;
    this.converged = facts.converged;
    this.lossHistory = Float64Array.from(facts.lossHistory);
  }

  /** Number of components k (scikit-learn's `n_components_`). */
  get nComponents(): number {
    return this.components.rows;
  }

  /** Number of features n the model expects (scikit-learn's `n_features_in_`). */
  get nFeatures(): number {
    return this.components.cols;
  }

  /** @deprecated Use {@link NMFModel.nComponents} (the same number; every fitted model names it so). */
  get rank(): number {
    return this.nComponents;
  }

  /** @deprecated Use {@link NMFModel.nFeatures} (the same number; every fitted model names it so). */
  get features(): number {
    return this.nFeatures;
  }

  /**
   * Loadings W (m x k, >= 0) of new rows X (m x n) with H fixed: the same solver, tol and
   * maxIter as the fit, started from zeros ('cd') or sqrt(mean(X) / k) ('mu'), as
   * scikit-learn's `transform`. Penalties on W apply (scaled by n).
   * @throws ShapeError when X has a different number of columns; as {@link NMF.fitTransform}.
   */
  transform(X: NMFInput, options: NMFFitOptions = {}): Matrix {
    return runSteps(withData(X, 'NMFModel.transform', (ws, data) => this.transformIn(ws, data, options)), options.signal, 'NMFModel.transform');
  }

  private *transformIn(ws: Workspace, data: NmfData, options: NMFFitOptions): FitSteps<Matrix> {
    const { m, n } = data;
    const k = this.nComponents;
    if (n !== this.nFeatures) throw new ShapeError(`NMFModel.transform: X has ${n} columns, the model was fitted on ${this.nFeatures}`);
    const st = this.settings;
    if (st.beta <= 0 && data.hasZero) throw new InvalidArgumentError('NMFModel.transform: with betaLoss <= 0 the data must not contain zeros');
    const W = new Float64Array(m * k);
    if (st.solver === 'mu') W.fill(Math.sqrt(data.sum / (m * n) / k));
    const Ht = f64ColumnMajor(this.components.T.copy());
    yield* solve(data, W, Ht, k, st, regularization(st, m, n), false, options.onProgress, 'NMFModel.transform', ws);
    return new Matrix(W, m, k);
  }

  /** W H: the data reconstructed from loadings W (m x k). One gemm, O(m n k). */
  inverseTransform(W: Matrix): Matrix {
    if (W.cols !== this.nComponents) throw new ShapeError(`NMFModel.inverseTransform: W has ${W.cols} columns, the model has ${this.nComponents} components`);
    const m = W.rows;
    const n = this.nFeatures;
    const k = this.nComponents;
    const out = new Float64Array(m * n);
    gemm(false, false, m, n, k, f64ColumnMajor(W), m, f64ColumnMajor(this.components), k, out);
    return new Matrix(out, m, n);
  }

  /** Plain-data form (nested arrays), e.g. for JSON.stringify. */
  toJSON(): NMFModelJSON {
    return {
      type: 'NMF',
      version: 1,
      settings: { ...this.settings },
      components: this.components.toArray(),
      reconstructionError: this.reconstructionError,
      iterations: this.iterations,
      converged: this.converged,
      lossHistory: Array.from(this.lossHistory),
    };
  }

  /**
   * Rebuild a model from {@link NMFModel.toJSON}'s output.
   * @throws InvalidArgumentError when `json` is not an NMF model of a known version or its
   *   components are negative or ragged.
   */
  static fromJSON(json: NMFModelJSON): NMFModel {
    check(typeof json === 'object' && json !== null && json.type === 'NMF' && json.version === 1, () => 'NMFModel.fromJSON: not an NMF model (type "NMF", version 1)');
    check(Array.isArray(json.components) && json.components.length >= 1, () => 'NMFModel.fromJSON: components must be a non-empty array of rows');
    const H = Matrix.from(json.components);
    for (let p = 0; p < H.data.length; p++) check(H.data[p]! >= 0, () => 'NMFModel.fromJSON: components must be >= 0');
    const s = json.settings;
    check(typeof s === 'object' && s !== null, () => 'NMFModel.fromJSON: settings must be an object (the resolved options of the fit)');
    // The settings go through the estimator's own table and constraints (missing ones take
    // the defaults); 'auto' and 'custom' are inits a fitted model records but that need no
    // (or custom) factors here.
    const o = resolveOptions('NMFModel.fromJSON', NMF_OPTIONS, {
      components: H.rows, init: s.init === 'auto' || s.init === 'custom' ? undefined : s.init, solver: s.solver, betaLoss: s.beta, tol: s.tol,
      maxIter: s.maxIter, alphaW: s.alphaW, alphaH: s.alphaH, l1Ratio: s.l1Ratio, shuffle: s.shuffle, seed: s.seed,
    }, NMF_CONSTRAINTS);
    const settings = settingsOf(o);
    if (s.init === 'custom') settings.init = 'custom';
    return new NMFModel(settings, H, {
      reconstructionError: json.reconstructionError,
      iterations: json.iterations,
      converged: json.converged,
      lossHistory: json.lossHistory ?? [],
    });
  }
}
