/**
 * The `lowrank` command line, as a function: `main(argv, io)` parses `argv` (without the
 * `node` and script entries), runs the command and returns the exit code, so it can be
 * tested in-process with captured output.
 *
 * Exit codes: 0 success; 1 bad data or a missing file (a {@link LowrankError} or a file
 * system error); 2 usage errors (unknown command or option, missing argument, bad option
 * value, and a bad `LOWRANK_THREADS`). Every error is exactly one line on stderr,
 * `lowrank: <message>`, without a stack trace (set `LOWRANK_DEBUG=1` to get one for
 * unexpected errors). Running out of memory is exit 1 with the need named, never an
 * "internal error".
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { InvalidArgumentError, LowrankError, OutOfMemoryError } from '../errors.js';
import { isAllocationFailure } from '../matrix/memory.js';
import { UsageError } from './options.js';
import type { Writer } from './output.js';

/** Where `main` writes; defaults to the process's streams. */
export interface CliIO {
  stdout: Writer;
  stderr: Writer;
}

/** Version from package.json, found relative to this module (works from `src/cli` and `dist/cli`). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A command module's registration function. */
export type Registrar = (program: Command) => void;

/**
 * Every command module, in the order `lowrank --help` lists them, with the names of the
 * commands it registers. Modules are imported only when needed: loading all of them (and
 * all of the library behind them) was most of a short command's time, e.g. 0.17 s of
 * `lowrank info`'s 0.35 s before any work.
 */
const COMMANDS: readonly { names: readonly string[]; load: () => Promise<Registrar> }[] = [
  { names: ['info'], load: async () => (await import('./commands/info.js')).registerInfo },
  { names: ['convert'], load: async () => (await import('./commands/convert.js')).registerConvert },
  { names: ['matmul'], load: async () => (await import('./commands/matmul.js')).registerMatmul },
  { names: ['svd', 'qr', 'lu', 'cholesky', 'eigh', 'eig', 'solve', 'lstsq'], load: async () => (await import('./commands/factorize.js')).registerFactorize },
  { names: ['demo'], load: async () => (await import('./commands/demo.js')).registerDemo },
  { names: ['rank'], load: async () => (await import('./commands/rank.js')).registerRank },
  { names: ['angles'], load: async () => (await import('./commands/angles.js')).registerAngles },
  { names: ['recommend'], load: async () => (await import('./commands/recommend.js')).registerRecommend },
  { names: ['complete'], load: async () => (await import('./commands/complete.js')).registerComplete },
  { names: ['lab'], load: async () => (await import('./commands/lab.js')).registerLab },
  { names: ['compress'], load: async () => (await import('./commands/compress.js')).registerCompress },
  { names: ['confusion'], load: async () => (await import('./commands/confusion.js')).registerConfusion },
  { names: ['pca'], load: async () => (await import('./commands/pca.js')).registerPca },
  { names: ['topics'], load: async () => (await import('./commands/topics.js')).registerTopics },
  { names: ['lsa'], load: async () => (await import('./commands/lsa.js')).registerLsa },
  { names: ['embed'], load: async () => (await import('./commands/embed.js')).registerEmbed },
  { names: ['nmf'], load: async () => (await import('./commands/nmf.js')).registerNmf },
  { names: ['weights'], load: async () => (await import('./commands/weights.js')).registerWeights },
  { names: ['lora'], load: async () => (await import('./commands/lora.js')).registerLora },
  { names: ['embeddings'], load: async () => (await import('./commands/embeddings.js')).registerEmbeddings },
  { names: ['ssa'], load: async () => (await import('./commands/ssa.js')).registerSsa },
  { names: ['dmd'], load: async () => (await import('./commands/dmd.js')).registerDmd },
  { names: ['balred'], load: async () => (await import('./commands/balred.js')).registerBalred },
  { names: ['eigsh'], load: async () => (await import('./commands/eigsh.js')).registerEigsh },
  { names: ['spectral'], load: async () => (await import('./commands/spectral.js')).registerSpectral },
  { names: ['stationary'], load: async () => (await import('./commands/stationary.js')).registerStationary },
  { names: ['tt'], load: async () => (await import('./commands/tt.js')).registerTt },
  { names: ['tucker'], load: async () => (await import('./commands/tucker.js')).registerTucker },
  { names: ['cp'], load: async () => (await import('./commands/cp.js')).registerCp },
];

/**
 * The registration functions of the module registering command `name` (undefined when no
 * module does), or of every module.
 */
export async function loadCommands(name?: string): Promise<Registrar[] | undefined> {
  const modules = name === undefined ? COMMANDS : COMMANDS.filter((c) => c.names.includes(name));
  if (modules.length === 0) return undefined;
  return Promise.all(modules.map((c) => c.load()));
}

/**
 * Build the commander program with the commands `registrars` register (see
 * {@link loadCommands}); output goes through `output`, errors are thrown (exitOverride).
 */
