/**
 * Option rules and input checks shared by the tensor-train routines (ttSvd, ttCross,
 * TensorTrain.round).
 * @internal
 */
import { InvalidArgumentError } from '../../errors.js';
import { either, int, satisfies, type Rule } from '../../options.js';

/** A per-bond rank cap: one integer >= 1 for every bond, or a list with one per bond. */
export type MaxRank = number | readonly number[];

/** The rule of a `maxRank` option (its length is checked against the bonds later, by {@link rankCaps}). */
export const MAX_RANK_RULE: Rule<MaxRank> = either(
  int(1),
  satisfies('an array of integers >= 1 (one per bond)', (v): v is readonly number[] => Array.isArray(v) && v.every((x) => Number.isSafeInteger(x) && x >= 1)),
);

/**
 * The cap of each of the `bonds` bonds (Infinity where none).
 * @throws InvalidArgumentError when a list has another length than the bonds.
 */
export function rankCaps(maxRank: MaxRank | undefined, bonds: number, routine: string): number[] {
  if (maxRank === undefined) return new Array<number>(bonds).fill(Infinity);
  if (typeof maxRank === 'number') return new Array<number>(bonds).fill(maxRank);
  if (maxRank.length !== bonds) {
    throw new InvalidArgumentError(`${routine}: option 'maxRank' lists ${maxRank.length} ranks; a ${bonds + 1}-way train has ${bonds} bonds, so give ${bonds} (or one number for all)`);
  }
  return [...maxRank];
}

/** "(i0, i1, ...)" for messages. */
export function showIndex(index: ArrayLike<number>): string {
  return `(${Array.from(index).join(', ')})`;
}
