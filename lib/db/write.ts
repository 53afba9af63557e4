// writeDb: write a compiled database atomically (temp dir beside the target, fsync, rename into place).
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { DB_INDEX_FILE, SERVICEDIRS, type DbIndex } from './types.js';

export interface WriteDbOptions {
  /** Replace an existing target atomically instead of refusing. */
  force?: boolean;
}

export interface WriteDbError {
  /** 'exists': the target is there and force is off. 'system': any I/O failure. Both are exit 111. */
  code: 'exists' | 'system';
  message: string;
  path: string;
  hint?: string;
}

/** Fills the temp directory (servicedirs/ already exists in it) before the index is written. */
export type PopulateDb = (tmpDir: string) => Result<void, WriteDbError>;

const errText = (e: unknown): string => {
  const x = e as NodeJS.ErrnoException;
  return x?.code ? `${x.code}: ${(x.message ?? '').replace(/^[A-Z]+: /, '')}` : String((x as Error)?.message ?? e);
};
const pathOf = (e: unknown, fallback: string): string => (e as NodeJS.ErrnoException)?.path ?? fallback;

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates `file` with 0666 minus the umask (0644 under 022), as any file of the db. */
function writeSynced(file: string, text: string): void {
  const fd = openSync(file, 'wx', 0o666);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Directory fsync is best effort (not supported on every filesystem).
  }
}

/** Move the finished temp dir to the target, swapping out an existing one when forced. */
function install(tmp: string, target: string, replace: boolean): void {
  if (!replace) {
    renameSync(tmp, target);
    return;
  }
  const old = mkdtempSync(join(dirname(target), `.${basename(target)}.old-`));
  renameSync(target, join(old, 'db'));
  try {
    renameSync(tmp, target);
  } catch (e) {
    renameSync(join(old, 'db'), target);
    rmSync(old, { recursive: true, force: true });
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

/**
 * Write `index` plus whatever `populate` puts in the temp dir to `target`, atomically.
 * On failure nothing is left behind and an existing target is untouched.
 */
export function writeDb(target: string, index: DbIndex, populate: PopulateDb, options: WriteDbOptions = {}): Result<void, WriteDbError> {
  const abs = resolve(target);
  const present = exists(abs);
  if (present && !options.force) {
    return err({ code: 'exists', path: abs, message: `unable to mkdir ${abs}: File exists`, hint: 'remove it, or pass --force to replace it atomically' });
  }
  let tmp: string;
  try {
    tmp = mkdtempSync(join(dirname(abs), `.${basename(abs)}.tmp-`));
  } catch (e) {
    return err({ code: 'system', path: dirname(abs), message: `unable to create a temporary directory beside ${abs}: ${errText(e)}` });
  }
  try {
    // mkdtemp makes the dir 0700 whatever the umask; a db compiled as root must be readable by the
    // user that boots it (Dockerfile: RUN rc compile, then USER app). servicedirs/ was made with the
    // default mode, i.e. 0777 minus the umask (0755 under 022): give the top dir the same.
    const servicedirs = join(tmp, SERVICEDIRS);
    mkdirSync(servicedirs);
    chmodSync(tmp, statSync(servicedirs).mode & 0o777);
    const filled = populate(tmp);
    if (!filled.ok) {
      rmSync(tmp, { recursive: true, force: true });
      return filled;
    }
    writeSynced(join(tmp, DB_INDEX_FILE), JSON.stringify(index));
    syncDir(tmp);
    install(tmp, abs, present);
    syncDir(dirname(abs));
    return ok(undefined);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    return err({ code: 'system', path: pathOf(e, abs), message: `unable to write compiled database ${abs}: ${errText(e)}` });
  }
}
