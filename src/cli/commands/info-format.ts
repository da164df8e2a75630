/**
 * What `lowrank info` prints, as text or JSON, from a {@link FileInfo}: shared by the
 * command (info.ts) and its fast path for float .npy files (info-fast.ts), which must
 * print the same bytes. No commander here, so the fast path loads none.
 */
import type { FileInfo } from '../../io/inspect.js';
import { formatPairs, human, humanBytes } from '../output.js';

/**
 * The JSON object `lowrank info --json` prints: every FileInfo field, absent statistics as
 * null, and `header`: whether the first row of a text file was read as column names
 * (false for npy and mtx, which have none).
 */
export function infoJson(info: FileInfo): Record<string, unknown> {
  return { ...info, header: info.text?.header ?? false, min: info.min ?? null, max: info.max ?? null };
}

/** The lines `lowrank info FILE` prints: `key  value`, aligned. */
export function infoText(info: FileInfo): string {
  const pairs: [string, string][] = [
    ['file', `${info.path} (${humanBytes(info.bytes)})`],
    ['storage', info.storage],
    ['shape', info.shape ? info.shape.join(' x ') : `${info.rows} x ${info.cols}`],
    ['dtype', info.dtype],
  ];
  // n-d arrays: the number of elements, which the shape no longer shows at a glance
  if (info.shape) pairs.push(['size', `${info.shape.reduce((a, b) => a * b, 1)} elements`]);
  if (info.mtx?.format === 'coordinate') {
    const mirrored = info.mtx.symmetry === 'general' ? '' : ' (both triangles)';
    pairs.push(['entries', `${info.mtx.entries} stored${mirrored}`]);
  }
  pairs.push(
    ['nonzeros', `${info.nonzeros} (density ${human(100 * info.density)}%)`],
    ['frobenius', human(info.frobenius)],
    ['min', human(info.min)],
    ['max', human(info.max)],
    ['nan', String(info.nanCount)],
    ['inf', String(info.infCount)],
  );
  if (info.text) pairs.push(['header', info.text.header ? 'yes (the first row holds the column names)' : 'no (the first row is data)']);
  if (info.text?.columnNames) pairs.push(['columns', info.text.columnNames.join(', ')]);
  return formatPairs(pairs);
}
