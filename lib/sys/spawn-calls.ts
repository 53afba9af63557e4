// Process creation through koffi: posix_spawn (file actions, session, signal mask and dispositions), pipe2, and the reaping calls.
import { err, ok, type Result } from '../core/result.js';
import { sharedLibcHandle, type LibcHandle } from './libc.js';
import { decodeWaitStatus, type WaitOutcome } from './wait-status.js';

/** What the child gets at one descriptor. Applied in order, before the exec. */
export type FdAction =
  /** dup2(from, to); from === to keeps one of our descriptors open across the exec. */
  | { kind: 'dup'; from: number; to: number }
  /** /dev/null, opened read-write. */
  | { kind: 'null'; to: number };

/** One posix_spawn. Every descriptor not named in `fds` (nor 0–2) is close-on-exec in rc, so the child gets only these. */
export interface NativeSpawn {
  /** The program; relative to `cwd` when it is relative (as execve after a chdir). Never looked up in PATH. */
  path: string;
  argv: readonly string[];
  /** `NAME=value` strings. */
  envp: readonly string[];
  cwd?: string;
  fds: readonly FdAction[];
  /** true: setsid() (a new session and process group, as s6-supervise does); false: stay in ours. */
  session: boolean;
}

/** The libc calls behind the posix spawner and the child waiter. Errors are errno numbers. */
export interface SpawnCalls {
  /**
   * posix_spawn: the child's pid, or the errno. glibc (clone CLONE_VM|CLONE_VFORK) and musl
   * wait for the exec, so a failed exec or chdir comes back here (and that child is reaped).
   */
  spawn(request: NativeSpawn): Result<number, number>;
  /** pipe2(O_CLOEXEC): [read end, write end]. */
  pipe(): Result<[number, number], number>;
  close(fd: number): void;
  /** fcntl(F_DUPFD_CLOEXEC): a copy of `fd` at `min` or above. */
  dupAbove(fd: number, min: number): Result<number, number>;
  /** Clear O_NONBLOCK (as libuv does for a child's inherited fds 0–2). */
  setBlocking(fd: number): void;
  /**
   * waitid(P_ALL, WEXITED|WNOHANG|WNOWAIT): the pid of a child that has ended, without reaping
   * it; 0 when none has, -1 when this process has no children at all.
   */
  peekEnded(): number;
  /** waitpid(pid, WNOHANG). */
  reap(pid: number): WaitOutcome;
}

const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const POSIX_SPAWN_SETSID = 0x80;
const O_RDWR = 2;
const O_CLOEXEC = 0o2000000;
const O_NONBLOCK = 0o4000;
const F_GETFL = 3;
const F_SETFL = 4;
const F_DUPFD_CLOEXEC = 1030;
const P_ALL = 0;
const WNOHANG = 1;
const WEXITED = 4;
const WNOWAIT = 0x01000000;
const ENOMEM = 12;
/**
 * Opaque libc objects are held in buffers bigger than any libc's: glibc x86_64/arm64 has
 * posix_spawn_file_actions_t = 80 bytes, posix_spawnattr_t = 336, sigset_t = 128, siginfo_t = 128.
 */
const OPAQUE_BYTES = 1024;

type Koffi = LibcHandle['koffi'];

function declare(lib: LibcHandle['lib']) {
  return {
    faInit: lib.func('int posix_spawn_file_actions_init(void *fa)'),
    faDestroy: lib.func('int posix_spawn_file_actions_destroy(void *fa)'),
    faDup2: lib.func('int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)'),
    faOpen: lib.func('int posix_spawn_file_actions_addopen(void *fa, int fd, const char *path, int oflag, uint32_t mode)'),
    faChdir: lib.func('int posix_spawn_file_actions_addchdir_np(void *fa, const char *path)'),
    attrInit: lib.func('int posix_spawnattr_init(void *attr)'),
    attrFlags: lib.func('int posix_spawnattr_setflags(void *attr, short flags)'),
    attrMask: lib.func('int posix_spawnattr_setsigmask(void *attr, void *set)'),
    attrDefault: lib.func('int posix_spawnattr_setsigdefault(void *attr, void *set)'),
    sigEmpty: lib.func('int sigemptyset(void *set)'),
    spawn: lib.func('int posix_spawn(void *pid, const char *path, void *fa, void *attr, const char **argv, const char **envp)'),
    pipe2: lib.func('int pipe2(void *fds, int flags)'),
    close: lib.func('int close(int fd)'),
    fcntl: lib.func('int fcntl(int fd, int cmd, ...)'),
    waitid: lib.func('int waitid(int idtype, int id, void *info, int options)'),
    waitpid: lib.func('int waitpid(int pid, void *status, int options)'),
  };
}

type Calls = ReturnType<typeof declare>;

/**
 * A spawn attribute: the signal mask emptied, every signal back to its default, and maybe setsid.
 * The default set is every bit set, not sigfillset(): that leaves out glibc's internal signals
 * (32, 33), which posix_spawn would then leave ignored across the exec.
 */
