/**
 * Painting scatter points in the Lab's compute worker (lab/dots.ts): the page hands a
 * scatter's canvas over once (`transferControlToOffscreen`), then sends each frame of dots;
 * the worker paints and the compositor shows the result without the page's main thread.
 */
import { paintDots, type DotsFrame } from '../dots.js';

/** Input of 'lab.dots': the canvas the first time (transferred), the frame every time. */
export interface DotsInput {
  /** The page's name for the canvas (a number it counts up). */
  id: number;
  canvas?: OffscreenCanvas;
  frame: DotsFrame;
}

// The canvases handed over, newest last; a redrawn chart hands over a new one, so only the
// last few are kept (the page has dropped the older ones).
const canvases = new Map<number, OffscreenCanvas>();
const KEEP = 16;

/** Paint `frame` on canvas `id` (registering it when it comes along). Returns whether it was known. */
export function paintDotsJob(input: DotsInput): boolean {
  if (input.canvas) {
    canvases.set(input.id, input.canvas);
    while (canvases.size > KEEP) canvases.delete(canvases.keys().next().value!);
  }
  const canvas = canvases.get(input.id);
  if (!canvas) return false;
  const f = input.frame;
  if (canvas.width !== f.width) canvas.width = f.width;
  if (canvas.height !== f.height) canvas.height = f.height;
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) throw new Error('no 2D context on the OffscreenCanvas');
  paintDots(ctx, f);
  return true;
}

export const jobs = { 'lab.dots': paintDotsJob };
