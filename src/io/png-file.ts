/**
 * PNG files on disk (Node): {@link readPng} and {@link writePng} wrap the in-memory
 * {@link decodePng} / {@link encodePng} of `png.ts` (which stay browser-safe).
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './write-chunks.js';
import type { CheckedRaster, RasterImage } from '../models/image/raster.js';
import { decodePng, encodePng, type DecodePngOptions, type EncodePngOptions } from './png.js';

/**
 * Read a PNG file as a {@link RasterImage} (gray, gray + alpha, RGB or RGBA; 8 or 16 bits;
 * palette and low-bit-depth images are expanded, see `decodePng`). Images over
 * `maxPixels` pixels, by default `MAX_PNG_PIXELS` = 2^24 (16.8 megapixels: about 2 s to
 * decode as 8-bit RGB on a 2-core machine), are refused from their header, before anything
 * is decompressed.
 * @param path - the file; error messages start with it.
 * @param options - `maxPixels`: the largest image accepted, as for `decodePng`.
 * @throws ParseError naming the file when it is not a valid PNG or is larger than
 * `maxPixels`; InvalidArgumentError for a bad `maxPixels`; file system errors as Node's.
 */
export async function readPng(path: string, options: DecodePngOptions = {}): Promise<CheckedRaster> {
  return decodePng(await readFile(path), path, options);
}

/**
 * Write an image as a PNG file (color type from the channel count, the image's bit depth).
 * @throws InvalidArgumentError for an invalid image; file system errors as Node's.
 */
export async function writePng(path: string, image: RasterImage, options: EncodePngOptions = {}): Promise<void> {
  await writeFileAtomic(path, encodePng(image, options));
}
