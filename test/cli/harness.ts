/** Run the CLI in-process with captured output, and the assertions the CLI tests share. */
import assert from 'node:assert/strict';
import { main } from '../../src/cli/run.js';

/** Exit code and captured streams of one CLI run. */
export interface Run {
  code: number;
  out: string;
  err: string;
}

export async function run(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

/** Exit code `code`, nothing on stdout, exactly one `lowrank: ...` line on stderr matching `pattern`. */
export function assertFails(r: Run, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.err}`);
  assert.equal(r.out, '');
  assert.match(r.err, /^lowrank: [^\n]+\n$/, `one line on stderr: ${JSON.stringify(r.err)}`);
  assert.match(r.err, pattern);
}

/** stdout is exactly one line holding one JSON object; returns it. */
export function json(r: Run): Record<string, unknown> {
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.match(r.out, /^\{[^\n]*\}\n$/);
  return JSON.parse(r.out) as Record<string, unknown>;
}

