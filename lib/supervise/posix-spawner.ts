// The default spawner: posix_spawn through koffi, output pipes from pipe2 read as net.Sockets, ends from the one ChildWaiter.
import { Socket } from 'node:net';
import { signalName } from '../core/signals.js';
import type { ChildExit, ChildExitListener, ChildWaiter } from '../sys/child-waiter.js';
import { errnoName } from '../sys/errno.js';
import type { FdAction, SpawnCalls } from '../sys/spawn-calls.js';
import { findProgram } from './program-path.js';
import { killProcessGroup, requestToSpec, type ChildEnd, type ChildHandle, type ProcessSpec, type Spawner, type StdioSpec } from './spawner.js';

/** What the posix spawner runs on: the libc calls and the process's child waiter. */
export interface PosixDeps {
  calls: SpawnCalls;
  waiter: ChildWaiter;
}

const ENOEXEC = 8;
const SHELL = '/bin/sh';

/** A child created by posix_spawn: a few fields, no closure and no libuv handle besides its pipes. */
class PosixChild implements ChildHandle, ChildExitListener {
  readonly pid: number | undefined;
  readonly stdout: Socket | null;
  readonly stderr: Socket | null;
  readonly notification: Socket | null;
  #end: ChildEnd | null = null;
  #cb: ((end: ChildEnd) => void) | null = null;

  constructor(pid: number | undefined, pipes: Pipes | null, failure: ChildEnd | null) {
    this.pid = pid;
    this.stdout = pipes?.stdout ?? null;
    this.stderr = pipes?.stderr ?? null;
    this.notification = pipes?.notification ?? null;
    if (failure) queueMicrotask(() => this.#settle(failure));
  }

  onEnd(cb: (end: ChildEnd) => void): void {
    if (this.#end) {
      const end = this.#end;
      queueMicrotask(() => cb(end));
    } else this.#cb = cb;
  }

  kill(signal: NodeJS.Signals): boolean {
    if (this.#end || this.pid === undefined) return false;
    try {
      process.kill(this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  childExited(exit: ChildExit): void {
    this.#settle({ kind: 'exit', code: exit.code, signal: exit.signal === null ? null : (signalName(exit.signal) ?? null) });
  }

  #settle(end: ChildEnd): void {
    if (this.#end) return;
    this.#end = end;
    const cb = this.#cb;
    this.#cb = null;
    cb?.(end);
  }
}

interface Pipes {
  stdout: Socket | null;
  stderr: Socket | null;
  notification: Socket | null;
}

/** A pipe made for one child: we keep `read`, the child gets `write` at `at`. */
interface OpenPipe {
  at: number;
  read: number;
  write: number;
}

const failed = (file: string, errno: string): ChildHandle =>
  new PosixChild(undefined, null, { kind: 'spawn-error', errno, message: `spawn ${file} ${errno}` });

/** What each child descriptor gets (later entries win, as in node:child_process's stdio array). */
function slots(spec: ProcessSpec): Map<number, StdioSpec> {
  const out = new Map<number, StdioSpec>(spec.stdio.map((s, i) => [i, s]));
  if (spec.extraPipeFd !== undefined && spec.extraPipeFd !== null) out.set(spec.extraPipeFd, 'pipe');
  if (spec.passFd) out.set(spec.passFd.at, spec.passFd.fd);
  return out;
}

/** The file actions of a spec, with the pipes they need; an errno (EMFILE...) when a pipe cannot be made. */
function fileActions(spec: ProcessSpec, calls: SpawnCalls): { fds: FdAction[]; pipes: OpenPipe[] } | { errno: number; pipes: OpenPipe[] } {
  const fds: FdAction[] = [];
  const pipes: OpenPipe[] = [];
  for (const [at, what] of slots(spec)) {
    if (what === 'inherit') {
      // Node marks its own 0–2 close-on-exec (uv_disable_stdio_inheritance): dup2(fd, fd) clears that in the child.
      if (at <= 2) calls.setBlocking(at);
      fds.push({ kind: 'dup', from: at, to: at });
    } else if (what === 'ignore') fds.push({ kind: 'null', to: at });
    else if (what === 'pipe') {
      const p = calls.pipe();
      if (!p.ok) return { errno: p.error, pipes };
      pipes.push({ at, read: p.value[0], write: p.value[1] });
      fds.push({ kind: 'dup', from: p.value[1], to: at });
    } else {
      // One of ours, shared with the child: blocking, as libuv leaves a child's inherited stdio.
      if (at <= 2) calls.setBlocking(what);
      fds.push({ kind: 'dup', from: what, to: at });
    }
  }
  return { fds, pipes };
}

const reader = (fd: number): Socket => new Socket({ fd, readable: true, writable: false });

function streams(spec: ProcessSpec, pipes: OpenPipe[]): Pipes {
  const out: Pipes = { stdout: null, stderr: null, notification: null };
  const extra = spec.extraPipeFd ?? null;
  for (const p of pipes) {
    const socket = reader(p.read);
    if (p.at === extra) out.notification = socket;
    else if (p.at === 1) out.stdout = socket;
    else if (p.at === 2) out.stderr = socket;
    else socket.destroy();
  }
  return out;
}

/**
 * Spawn one process with posix_spawn. Never throws for a user error: a missing program, a
 * failed exec or chdir, or no descriptors left come back through `onEnd` as `spawn-error`,
 * worded as node:child_process words them (`spawn FILE ENOENT`). As execvp (and so
 * child_process), a file the kernel cannot execute (ENOEXEC: a script without #!) is run by /bin/sh.
 */
export function spawnPosix(spec: ProcessSpec, deps: PosixDeps): ChildHandle {
  const { calls, waiter } = deps;
  const env = spec.env ?? process.env;
  const program = findProgram(spec.file, env, spec.cwd);
  if (!program.ok) return failed(spec.file, program.errno);
  const actions = fileActions(spec, calls);
  const closeAll = (which: 'read' | 'write'): void => actions.pipes.forEach((p) => calls.close(p[which]));
  if ('errno' in actions) {
    closeAll('read');
    closeAll('write');
    return failed(spec.file, errnoName(actions.errno));
  }
  const envp: string[] = [];
  for (const [k, v] of Object.entries(env)) if (v !== undefined) envp.push(`${k}=${v}`);
  const argv = [spec.argv0 ?? spec.file, ...spec.args];
  const request = { path: program.path, argv, envp, cwd: spec.cwd, fds: actions.fds, session: spec.detached };
  waiter.arm();
  let r = calls.spawn(request);
  if (!r.ok && r.error === ENOEXEC) r = calls.spawn({ ...request, path: SHELL, argv: [SHELL, program.path, ...spec.args] });
  closeAll('write');
  if (!r.ok) {
    closeAll('read');
    return failed(spec.file, errnoName(r.error));
  }
  const child = new PosixChild(r.value, streams(spec, actions.pipes), null);
  waiter.watch(r.value, child);
  return child;
}

/** The posix spawner over `deps`: every request in a new session, sink = a pipe. */
export function createPosixSpawner(deps: PosixDeps): Spawner {
  return {
    spawn: (request) => spawnPosix(requestToSpec(request), deps),
    killGroup: killProcessGroup,
  };
}