export function createProgram(output: { writeOut(s: string): void; writeErr(s: string): void; outputError(s: string): void }, registrars: readonly Registrar[]): Command {
  const program = new Command();
  program
    .name('lowrank')
    .description('Matrix factorizations and matrix files (npy, Matrix Market, CSV) from the command line.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({
      writeOut: output.writeOut,
      writeErr: output.writeErr,
      outputError: (s) => output.outputError(s),
    })
    .showSuggestionAfterError(true);
  // Subcommands copy these settings when created, so they must be set first.
  for (const register of registrars) register(program);
  return program;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'file exists',
  ENOSPC: 'no space left on device',
  EMFILE: 'too many open files',
  EROFS: 'read-only file system',
};

// The clamp of LOWRANK_THREADS is reported once per process, however often main() runs.
let warnedThreads = false;

/**
 * Check `LOWRANK_THREADS` before a command runs (the library reads it only when the kernels
 * first start, which some commands never do): a bad value is a usage error naming it, and
 * more threads than cores is a one-line warning, since the library clamps silently.
 */
async function checkThreadsVariable(stderr: Writer): Promise<void> {
  // Only a set variable can be wrong or clamped. Without one the kernels' modules (with
  // their WASM builds, 230 kB of source) are not loaded, as commands such as info and
  // convert never compute: loading code is most of their time.
  if (process.env.LOWRANK_THREADS === undefined) return;
  const { threadInfo } = await import('../kernels/index.js');
  let t;
  try {
    t = threadInfo();
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new UsageError(e.message);
    throw e;
  }
  if (t.source === 'LOWRANK_THREADS' && t.requested > t.threads && !warnedThreads) {
    warnedThreads = true;
    stderr.write(`lowrank: warning: LOWRANK_THREADS=${t.requested} is more than the ${t.cores} cores of this machine; using ${t.threads} threads\n`);
  }
}

/**
 * The engine's own out-of-memory RangeError ("Array buffer allocation failed", "Invalid
 * typed array length", WebAssembly memory that cannot grow, ...) from an allocation no
 * estimate caught, as an OutOfMemoryError, so it ends like one (exit 1, its message) and
 * never as an "internal error"; anything else is returned as is.
 */
export function asMemoryError(e: unknown): unknown {
  if (!isAllocationFailure(e)) return e;
  return new OutOfMemoryError(`out of memory: ${e.message} (the input or a result is too large for this machine; try --dtype float32 or a smaller problem)`, undefined, { cause: e });
}

function fsMessage(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, path } = e as Error & { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return undefined;
  const what = FS_ERRORS[code] ?? e.message;
  return typeof path === 'string' ? `${path}: ${what}` : what;
}

/**
 * Run the `lowrank` command line.
 * @param argv - arguments after the program name, e.g. `['info', 'A.npy', '--json']`.
 * @param io - where to write; default `process.stdout` / `process.stderr`.
 * @returns the exit code (0, 1 or 2).
 */
export async function main(argv: readonly string[], io: Partial<CliIO> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const fail = (message: string, code: number): number => {
    stderr.write(`lowrank: ${oneLine(message)}\n`);
    return code;
  };
  if (argv.length === 0) return fail("missing command; try 'lowrank --help'", 2);

  // commander writes help to writeErr only when it is about to fail; that text is held
  // back and replaced by one line, so errors stay one line.
  let heldErr = '';
  const build = (registrars: readonly Registrar[]): Command =>
    createProgram(
      {
        writeOut: (s) => void stdout.write(s),
        writeErr: (s) => void (heldErr += s),
        outputError: (s) => void stderr.write(`lowrank: ${oneLine(s.replace(/^error: /, ''))}\n`),
      },
      registrars,
    );
  try {
    // A command named first needs only its own module; anything else (help, an unknown
    // name, an option first) gets every command, as it needs them to answer.
    // --version alone needs no command at all.
    const versionOnly = argv.length === 1 && (argv[0] === '-V' || argv[0] === '--version');
    const own = versionOnly ? [] : await loadCommands(argv[0]);
    let program = own && build(own);
    if (!program || (!versionOnly && !program.commands.some((c) => c.name() === argv[0]))) program = build((await loadCommands())!);
    // Before any command's action, not before --help or --version.
    program.hook('preAction', () => checkThreadsVariable(stderr));
    await program.parseAsync([...argv], { from: 'user' });
    if (heldErr) stderr.write(heldErr);
    return 0;
  } catch (thrown) {
    const e = asMemoryError(thrown);
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help, --version
      if (e.code === 'commander.help') {
        // `lowrank help nope` and option-only calls end in commander's help-on-error.
        const asked = argv[0] === 'help' ? argv[1] : undefined;
        return fail(asked !== undefined ? `unknown command '${asked}'` : "missing command; try 'lowrank --help'", 2);
      }
      return 2; // commander already printed the one-line message through outputError
    }
    if (e instanceof UsageError) return fail(e.message, 2);
    if (e instanceof LowrankError) return fail(e.message, 1);
    const fs = fsMessage(e);
    if (fs !== undefined) return fail(fs, 1);
    const code = fail(`internal error: ${e instanceof Error ? e.message : String(e)}`, 1);
    if (process.env.LOWRANK_DEBUG && e instanceof Error && e.stack) stderr.write(e.stack + '\n');
    return code;
  }
}