function makeAttr(c: Calls, session: boolean): Buffer {
  const attr = Buffer.alloc(OPAQUE_BYTES);
  const none = Buffer.alloc(OPAQUE_BYTES);
  const all = Buffer.alloc(OPAQUE_BYTES, 0xff);
  c.sigEmpty(none);
  c.attrInit(attr);
  c.attrMask(attr, none);
  c.attrDefault(attr, all);
  c.attrFlags(attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (session ? POSIX_SPAWN_SETSID : 0));
  return attr;
}

/**
 * A `dup` whose source is also some action's target would read a descriptor already replaced:
 * such sources are first copied above every target (the copies are closed after the spawn).
 */
function safeSources(fds: readonly FdAction[], calls: Pick<SpawnCalls, 'dupAbove'>): Result<{ fds: FdAction[]; temps: number[] }, number> {
  const targets = new Set(fds.map((a) => a.to));
  const above = Math.max(2, ...targets) + 1;
  const temps: number[] = [];
  const out: FdAction[] = [];
  for (const a of fds) {
    if (a.kind !== 'dup' || a.from === a.to || !targets.has(a.from)) {
      out.push(a);
      continue;
    }
    const copy = calls.dupAbove(a.from, above);
    if (!copy.ok) return err(copy.error);
    temps.push(copy.value);
    out.push({ kind: 'dup', from: copy.value, to: a.to });
  }
  return ok({ fds: out, temps });
}

function bind(koffi: Koffi, c: Calls): SpawnCalls {
  const attrs = { session: makeAttr(c, true), group: makeAttr(c, false) };
  // posix_spawn is synchronous and JS single-threaded: one file-actions object and out-buffers serve every call.
  const fa = Buffer.alloc(OPAQUE_BYTES);
  const pidOut = new Int32Array(1);
  const pair = new Int32Array(2);
  const status = new Int32Array(1);
  const info = Buffer.alloc(OPAQUE_BYTES);
  // siginfo_t: si_signo, si_errno, si_code, then (after padding to the union's alignment) si_pid.
  const siPid = koffi.sizeof('void *') === 8 ? 16 : 12;
  const calls: SpawnCalls = {
    spawn(request) {
      const safe = safeSources(request.fds, calls);
      if (!safe.ok) return safe;
      if (c.faInit(fa) !== 0) return err(ENOMEM);
      try {
        let r = 0;
        if (request.cwd !== undefined) r ||= c.faChdir(fa, request.cwd) as number;
        for (const a of safe.value.fds) r ||= (a.kind === 'dup' ? c.faDup2(fa, a.from, a.to) : c.faOpen(fa, a.to, '/dev/null', O_RDWR, 0)) as number;
        if (r !== 0) return err(r);
        const e = c.spawn(pidOut, request.path, fa, request.session ? attrs.session : attrs.group, [...request.argv, null], [...request.envp, null]) as number;
        return e === 0 ? ok(pidOut[0]!) : err(e);
      } finally {
        c.faDestroy(fa);
        for (const t of safe.value.temps) c.close(t);
      }
    },
    pipe() {
      return (c.pipe2(pair, O_CLOEXEC) as number) === 0 ? ok([pair[0]!, pair[1]!]) : err(koffi.errno());
    },
    close(fd) {
      c.close(fd);
    },
    dupAbove(fd, min) {
      const r = c.fcntl(fd, F_DUPFD_CLOEXEC, 'int', min) as number;
      return r >= 0 ? ok(r) : err(koffi.errno());
    },
    setBlocking(fd) {
      const flags = c.fcntl(fd, F_GETFL) as number;
      if (flags >= 0 && (flags & O_NONBLOCK) !== 0) c.fcntl(fd, F_SETFL, 'int', flags & ~O_NONBLOCK);
    },
    peekEnded() {
      info.writeInt32LE(0, siPid);
      const r = c.waitid(P_ALL, 0, info, WEXITED | WNOHANG | WNOWAIT) as number;
      return r === 0 ? info.readInt32LE(siPid) : -1;
    },
    reap(pid) {
      const r = c.waitpid(pid, status, WNOHANG) as number;
      if (r > 0) return { kind: 'reaped', pid: r, status: decodeWaitStatus(status[0]!) };
      if (r === 0) return { kind: 'running' };
      return { kind: 'gone', errno: koffi.errno() };
    },
  };
  return calls;
}

/** Declare the spawn calls on an opened libc; an error when this libc lacks one (e.g. addchdir_np before glibc 2.29). */
export function loadSpawnCalls(handle: Result<LibcHandle, string>): Result<SpawnCalls, string> {
  if (!handle.ok) return handle;
  try {
    return ok(bind(handle.value.koffi, declare(handle.value.lib)));
  } catch (e) {
    return err(`this libc cannot spawn through posix_spawn: ${(e as Error).message}`);
  }
}

let shared: Result<SpawnCalls, string> | undefined;

/** The spawn calls over the shared libc, declared on first use. */
export function sharedSpawnCalls(): Result<SpawnCalls, string> {
  shared ??= loadSpawnCalls(sharedLibcHandle());
  return shared;
}
