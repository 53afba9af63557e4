// Where a program is: a path as given, or a bare name looked up in the child's PATH the way execvp does.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';

/** execvp's PATH when the environment has none (glibc's confstr(_CS_PATH)). */
export const DEFAULT_PATH = '/bin:/usr/bin';

export type ProgramPath = { ok: true; path: string } | { ok: false; errno: 'ENOENT' | 'EACCES' };

function executableFile(path: string): 'yes' | 'no' | 'denied' {
  try {
    if (!statSync(path).isFile()) return 'denied';
  } catch {
    return 'no';
  }
  try {
    accessSync(path, constants.X_OK);
    return 'yes';
  } catch {
    return 'denied';
  }
}

/**
 * A file with a slash is used as is (relative to the child's cwd). A bare name is looked up in
 * `env.PATH` (the child's, not the daemon's), each entry relative to `cwd`: the first executable
 * regular file wins; as execvp, a match that cannot be executed only counts (EACCES) when
 * nothing later in PATH can be.
 */
export function findProgram(file: string, env: NodeJS.ProcessEnv, cwd: string | undefined): ProgramPath {
  if (file.includes('/')) return { ok: true, path: file };
  if (file === '') return { ok: false, errno: 'ENOENT' };
  let denied = false;
  for (const dir of (env['PATH'] ?? DEFAULT_PATH).split(delimiter)) {
    const path = resolve(cwd ?? '.', dir === '' ? '.' : dir, file);
    const found = executableFile(path);
    if (found === 'yes') return { ok: true, path };
    if (found === 'denied') denied = true;
  }
  return { ok: false, errno: denied ? 'EACCES' : 'ENOENT' };
}
