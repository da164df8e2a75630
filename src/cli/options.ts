/**
 * Options several commands share (`--delimiter`, `--header`, `--dtype`), the checks of
 * file arguments, and the {@link UsageError} that makes a bad option value exit with code 2
 * like commander's own usage errors. How option values are read: flags.ts.
 */
import { InvalidArgumentError as CommanderArgumentError, Option, type Command } from 'commander';
import { InvalidArgumentError } from '../errors.js';
import { formatOf, type FileFormat } from '../io/format-name.js';
import { DTYPES } from '../matrix/dtype.js';

/**
 * A mistake in how the command was called (exit code 2), as opposed to bad data (exit code
 * 1). This includes an option value the data cannot satisfy (`--rank 11` for a matrix with
 * 10 columns): the data is fine, the request is not; the message names the flag, the value
 * and the limit (flags.ts's `atMost`). Option values are read by the rules of flags.ts.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const DELIMITER_NAMES: Record<string, string> = {
  comma: ',',
  tab: '\t',
  '\\t': '\t',
  semicolon: ';',
  pipe: '|',
  space: 'whitespace',
  whitespace: 'whitespace',
};

/** Parse a `--delimiter` value: a single character or a name (comma, tab, semicolon, pipe, whitespace). */
export function parseDelimiter(value: string): string {
  const named = DELIMITER_NAMES[value.toLowerCase()];
  if (named !== undefined) return named;
  if (value.length === 1 && !/["\r\n]/.test(value)) return value;
  throw new CommanderArgumentError('expected one character or comma, tab, semicolon, pipe, whitespace');
}

/** `--delimiter <d>` for text input. */
export function delimiterOption(): Option {
  return new Option('--delimiter <d>', 'text input: field delimiter (a character, or comma, tab, semicolon, pipe, whitespace); detected by default').argParser(
    parseDelimiter,
  );
}

/** `--header <mode>` for text input. */
export function headerOption(): Option {
  return new Option('--header <mode>', 'text input: is the first row a header? (auto: only when every cell is a column name, none a number)')
    .choices(['auto', 'yes', 'no'])
    .default('auto');
}

/** The reader's `header` setting for a `--header` value. */
export function headerMode(value: string | undefined): boolean | 'auto' {
  return value === 'yes' ? true : value === 'no' ? false : 'auto';
}

/** The flags {@link addTextInputOptions} adds, as commander hands them over. */
export interface TextInputFlags {
  delimiter?: string;
  header?: string;
}

/** Add `--delimiter` and `--header` to a command that reads matrix files. */
export function addTextInputOptions(cmd: Command): Command {
  return cmd.addOption(delimiterOption()).addOption(headerOption());
}

/** The readers' text options for the flags of {@link addTextInputOptions}. */
export function textReadOptions(flags: TextInputFlags): { delimiter?: string; header: boolean | 'auto' } {
  return { delimiter: flags.delimiter, header: headerMode(flags.header) };
}

/** `--dtype <type>`: one of the library's {@link DTYPES}. */
export function dtypeOption(description: string): Option {
  return new Option('--dtype <type>', description).choices(DTYPES);
}

/** The format of a file named on the command line; an unknown extension is a usage error. */
export function fileFormat(path: string): FileFormat {
  try {
    return formatOf(path);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * Run `fn`, which reads or writes `path`; a file system error without a path (EISDIR from
 * `read()`, say) gets this one, so the one-line message can name the file.
 */
export async function onFile<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).path === undefined) {
      (e as NodeJS.ErrnoException).path = path;
    }
    throw e;
  }
}
