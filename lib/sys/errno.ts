// errno text: the symbolic name of a numeric errno from a libc call, and the code of a failed Node call.
import { constants } from 'node:os';

/** The first name Node lists for each number (EAGAIN before its alias EWOULDBLOCK). */
const NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(constants.errno)
    .reverse()
    .map(([name, code]) => [code, name]),
);

/** `EPERM` for 1, `EAGAIN` for 11, ...; `errno N` when Node knows no name for it. */
export function errnoName(code: number): string {
  return NAMES.get(code) ?? `errno ${code}`;
}

/** The errno code of a Node system error (`ENOENT`), or `fallback` when it carries none. */
export function errorCode(e: unknown, fallback = 'EIO'): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code !== '' ? code : fallback;
}
