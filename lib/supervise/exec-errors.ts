// Turn a failed exec (errno from spawn) into a message a user can act on.
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { openFilesLimit, raiseOpenFilesHint } from '../sys/limits.js';

/** Programs of the execline package: a missing one most likely means execline is not installed. */
const EXECLINE_WORDS = new Set(
  (
    'background backtick case cd define dollarat elgetopt elgetpositionals elglob emptyenv envfile exec ' +
    'execlineb exit export fdblock fdclose fdmove fdreserve fdswap forbacktickx foreground forstdin forx ' +
    'getcwd getpid heredoc homeof if ifelse ifte ifthenelse importas loopwhilex multidefine ' +
    'multisubstitute pipeline piperw redirfd runblock shift trap tryexec umask unexport wait withstdinas'
  ).split(' '),
);

export interface ExecFailure {
  reason: 'not-found' | 'exec-failed';
  /** The shell's convention: 127 not found (or bad interpreter), 126 found but not executable. */
  exitCode: 126 | 127;
  message: string;
}

const exists = (path: string): boolean => {
  try {
    accessSync(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
};

/** Where a bare command name would be found in PATH, or null. */
export function lookInPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && exists(join(dir, name))) return join(dir, name);
  }
  return null;
}

function hint(name: string): string {
  if (EXECLINE_WORDS.has(name)) return ' (is execline installed?)';
  if (name.startsWith('s6-')) return ' (is s6 installed?)';
  return '';
}

/**
 * Out of descriptors is the daemon's problem, not the service's: name the daemon's limit
 * (`limit`: its RLIMIT_NOFILE soft value) or the system's, and how to raise it.
 */
export function outOfDescriptors(file: string, errno: 'EMFILE' | 'ENFILE', limit: number | null = openFilesLimit()?.soft ?? null): string {
  if (errno === 'ENFILE') return `${file}: not started: the system is out of file descriptors (ENFILE: its table, fs.file-max, is full); the service is not at fault`;
  const n = limit === null || !Number.isFinite(limit) ? null : limit;
  const raise = raiseOpenFilesHint(n === null ? 65536 : Math.max(65536, 2 * n));
  return `${file}: not started: rc (the daemon) is out of file descriptors (EMFILE: its limit, RLIMIT_NOFILE, is ${n ?? 'unknown'} open files); the service is not at fault: ${raise}`;
}

/** Explain why `file` (run from `cwd` with `env`) could not be executed. Only called on failure. */
export function describeExecFailure(file: string, errno: string, cwd: string, env: NodeJS.ProcessEnv): ExecFailure {
  if (errno === 'EMFILE' || errno === 'ENFILE') return { reason: 'exec-failed', exitCode: 126, message: outOfDescriptors(file, errno) };
  const bare = !file.includes('/');
  if (errno === 'ENOENT') {
    if (!exists(cwd)) return { reason: 'exec-failed', exitCode: 127, message: `${cwd}: working directory does not exist` };
    const found = bare ? lookInPath(file, env) : exists(isAbsolute(file) ? file : resolve(cwd, file));
    if (!found) {
      const message = bare ? `${file}: command not found${hint(file)}` : `${file}: no such file`;
      return { reason: 'not-found', exitCode: 127, message };
    }
    return { reason: 'exec-failed', exitCode: 127, message: `${file}: bad interpreter (the program named on its #! line does not exist)` };
  }
  if (errno === 'EACCES') {
    return { reason: 'exec-failed', exitCode: 126, message: `${file}: permission denied (not executable, or a directory)` };
  }
  return { reason: 'exec-failed', exitCode: 126, message: `${file}: cannot execute (${errno})` };
}
