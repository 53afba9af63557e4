// A directory rc keeps its own files in (LIVE/locks): never a planted link, always ours and writable by nobody else.
import { lstatSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { err, ok, type Result } from '../core/result.js';

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8)}`;

/**
 * Make sure `dir` is a real directory (not a symlink) owned by this user and not writable by
 * group or others, creating it (mode 0700, its parents as needed) when missing.
 * The reason comes back, naming the path and the fix, when it is not.
 */
export function ensurePrivateDir(dir: string, uid = process.geteuid?.() ?? 0): Result<void, string> {
  try {
    mkdirSync(dirname(dir), { recursive: true, mode: 0o700 });
    try {
      mkdirSync(dir, { mode: 0o700 }); // never follows a link: EEXIST for anything already there
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const st = lstatSync(dir);
    if (st.isSymbolicLink()) return err(`${dir} is a symbolic link: rc does not follow links in its live directory; remove it`);
    if (!st.isDirectory()) return err(`${dir} is not a directory; remove it`);
    if (st.uid !== uid) return err(`${dir} is owned by uid ${st.uid}, not by this user (uid ${uid}): another user could plant files there; remove it`);
    if ((st.mode & 0o022) !== 0) return err(`${dir} is writable by its group or others (mode ${octal(st.mode)}): fix it with chmod go-w ${dir}, or remove it`);
    return ok(undefined);
  } catch (e) {
    return err(`unable to create ${dir}: ${(e as Error).message}`);
  }
}
