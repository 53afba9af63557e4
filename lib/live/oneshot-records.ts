// LIVE/oneshots: the exit statuses oneshot waiters record (one file per waiter pid), read by the next daemon's recovery.
import { closeSync, constants, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { ensurePrivateDir } from '../sys/private-dir.js';

/** The folder's name in the live directory. */
export const ONESHOT_RECORDS = 'oneshots';

/** Create LIVE/oneshots (a real, private directory); the reason when it cannot be used. */
export function prepareOneshotRecords(dir: string): Result<string, string> {
  const made = ensurePrivateDir(dir);
  return made.ok ? ok(dir) : err(made.error);
}

/** A record's text: the exit status and a newline (a partial write, or anything else, is no record). */
function readRecord(path: string): number | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(16);
    const m = /^(\d{1,3})\n$/.exec(buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('latin1'));
    const status = m ? Number(m[1]) : NaN;
    return status <= 255 ? status : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The complete records: waiter pid (its pgid) → exit status (128+N: killed by signal N, or exited so). */
export function readOneshotRecords(dir: string): Map<number, number> {
  const out = new Map<number, number>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const status = readRecord(join(dir, name));
    if (status !== null) out.set(Number(name), status);
  }
  return out;
}

/** Remove every record (after a recovery consumed them; before anything runs again). */
export function clearOneshotRecords(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) rmSync(join(dir, name), { force: true, recursive: true });
}

/** How a recorded status reads: "exit N", or "killed by signal N" read as 128+N. */
export function describeStatus(status: number, signalName: (n: number) => string | undefined): string {
  if (status > 128 && signalName(status - 128)) return `killed by ${signalName(status - 128)} (status ${status})`;
  return `exit ${status}`;
}
