// Shared helpers for benchmarks: timing, reference runners, table printing.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

/** Best time in seconds of `fn` over repeats lasting at least `minTime` s (and >= 3 runs). */
export function bestTime(fn: () => void, minTime = 0.5, maxReps = 1000): number {
  fn();
  let best = Infinity;
  let total = 0;
  let reps = 0;
  while ((total < minTime || reps < 3) && reps < maxReps) {
    const t0 = performance.now();
    fn();
    const t = (performance.now() - t0) / 1000;
    best = Math.min(best, t);
    total += t;
    reps++;
  }
  return best;
}

/** Run a Python reference script; returns its parsed JSON stdout, or undefined with a note. */
/** Best of three timed runs of `f`, in seconds, with the last run's result. */
export function best3<T>(f: () => T): [number, T] {
  let best = Infinity;
  let out: T | undefined;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    out = f();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return [best, out!];
}

export function runPython(script: string, args: string[], env: Record<string, string> = {}): Record<string, number> | undefined {
  const r = spawnSync('python3', [script, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    console.error(`reference ${script} failed: ${r.stderr || r.error}`);
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

/** One line describing the machine, for BENCHMARKS.md. */
export function machine(): string {
  const c = cpus();
  return `${c[0]?.model ?? 'unknown CPU'} x${c.length}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

/** Print rows as a Markdown table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const fmt = (v: string | number) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : v);
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${r.map(fmt).join(' | ')} |`);
  return lines.join('\n');
}
