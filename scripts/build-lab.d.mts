/** Types of scripts/build-lab.mjs (imported by the Lab's end-to-end tests). */
export interface BuildLabOptions {
  /** Output directory; default dist/lab. It is emptied first. */
  outdir?: string;
  /** Minify the bundle; default true. */
  minify?: boolean;
  /** No warnings on the console. */
  quiet?: boolean;
}
export interface BuiltFile {
  path: string;
  bytes: number;
}
export function buildLab(options?: BuildLabOptions): Promise<{ outdir: string; files: BuiltFile[] }>;
