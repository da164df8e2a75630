/**
 * Output helpers shared by the commands. Commands write through the output configuration
 * of their commander `Command` (set once in `run.ts`), never to `process.stdout` directly,
 * so `main()` can be run in-process with captured streams.
 */
import type { Command } from 'commander';

/** Anything with a `write(text)` method: `process.stdout`, a stream, or a test's collector. */
export interface Writer {
  write(text: string): unknown;
}

/** The function a command's action uses to print to stdout. */
export function stdoutOf(cmd: Command): (text: string) => void {
  const cfg = cmd.configureOutput();
  return (text) => void (cfg.writeOut ? cfg.writeOut(text) : process.stdout.write(text));
}

/** Print `value` as exactly one line of JSON (NaN and infinities become null, as JSON has neither). */
export function printJson(cmd: Command, value: unknown): void {
  stdoutOf(cmd)(JSON.stringify(value) + '\n');
}

/** `key  value` lines with the values aligned in one column. */
export function formatPairs(pairs: readonly (readonly [string, string])[]): string {
  const w = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n';
}

/** A number for people: six significant digits, `nan` / `inf` / `-inf`, integers in full. */
export function human(v: number | undefined): string {
  if (v === undefined) return '-';
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e6) return String(Number(v.toPrecision(6)));
  return v.toExponential(5).replace(/\.?0+e/, 'e');
}

/** Bytes for people: `512 B`, `1.5 KB`, `3.2 MB` (powers of 1024). */
export function humanBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let u = 0;
  let v = n;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}
