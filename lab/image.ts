/**
 * Images in the Lab: decode a dropped file with the browser's own decoder
 * (createImageBitmap, no PNG/JPEG library), downscale it so the SVDs stay interactive,
 * and convert between RGBA pixels and per-channel matrices (rows = image rows).
 */
import { Matrix } from '../src/browser.js';

/** Decode `blob` (PNG, JPEG, WebP, GIF...) and scale it so its longer side is at most `maxSide`. */
export async function decodeImage(blob: Blob, maxSide = 256): Promise<ImageData> {
  const bitmap = await createImageBitmap(blob);
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, w, h);
    return ctx.getImageData(0, 0, w, h);
  } finally {
    bitmap.close();
  }
}

/** Fetch an image shipped with the Lab and decode it. */
export async function fetchImage(url: string, maxSide = 256): Promise<ImageData> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return decodeImage(await res.blob(), maxSide);
}

/** One channel (0 red, 1 green, 2 blue) as a height x width matrix of values in [0, 1]. */
export function channel(img: ImageData, c: number): Matrix {
  const { width: w, height: h, data } = img;
  const M = Matrix.zeros(h, w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) M.set(y, x, data[4 * (y * w + x) + c]! / 255);
  return M;
}

/** Luminance (Rec. 601 weights) as a height x width matrix in [0, 1]. */
export function luminance(img: ImageData): Matrix {
  const { width: w, height: h, data } = img;
  const M = Matrix.zeros(h, w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = 4 * (y * w + x);
      M.set(y, x, (0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!) / 255);
    }
  }
  return M;
}

/** True when R, G and B are equal everywhere (a grayscale picture). */
export function isGray(img: ImageData): boolean {
  const d = img.data;
  for (let p = 0; p < d.length; p += 4) if (d[p] !== d[p + 1] || d[p] !== d[p + 2]) return false;
  return true;
}

/** RGBA pixels from channel matrices (one for gray, three for color), values clamped to [0, 1]. */
export function toImageData(channels: readonly Matrix[]): ImageData {
  const h = channels[0]!.rows, w = channels[0]!.cols;
  const img = new ImageData(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = 4 * (y * w + x);
      for (let c = 0; c < 3; c++) {
        const M = channels.length === 1 ? channels[0]! : channels[c]!;
        img.data[p + c] = Math.round(255 * Math.min(1, Math.max(0, M.get(y, x))));
      }
      img.data[p + 3] = 255;
    }
  }
  return img;
}

/**
 * A built-in test picture (no file needed): soft shading, a few discs and stripes, so its
 * spectrum decays at a rate between the fast and slow synthetic ones. RGB.
 */
export function syntheticPicture(w = 192, h = 144): ImageData {
  const img = new ImageData(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = x / w, v = y / h;
      let r = 0.35 + 0.4 * v, g = 0.55 + 0.3 * v, b = 0.85 - 0.2 * v; // sky gradient
      if (v > 0.62 + 0.05 * Math.sin(9 * u)) { r = 0.25 + 0.1 * Math.sin(40 * u); g = 0.5; b = 0.2; } // hills
      const d = Math.hypot(u - 0.72, v - 0.25);
      if (d < 0.1) { r = 1; g = 0.85; b = 0.3; } // sun
      if (u > 0.15 && u < 0.35 && v > 0.4 && v < 0.8) { // house with stripes
        const stripe = Math.floor(y / 4) % 2;
        r = 0.7 + 0.2 * stripe; g = 0.3; b = 0.25;
        if (u > 0.22 && u < 0.28 && v > 0.6) { r = 0.3; g = 0.2; b = 0.1; }
      }
      const p = 4 * (y * w + x);
      img.data[p] = Math.round(255 * r); img.data[p + 1] = Math.round(255 * g); img.data[p + 2] = Math.round(255 * b); img.data[p + 3] = 255;
    }
  }
  return img;
}

/** A drop zone plus a keyboard-reachable file button; `onFile` gets the chosen file. */
export function fileDrop(name: string, label: string, accept: string, onFile: (f: File) => void): HTMLElement {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = accept;
  input.setAttribute('data-control', name);
  input.id = `${name}-file`;
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) onFile(f);
  });
  const lab = document.createElement('label');
  lab.htmlFor = input.id;
  lab.textContent = label;
  const zone = document.createElement('div');
  zone.className = 'drop';
  zone.append(lab, input);
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) onFile(f);
  });
  return zone;
}
