// Defensive file-system reads for the source reader: bounded sizes, errors as values with errno text.
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, statSync, type Dirent, type Stats } from 'node:fs';

/** List files and scripts larger than this are rejected rather than read. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export type ReadOutcome =
  | { ok: true; text: string; truncated: boolean }
  | { ok: false; errno: string; message: string; tooLarge?: number };

export type ReadBytesOutcome =
  | { ok: true; bytes: Buffer; truncated: boolean }
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

/**
 * Read from `fd` until EOF or more than `max` bytes; the buffer grows as needed. A read that
 * returns less than it was asked for (but not nothing) is taken as end of file: on Linux a
 * regular file only reads short at its end, and skipping the read that would return 0 saves
 * one system call per file (a tenth of the compiler's calls). An empty result is checked by
 * the caller (it may be a FIFO or a device).
 */
function drain(fd: number, max: number): { buf: Buffer; n: number } {
  // Small first buffer: it comes from Node's shared pool (no allocation per file).
  let buf = Buffer.allocUnsafe(Math.min(max + 1, 1024));
  let n = 0;
  for (;;) {
    const want = buf.length - n;
    const got = readSync(fd, buf, n, want, null);
    n += got;
    if (got < want || n > max) return { buf, n };
    const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 4)); // full: grow
    buf.copy(bigger, 0, 0, n);
    buf = bigger;
  }
}

/**
 * Read a file's bytes. With `limit`, read at most that many and report truncation; without it,
 * refuse files above MAX_FILE_BYTES. Directories, FIFOs and devices are errors, never a hang.
 * (open + read + close: the fewest system calls, as this runs for every file of every service.)
 */
export function readBytes(path: string, limit?: number): ReadBytesOutcome {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO in a source tree must not hang the compiler.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, errno: errnoCode(e), message: errnoText(e) };
  }
  try {
    const max = limit ?? MAX_FILE_BYTES;
    const { buf, n } = drain(fd, max);
    if (n === 0 && !fstatSync(fd).isFile()) return { ok: false, errno: 'ENOTREG', message: 'not a regular file' };
    const truncated = n > max;
    if (truncated && limit === undefined) return { ok: false, errno: 'EFBIG', message: 'file too large', tooLarge: fstatSync(fd).size };
    return { ok: true, bytes: buf.subarray(0, Math.min(n, max)), truncated };
  } catch (e) {
    return { ok: false, errno: errnoCode(e), message: errnoText(e) };
  } finally {
    closeSync(fd);
  }
}

/** readBytes decoded as UTF-8. */
export function readText(path: string, limit?: number): ReadOutcome {
  const r = readBytes(path, limit);
  return r.ok ? { ok: true, text: r.bytes.toString('utf8'), truncated: r.truncated } : r;
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
