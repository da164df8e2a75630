/**
 * Round dots painted into pixels: the points of a scatter plot (charts.ts scatterChart).
 * No DOM here: the same code paints on the page's canvas or, from the Lab's compute worker,
 * on an OffscreenCanvas the page handed over (dots-jobs.ts), so a scatter of thousands of
 * points costs the page's main thread nothing but the hand-over.
 */

/** What to paint: a `width` x `height` pixel picture of dots on a plain background. */
export interface DotsFrame {
  readonly width: number;
  readonly height: number;
  /** Dot centres in pixels (x to the right, y down). */
  readonly xs: Float32Array;
  readonly ys: Float32Array;
  /** The dots' colours, three bytes (r, g, b) per dot. */
  readonly rgb: Uint8Array;
  /** Dot radius in pixels. */
  readonly radius: number;
  /** Background colour (r, g, b): the canvas is opaque. */
  readonly background: readonly [number, number, number];
}

/** Pixels as in ImageData: RGBA bytes, row-major. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/**
 * Paint the frame's dots into `img` (already holding the background), later dots over
 * earlier ones, with anti-aliased edges: a pixel's coverage falls linearly from 1 to 0 over
 * the pixel that straddles the circle (distance of its centre from the dot's centre
 * between r - 0.5 and r + 0.5), then source-over blending onto an opaque background.
 */
export function rasterDots(img: Pixels, f: DotsFrame): void {
  const { width: w, height: h, data } = img;
  const r = f.radius;
  for (let i = 0; i < f.xs.length; i++) {
    const cx = f.xs[i]!, cy = f.ys[i]!;
    if (!Number.isFinite(cx) || !Number.isFinite(cy)) continue;
    const cr = f.rgb[3 * i]!, cg = f.rgb[3 * i + 1]!, cb = f.rgb[3 * i + 2]!;
    const x0 = Math.max(0, Math.floor(cx - r - 1)), x1 = Math.min(w - 1, Math.ceil(cx + r + 1));
    const y0 = Math.max(0, Math.floor(cy - r - 1)), y1 = Math.min(h - 1, Math.ceil(cy + r + 1));
    for (let y = y0; y <= y1; y++) {
      const dy = y + 0.5 - cy;
      for (let x = x0; x <= x1; x++) {
        const dx = x + 0.5 - cx;
        const a = Math.min(1, r + 0.5 - Math.sqrt(dx * dx + dy * dy));
        if (a <= 0) continue;
        const o = 4 * (y * w + x);
        data[o] = cr * a + data[o]! * (1 - a);
        data[o + 1] = cg * a + data[o + 1]! * (1 - a);
        data[o + 2] = cb * a + data[o + 2]! * (1 - a);
        data[o + 3] = 255;
      }
    }
  }
}

/** A 2D context of a canvas or an OffscreenCanvas (the part used here). */
export interface DotsContext {
  createImageData(w: number, h: number): ImageData;
  putImageData(img: ImageData, x: number, y: number): void;
}

/** Paint the frame on a context whose canvas is already `f.width` x `f.height`. */
export function paintDots(ctx: DotsContext, f: DotsFrame): void {
  const img = ctx.createImageData(f.width, f.height);
  const [br, bg, bb] = f.background;
  const bytes = img.data;
  for (let o = 0; o < bytes.length; o += 4) {
    bytes[o] = br;
    bytes[o + 1] = bg;
    bytes[o + 2] = bb;
    bytes[o + 3] = 255;
  }
  rasterDots(img, f);
  ctx.putImageData(img, 0, 0);
}

/** Paints a frame of dots on a scatter's canvas (called again when the canvas is resized). */
export type DotPainter = (canvas: HTMLCanvasElement, frame: DotsFrame) => void;

/** Paint on the page's main thread (the default). */
export const paintHere: DotPainter = (canvas, frame) => {
  canvas.width = frame.width;
  canvas.height = frame.height;
  const ctx = canvas.getContext('2d', { alpha: false });
  if (ctx) paintDots(ctx, frame);
};
