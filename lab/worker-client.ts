/**
 * The main thread's side of the Lab's compute worker (lab/worker.ts): one module worker
 * (`worker.js`, built next to `lab.js`) shared by all instruments, and latest-wins channels.
 *
 * A channel ({@link latest}) keeps at most one request in flight. A request made while one
 * is running replaces any request still waiting (rapid slider moves coalesce: only the
 * newest settings are computed next), and a result whose settings have been superseded is
 * stale: it is dropped, unless nothing has been shown for `progressMs` (then it is shown so
 * a dragged slider still moves the picture, with the instrument kept busy). The channel is
 * busy from the first request until the newest settings' result is shown.
 */
import { paintHere, type DotPainter } from './dots.js';
import type { paintDotsJob } from './instruments/dots-jobs.js';
import type { JobFn, JobReply, JobRequest } from './worker.js';

type Pending = { resolve(v: unknown): void; reject(e: Error): void };

let worker: Worker | undefined;
let failed: string | undefined;
let nextId = 1;
const waiting = new Map<number, Pending>();
let backendResolve: (b: string) => void = () => {};
/** The compute worker's kernel backend ('wasm-simd', ...), once it has loaded them. */
export const workerBackend: Promise<string> = new Promise((r) => (backendResolve = r));

function getWorker(): Worker {
  if (worker) return worker;
  if (failed) throw new Error(failed);
  try {
    worker = new Worker(new URL('worker.js', document.baseURI), { type: 'module', name: 'lowrank-lab-compute' });
  } catch (e) {
    failed = `the compute worker could not start: ${e instanceof Error ? e.message : String(e)}`;
    throw new Error(failed);
  }
  worker.addEventListener('message', (e: MessageEvent<JobReply>) => {
    const r = e.data;
    if (r.id === 0) {
      if ('backend' in r) backendResolve(r.backend);
      return;
    }
    const p = waiting.get(r.id);
    if (!p) return;
    waiting.delete(r.id);
    if (r.ok) p.resolve('output' in r ? r.output : undefined);
    else p.reject(new Error(r.error));
  });
  worker.addEventListener('error', (e) => {
    failed = `the compute worker failed: ${e.message || 'could not load worker.js'}`;
    for (const p of waiting.values()) p.reject(new Error(failed));
    waiting.clear();
  });
  return worker;
}

/** Input type of a job function. */
export type JobInput<J extends JobFn> = Parameters<J>[0];
/** Output type of a job function. */
export type JobOutput<J extends JobFn> = Awaited<ReturnType<J>>;

/**
 * Run job `name` once in the worker. Prefer {@link latest} for anything a control drives.
 * Rejects with the job's error message.
 */
export function compute<J extends JobFn>(name: string, input: JobInput<J>, transfer: Transferable[] = []): Promise<JobOutput<J>> {
  return new Promise((resolve, reject) => {
    let w: Worker;
    try {
      w = getWorker();
    } catch (e) {
      reject(e as Error);
      return;
    }
    const id = nextId++;
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    const msg: JobRequest = { id, job: name, input };
    w.postMessage(msg, transfer);
  });
}

const handedOver = new WeakMap<HTMLCanvasElement, number>();
let canvasCount = 0;

/**
 * A {@link DotPainter} that paints in the compute worker: the first call for a canvas hands
 * it over (`transferControlToOffscreen`), every call sends the frame (job 'lab.dots',
 * instruments/dots-jobs.ts). Where a canvas cannot be handed over, it paints here.
 */
export const paintInWorker: DotPainter = (canvas, frame) => {
  let id = handedOver.get(canvas);
  let transfer: Transferable[] = [];
  let off: OffscreenCanvas | undefined;
  if (id === undefined) {
    if (typeof canvas.transferControlToOffscreen !== 'function' || failed) {
      paintHere(canvas, frame);
      return;
    }
    id = ++canvasCount;
    off = canvas.transferControlToOffscreen();
    handedOver.set(canvas, id);
    transfer = [off];
  }
  // A failed paint leaves the canvas blank; the chart's axes, legend and data table remain
  // (and a worker that failed has already said so through the instrument's own jobs).
  compute<typeof paintDotsJob>('lab.dots', { id, canvas: off, frame }, transfer).catch(() => undefined);
};

/** Options of {@link latest}. */
export interface LatestOptions<I, O> {
  /** Show a result: `input` is what it was computed from; `stale` when newer settings are already on their way. */
  onResult(output: O, input: I, stale: boolean): void;
  /** The job failed (its message); the instrument should say so in its summary. */
  onError?(message: string, input: I): void;
  /** Busy from the first request until the newest settings' result (or error) arrives; pass `shell.setBusy`. */
  onBusy?(busy: boolean): void;
  /** Show a stale result anyway when nothing was shown for this long (ms); default 150. Infinity: never. */
  progressMs?: number;
}

/** A latest-wins channel to one job. */
export interface Latest<I> {
  /** Ask for a result for `input` (coalesced with other requests made meanwhile). */
  request(input: I): void;
  /** True while a request is running or waiting. */
  readonly busy: boolean;
}

/** A latest-wins channel to job `name` (see the module comment). */
export function latest<J extends JobFn>(name: string, o: LatestOptions<JobInput<J>, JobOutput<J>>): Latest<JobInput<J>> {
  type I = JobInput<J>;
  let running = false;
  let queued: { input: I } | undefined;
  let generation = 0;
  let shownAt = performance.now();
  let busy = false;
  const progressMs = o.progressMs ?? 150;
  const setBusy = (on: boolean): void => {
    if (busy === on) return;
    busy = on;
    o.onBusy?.(on);
  };
  const start = (input: I): void => {
    running = true;
    const gen = generation;
    compute<J>(name, input).then(
      (out) => {
        running = false;
        const stale = gen !== generation;
        // The newest settings' result: not busy any more while it is shown (onResult may
        // start follow-up work that checks `busy`).
        if (!stale) setBusy(false);
        if (!stale || performance.now() - shownAt >= progressMs) {
          shownAt = performance.now();
          o.onResult(out, input, stale);
        }
        next();
      },
      (err: Error) => {
        running = false;
        const stale = gen !== generation;
        if (!stale) setBusy(false);
        if (!stale) o.onError?.(err.message, input);
        next();
      },
    );
  };
  const next = (): void => {
    if (!queued) return;
    const q = queued;
    queued = undefined;
    start(q.input);
  };
  return {
    request(input) {
      generation += 1;
      if (!busy) shownAt = performance.now(); // a new burst of changes starts now
      setBusy(true);
      if (running) {
        queued = { input };
        return;
      }
      start(input);
    },
    get busy() {
      return busy;
    },
  };
}
