// Defensive file-system reads for the source reader: bounded sizes, errors as values with errno text.
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, statSync, type Dirent, type Stats } from 'node:fs';

/** List files and scripts larger than this are rejected rather than read. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export type ReadOutcome =
  | { ok: true; text: string; truncated: boolean }
  | { ok: false; errno: string; message: string; tooLarge?: number };

/** `ENOENT: no such file or directory` from a Node fs error. */
export function errnoText(e: unknown): string {
  const x = e as NodeJS.ErrnoException;
  if (x?.code) {
    const m = /^[A-Z]+: ([^,]*)/.exec(x.message ?? '');
    return `${x.code}: ${m?.[1] ?? x.message}`;
  }
  return String((x as Error)?.message ?? e);
}

export const errnoCode = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? 'EIO';

const failure = (e: unknown): ReadOutcome => ({ ok: false, errno: errnoCode(e), message: errnoText(e) });

/** O_NONBLOCK: a FIFO in a source tree must not hang the compiler. */
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** Small files fit the first buffer (from Node's shared pool: no allocation of its own). */
const FIRST_READ = 1024;

/**
 * The rest of a file whose first read filled the buffer: grow it and read until a short read
 * (see readText) or more than `max` bytes.
 */
function readRest(fd: number, first: Buffer, max: number): { buf: Buffer; n: number } {
  let buf = first;
  let n = first.length;
  while (n <= max) {
    const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 4));
    buf.copy(bigger, 0, 0, n);
    buf = bigger;
    const want = buf.length - n;
    const got = readSync(fd, buf, n, want, null);
    n += got;
    if (got < want) break;
  }
  return { buf, n };
}

/**
 * Read a file as text: UTF-8, or `latin1` for a byte-exact copy of a script. With `limit`, read
 * at most that many bytes and report truncation; without it, refuse files above MAX_FILE_BYTES.
 * Directories, FIFOs and devices are errors, never a hang.
 *
 * This runs for every file of every service, so it makes the fewest system calls: open, one
 * read, close. A read that returns less than it was asked for (but not nothing) is taken as end
 * of file: on Linux a regular file only reads short at its end, and not making the read that
 * would return 0 saves a tenth of the compiler's calls. An empty result is checked with fstat
 * (it may be a FIFO or a device).
 */
export function readText(path: string, limit?: number, encoding: 'utf8' | 'latin1' = 'utf8'): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (e) {
    return failure(e);
  }
  try {
    const max = limit ?? MAX_FILE_BYTES;
    let buf: Buffer = Buffer.allocUnsafe(Math.min(max + 1, FIRST_READ));
    let n = readSync(fd, buf, 0, buf.length, null);
    if (n === buf.length && n <= max) ({ buf, n } = readRest(fd, buf, max));
    if (n === 0 && !fstatSync(fd).isFile()) return { ok: false, errno: 'ENOTREG', message: 'not a regular file' };
    const truncated = n > max;
    if (truncated && limit === undefined) return { ok: false, errno: 'EFBIG', message: 'file too large', tooLarge: fstatSync(fd).size };
    return { ok: true, text: buf.toString(encoding, 0, truncated ? max : n), truncated };
  } catch (e) {
    return failure(e);
  } finally {
    closeSync(fd);
  }
}

export type NamesOutcome = { ok: true; names: string[] } | { ok: false; errno: string; message: string };

/** The entry names of a directory (no types: one getdents pass, no per-entry stat). */
export function readDirNames(path: string): NamesOutcome {
  try {
    return { ok: true, names: readdirSync(path) };
  } catch (e) {
    return { ok: false, errno: errnoCode(e), message: errnoText(e) };
  }
}

export type ListDirOutcome = { ok: true; entries: Dirent[] } | { ok: false; errno: string; message: string };

export function listDir(path: string): ListDirOutcome {
  try {
    return { ok: true, entries: readdirSync(path, { withFileTypes: true }) };
  } catch (e) {
    return { ok: false, errno: errnoCode(e), message: errnoText(e) };
  }
}

export type StatOutcome = { ok: true; stats: Stats } | { ok: false; errno: string; message: string };

/** stat (following symlinks), as s6-rc-compile does. */
export function statPath(path: string): StatOutcome {
  try {
    return { ok: true, stats: statSync(path) };
  } catch (e) {
    return { ok: false, errno: errnoCode(e), message: errnoText(e) };
  }
}
