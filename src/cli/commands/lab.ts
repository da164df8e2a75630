import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { LowrankError } from '../../errors.js';
import { flagOption, integer } from '../flags.js';
import { startLabServer } from '../lab-server.js';
import { stdoutOf } from '../output.js';

/**
 * Where the built Lab is: `dist/lab` next to the compiled CLI (`dist/cli/commands/lab.js`
 * -> `dist/lab`), or, when running from sources through tsx, the repository's `dist/lab`.
 */
export function defaultLabDir(): string {
  const candidates = [new URL('../../lab/', import.meta.url), new URL('../../../dist/lab/', import.meta.url)];
  for (const c of candidates) {
    const dir = fileURLToPath(c);
    if (existsSync(resolve(dir, 'index.html'))) return dir;
  }
  return fileURLToPath(candidates[candidates.length - 1]!);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Open `url` in the desktop's browser; failures are ignored (the URL is printed anyway). */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no opener on this system
  }
}

/**
 * `lowrank lab`: serve the Lab (interactive instruments running lowrank in the page) on
 * this machine and print its URL; runs until interrupted (Ctrl-C).
 */
export function registerLab(program: Command): void {
  program
    .command('lab')
    .description('serve the Lab (interactive low-rank instruments, running lowrank in the browser) on localhost and print its URL')
    .addOption(flagOption('--port <n>', 'TCP port (0 picks a free one)', integer({ min: 0, max: 65535 }, { digits: true, what: 'an integer from 0 to 65535 (0 picks a free port)' }), { default: '0' }))
    .option('--host <addr>', 'interface to bind (the default serves this machine only)', '127.0.0.1')
    .addOption(new Option('--open <yes|no>', 'open the URL in the default browser').choices(['yes', 'no']).default('no'))
    .option('--dir <path>', 'directory of a built Lab (default: dist/lab of this installation)')
    .action(async (opts: { port: number; host: string; open: string; dir?: string }, cmd: Command) => {
      const port = opts.port;
      const root = opts.dir !== undefined ? resolve(opts.dir) : defaultLabDir();
      if (!existsSync(resolve(root, 'index.html'))) {
        throw new LowrankError(`the Lab is not built (no index.html in ${root}); run 'npm run build:lab' first`);
      }
      const out = stdoutOf(cmd);
      const lab = await startLabServer({ root, port, host: opts.host });
      out(`lowrank lab: serving ${root}\n`);
      out(`open ${lab.url}  (Ctrl-C to stop)\n`);
      if (!LOOPBACK.has(opts.host)) {
        process.stderr.write(`lowrank: warning: bound to ${opts.host}; other machines on the network can reach the Lab\n`);
      }
      if (opts.open === 'yes') openBrowser(lab.url);
      // Serve until the process is asked to stop; then close cleanly and exit 0.
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void lab.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        lab.server.on('close', done);
      });
    });
}
