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

/**
 * Read a file as UTF-8. With `limit`, read at most that many bytes and report truncation;
 * without it, refuse files above MAX_FILE_BYTES.
 */
export function readText(path: string, limit?: number): ReadOutcome {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO in a source tree must not hang the compiler.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, errno: errnoCode(e), message: errnoText(e) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, errno: 'EISDIR', message: 'EISDIR: illegal operation on a directory' };
    if (!st.isFile()) return { ok: false, errno: 'ENOTREG', message: 'not a regular file' };
    const max = limit ?? MAX_FILE_BYTES;
    if (limit === undefined && st.size > max) return { ok: false, errno: 'EFBIG', message: 'file too large', tooLarge: st.size };
    const size = Math.min(st.size, max);
    const buf = Buffer.allocUnsafe(size + 1);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    const truncated = n > max;
    if (truncated && limit === undefined) return { ok: false, errno: 'EFBIG', message: 'file too large', tooLarge: n };
    return { ok: true, text: buf.toString('utf8', 0, Math.min(n, max)), truncated };
  } catch (e) {
    return { ok: false, errno: errnoCode(e), message: errnoText(e) };
  } finally {
    closeSync(fd);
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

/** Whether a directory entry is a directory, following a symlink (false when it dangles or loops). */
export function entryIsDir(dirent: Dirent, path: string): boolean {
  if (dirent.isDirectory()) return true;
  if (!dirent.isSymbolicLink()) return false;
  const st = statPath(path);
  return st.ok && st.stats.isDirectory();
}
