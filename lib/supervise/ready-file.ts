// The readiness file of `rc run`: written when the service is ready, read by `rc probe`; holds the pid it is about.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where `rc run NAME` keeps NAME's readiness file inside a readiness directory. */
export const readyFilePath = (readyDir: string, name: string): string => join(readyDir, name);

export interface ReadyRecord {
  /** The process whose readiness this is (null: a oneshot that completed; ready for good). */
  pid: number | null;
  /** Wall ms. */
  since: number;
}

export function writeReadyFile(path: string, record: ReadyRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record)}\n`);
  // rename is atomic: rc probe never reads half a file.
  renameSync(tmp, path);
}

export const removeReadyFile = (path: string): void => rmSync(path, { force: true });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Ready when the file exists and the process it names still runs (a stale file after a crash is not). */
export function readReadyFile(path: string): { ready: boolean; why: string } {
  let record: ReadyRecord;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as ReadyRecord;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ready: false, why: code === 'ENOENT' ? `no readiness file ${path} (not ready yet, or rc run is not running)` : `unreadable readiness file ${path}` };
  }
  if (record.pid !== null && !alive(record.pid)) return { ready: false, why: `readiness file ${path} names pid ${record.pid}, which is gone` };
  return { ready: true, why: `ready since ${new Date(record.since).toISOString()}` };
}
