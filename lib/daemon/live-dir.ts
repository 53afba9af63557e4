// The live directory: created mode 0700, locked so only one daemon runs on it, and the paths of what lives in it.
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { CONTROL_SOCKET } from '../control/protocol.js';
import { lockFile, type FileLock } from './flock.js';

export const DEFAULT_LIVE = '/run/rc';

export interface LivePaths {
  dir: string;
  lock: string;
  pid: string;
  state: string;
  journal: string;
  socket: string;
}

export const livePaths = (dir: string): LivePaths => {
  const abs = resolve(dir);
  return {
    dir: abs,
    lock: join(abs, 'lock'),
    pid: join(abs, 'pid'),
    state: join(abs, 'state.json'),
    journal: join(abs, 'pgids'),
    socket: join(abs, CONTROL_SOCKET),
  };
};

export interface LiveDir {
  paths: LivePaths;
  /** Release the lock (at daemon exit). */
  release(): void;
}

export type LiveDirError =
  | { kind: 'busy'; pid: number | null; message: string }
  | { kind: 'system'; message: string };

function readPid(path: string): number | null {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

function ensureDir(dir: string): Result<void, LiveDirError> {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) return err({ kind: 'system', message: `${dir} is not a directory` });
    chmodSync(dir, 0o700);
    return ok(undefined);
  } catch (e) {
    return err({ kind: 'system', message: `unable to create the live directory ${dir}: ${(e as Error).message}` });
  }
}

/** Create and lock the live directory for this daemon (`pid` is written once the lock is held). */
export async function openLiveDir(dir: string, pid: number): Promise<Result<LiveDir, LiveDirError>> {
  const paths = livePaths(dir);
  const made = ensureDir(paths.dir);
  if (!made.ok) return made;
  const locked = await lockFile(paths.lock);
  if (!locked.ok) {
    if (locked.error.kind === 'system') return err(locked.error);
    const other = readPid(paths.pid);
    const who = other === null ? 'another rc daemon' : `another rc daemon (pid ${other})`;
    return err({ kind: 'busy', pid: other, message: `${who} is already running on ${paths.dir}` });
  }
  const lock: FileLock = locked.value;
  try {
    writeFileSync(paths.pid, `${pid}\n`, { mode: 0o600 });
  } catch (e) {
    lock.release();
    return err({ kind: 'system', message: `unable to write ${paths.pid}: ${(e as Error).message}` });
  }
  return ok({ paths, release: () => lock.release() });
}
