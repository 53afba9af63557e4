// Atomic writes into the live directory: a unique temporary file created with O_EXCL (never an existing file or a planted symlink), then renamed over the target.
import { closeSync, constants, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';

let counter = 0;

/** A temporary name next to `target` that no other writer (this process or another) uses. */
export function uniqueTemp(target: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${target}.${process.pid}.${counter}.tmp`;
}

/** O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW: fails on anything already there, a symlink included. */
export const CREATE_NEW = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;
/** Open for appending, creating it if needed, never through a symlink. */
export const APPEND_NOFOLLOW = constants.O_CREAT | constants.O_APPEND | constants.O_WRONLY | constants.O_NOFOLLOW;

/** Write `text` to `target` atomically (synchronous). The temporary file never outlives a failure. */
export function writeAtomicSync(target: string, text: string, mode = 0o600): void {
  const tmp = uniqueTemp(target);
  const fd = openSync(tmp, CREATE_NEW, mode);
  try {
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Write `text` to `target` atomically (asynchronous). The temporary file never outlives a failure. */
export async function writeAtomic(target: string, text: string, mode = 0o600): Promise<void> {
  const tmp = uniqueTemp(target);
  const handle = await open(tmp, CREATE_NEW, mode);
  try {
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
