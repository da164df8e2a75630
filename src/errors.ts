/**
 * Typed errors. Every failure a user can act on is a subclass of {@link LowrankError},
 * so callers can `catch (e) { if (e instanceof ShapeError) ... }` and the CLI can map
 * error kinds to exit codes (usage = 2, data = 1).
 */

/** Base class of every error lowrank throws on purpose. */
export class LowrankError extends Error {
  /**
   * Create the error; `name` becomes the subclass's name (e.g. 'ShapeError').
   * @param message - what went wrong and what to do about it (shown to users as is).
   * @param options - `cause`: the underlying error, if any (standard `Error` option).
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Operand shapes do not fit the operation (e.g. `matmul` of 2x3 by 2x3). */
export class ShapeError extends LowrankError {}

/** An argument is outside its documented domain; the message names argument, rule and value. */
export class InvalidArgumentError extends LowrankError {}

/** The input holds NaN or Inf where the algorithm needs finite numbers. */
export class NonFiniteInputError extends LowrankError {}

/** A matrix is exactly singular (or singular to working precision) where an inverse is needed. */
export class SingularMatrixError extends LowrankError {}

/**
 * Cholesky met a non-positive pivot: the leading minor of order `pivot + 1` (0-based
 * `pivot`) is not positive definite.
 */
export class NotPositiveDefiniteError extends LowrankError {
  /** 0-based index of the failing pivot. */
  readonly pivot: number;
  /**
   * Create the error for a failing pivot.
   * @param message - the error message.
   * @param pivot - 0-based index of the failing pivot.
   */
  constructor(message: string, pivot: number) {
    super(message);
    this.pivot = pivot;
  }
}

/** An iterative algorithm did not converge within its iteration cap. */
export class ConvergenceError extends LowrankError {}

/**
 * Long work was cancelled through its `AbortSignal`. `reason` is the signal's reason
 * (undefined unless the caller gave one).
 */
export class AbortedError extends LowrankError {
  /** The signal's `reason` (undefined unless the caller gave one). */
  readonly reason: unknown;
  /**
   * Create the error from an aborted signal.
   * @param message - what was cancelled.
   * @param reason - the AbortSignal's reason.
   */
  constructor(message: string, reason?: unknown) {
    super(message);
    this.reason = reason;
  }
}

/** The requested feature is not available in this runtime (e.g. WASM SIMD missing). */
export class UnsupportedError extends LowrankError {}

/**
 * Memory for a request cannot be had: the estimate is beyond what a typed array can hold
 * (2^32 elements) or what the machine has, an allocation failed, or WebAssembly memory
 * (at most 4 GiB) is full. Thrown before the work starts where the need can be estimated,
 * so nothing has been computed or written when it arrives.
 *
 * @example
 * try {
 *   Matrix.zeros(1e5, 1e5);
 * } catch (e) {
 *   if (e instanceof OutOfMemoryError) e.bytes; // => 80000000000
 * }
 */
export class OutOfMemoryError extends LowrankError {
  /** Bytes the request needed, when known (undefined when only the failure is known). */
  readonly bytes: number | undefined;
  /**
   * Create the error.
   * @param message - what needed how much, and what there is (shown to users as is).
   * @param bytes - bytes the request needed, when known.
   * @param options - `cause`: the underlying error (e.g. the engine's RangeError).
   */
  constructor(message: string, bytes?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.bytes = bytes;
  }
}

/**
 * A file or byte stream could not be parsed. `file` names the source (path or a label
 * such as `<buffer>`), and `line` (1-based) or `byteOffset` (0-based) locates the problem.
 */
export class ParseError extends LowrankError {
  /** Path or label (such as `<buffer>`) of the source. */
  readonly file: string;
  /** 1-based line of the problem, when known. */
  readonly line: number | undefined;
  /** 0-based byte offset of the problem, when known (binary formats). */
  readonly byteOffset: number | undefined;
  /**
   * The message is `file:line: detail` (or `file at byte N: detail`).
   * @param file - path or label of the source.
   * @param where - `line` (1-based) or `byteOffset` (0-based); either may be omitted.
   * @param detail - what is wrong, in words a user can act on.
   * @param options - `cause`: the underlying error (e.g. a decoder's), if any.
   */
  constructor(
    file: string,
    where: { line?: number; byteOffset?: number },
    detail: string,
    options?: { cause?: unknown },
  ) {
    const loc =
      where.line !== undefined
        ? `:${where.line}`
        : where.byteOffset !== undefined
          ? ` at byte ${where.byteOffset}`
          : '';
    super(`${file}${loc}: ${detail}`, options);
    this.file = file;
    this.line = where.line;
    this.byteOffset = where.byteOffset;
  }
}

/** Throw an {@link InvalidArgumentError} unless `ok`; the message is built only on failure. */
export function check(ok: boolean, message: () => string): asserts ok {
  if (!ok) throw new InvalidArgumentError(message());
}
