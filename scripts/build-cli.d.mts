/** Types of scripts/build-cli.mjs (imported by test/cli/bundle.test.ts). */
export interface BuildCliOptions {
  /** Output directory; default dist/bin. It is emptied first. */
  outdir?: string;
  /** No warnings on the console. */
  quiet?: boolean;
}
export function buildCli(options?: BuildCliOptions): Promise<{ outdir: string; entry: string; files: number }>;
