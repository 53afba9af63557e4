// Helpers for choosing the multiplexer's destinations.
import { fstatSync } from 'node:fs';

/**
 * True when two fds are the same open file or pipe (e.g. `rc boot 2>&1 | cat`). Then stdout
 * and stderr lines should go through ONE Writable: two streams writing to one pipe can
 * interleave inside a line when the pipe is full and a write is partial.
 */
export function sameFile(fdA: number, fdB: number): boolean {
  try {
    const a = fstatSync(fdA);
    const b = fstatSync(fdB);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}
