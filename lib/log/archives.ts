// The file logger's directory: `current`, archives named @<tai64n>.s, rotation and pruning.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, constants } from 'node:fs';
import { join } from 'node:path';
import { tai64n } from './prefix.js';

export const CURRENT = 'current';
const ARCHIVE_RE = /^@[0-9a-f]{24}\.s$/;

/** Archive file names in DIR, oldest first (TAI64N labels sort by time). */
export function listArchives(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => ARCHIVE_RE.test(name))
    .sort();
}

/** A fresh archive name for the time given (bumped by a nanosecond if it exists). */
export function archiveName(dir: string, wallMs: number): string {
  for (let ns = 0; ; ns++) {
    const name = `${tai64n(wallMs, ns)}.s`;
    if (!existsSync(join(dir, name))) return name;
  }
}

/** Make a rename or unlink in DIR durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Rename DIR/current to DIR/@<tai64n>.s (the caller has fsynced and closed it) and delete the
 * oldest archives beyond `keep`. Throws on I/O errors (the logger turns them into warnings).
 */
export function archiveCurrent(dir: string, wallMs: number, keep: number): string {
  const name = archiveName(dir, wallMs);
  renameSync(join(dir, CURRENT), join(dir, name));
  const archives = listArchives(dir);
  for (const old of archives.slice(0, Math.max(0, archives.length - keep))) unlinkSync(join(dir, old));
  fsyncDir(dir);
  return name;
}
