// The spawner's vocabulary (Spawner, requests, ChildHandle, ChildEnd) and the node:child_process spawner (RC_SPAWNER=node, or where koffi cannot load).
import { spawn as nodeSpawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { StdioRouting } from './types.js';
import { errorCode } from '../sys/errno.js';
import { killGroup } from '../sys/proc.js';

/** How a spawned child ended: it ran and exited, or it never ran (exec failed). */
export type ChildEnd =
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'spawn-error'; errno: string; message: string };

/** A child process as the supervision core sees it. */
export interface ChildHandle {
  /** undefined when the process could not be created; `onEnd` then reports `spawn-error`. */
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** Read end of the notification pipe, when one was requested. */
  readonly notification: NodeJS.ReadableStream | null;
  /** Called exactly once, when the process has exited (reaped) or failed to start. */
  onEnd(cb: (end: ChildEnd) => void): void;
  /** Signal the main process only; false when it is already gone. */
  kill(signal: NodeJS.Signals): boolean;
}

/** What the supervision core asks for: a program, its cwd and env, and stdio routing. */
export interface SpawnRequest {
  /** A path, or a bare name looked up in env.PATH. */
  file: string;
  args: readonly string[];
  argv0?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdio: StdioRouting;
  /** Put the write end of a fresh pipe at this fd in the child (s6 notification-fd). */
  notificationFd?: number | null;
  /** Hand one of our fds to the child at index `at` (s6 lock-fd: the locked service-lock). */
  passFd?: { at: number; fd: number } | null;
  /** A oneshot's `up` or `down` (journaled with its outcome, so the next daemon knows it after a `kill -9`). */
  role?: OneshotRole;
}

export type OneshotRole = 'oneshot-up' | 'oneshot-down';

/** Creates processes (always in a new session and process group) and signals process groups. */
export interface Spawner {
  spawn(request: SpawnRequest): ChildHandle;
  killGroup(pgid: number, signal: NodeJS.Signals): boolean;
}

/** Low-level stdio entry for `spawnProcess`. */
export type StdioSpec = 'inherit' | 'ignore' | 'pipe' | number;

/** Everything `spawnProcess` needs; the daemon uses it for the container's main command. */
export interface ProcessSpec {
  file: string;
  args: readonly string[];
  argv0?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdio: [StdioSpec, StdioSpec, StdioSpec];
  /** Extra pipe at this fd (> 2), exposed as `notification`. */
  extraPipeFd?: number | null;
  /** One of our fds, duplicated into the child at index `at`. */
  passFd?: { at: number; fd: number } | null;
  /** true = new session and process group (setsid); false = stay in ours (e.g. to keep the TTY). */
  detached: boolean;
}

/** Called with every child right after it is created (e.g. the PID 1 reaper's registry). */
export type ChildTracker = (child: ChildProcess) => unknown;

class NodeChild implements ChildHandle {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  readonly notification: NodeJS.ReadableStream | null;
  #end: ChildEnd | null = null;
  #cb: ((end: ChildEnd) => void) | null = null;
  readonly #child: ChildProcess | null;

  constructor(child: ChildProcess | null, extraFd: number | null, failure: ChildEnd | null) {
    this.#child = child;
    this.pid = child?.pid;
    const pipes = child?.stdio ?? [];
    // A notification fd of 1 or 2 replaces that output stream.
    this.stdout = extraFd === 1 ? null : ((pipes[1] as NodeJS.ReadableStream | null | undefined) ?? null);
    this.stderr = extraFd === 2 ? null : ((pipes[2] as NodeJS.ReadableStream | null | undefined) ?? null);
    this.notification = extraFd !== null ? ((pipes[extraFd] as NodeJS.ReadableStream | null | undefined) ?? null) : null;
    if (failure) queueMicrotask(() => this.#settle(failure));
    if (!child) return;
    child.once('exit', (code, signal) => this.#settle({ kind: 'exit', code, signal }));
    child.on('error', (e: NodeJS.ErrnoException) => {
      // After a successful spawn, 'error' only reports a failed kill(): nothing to do.
      if (this.pid === undefined) this.#settle({ kind: 'spawn-error', errno: errorCode(e, 'EUNKNOWN'), message: e.message });
    });
  }

  onEnd(cb: (end: ChildEnd) => void): void {
    if (this.#end) {
      const end = this.#end;
      queueMicrotask(() => cb(end));
    } else this.#cb = cb;
  }

  kill(signal: NodeJS.Signals): boolean {
    if (this.#end || !this.#child || this.pid === undefined) return false;
    try {
      return this.#child.kill(signal);
    } catch {
      return false;
    }
  }

  #settle(end: ChildEnd): void {
    if (this.#end) return;
    this.#end = end;
    if (end.kind === 'spawn-error') for (const s of this.#child?.stdio ?? []) s?.destroy();
    const cb = this.#cb;
    this.#cb = null;
    cb?.(end);
  }
}

function stdioArray(spec: ProcessSpec): StdioOptions {
  const arr: StdioSpec[] = [...spec.stdio];
  const put = (at: number, what: StdioSpec): void => {
    while (arr.length <= at) arr.push('ignore');
    arr[at] = what;
  };
  const fd = spec.extraPipeFd ?? null;
  if (fd !== null) put(fd, 'pipe');
  if (spec.passFd) put(spec.passFd.at, spec.passFd.fd);
  return arr;
}

/** Spawn one process. Never throws for a user error: exec failures come back through `onEnd`. */
export function spawnProcess(spec: ProcessSpec, track?: ChildTracker): ChildHandle {
  const extra = spec.extraPipeFd ?? null;
  let child: ChildProcess;
  try {
    child = nodeSpawn(spec.file, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      argv0: spec.argv0,
      detached: spec.detached,
      stdio: stdioArray(spec),
      windowsHide: true,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return new NodeChild(null, extra, { kind: 'spawn-error', errno: errorCode(err, 'EUNKNOWN'), message: err.message });
  }
  if (child.pid !== undefined) track?.(child);
  return new NodeChild(child, extra, null);
}

/** Send a signal to every process of a group. False when the group is empty (ESRCH) or not ours. */
export const killProcessGroup = killGroup;

const toSpec = (t: 'ignore' | 'sink' | number): StdioSpec => (t === 'sink' ? 'pipe' : t);

/** Map the core's request onto `spawnProcess`: always a new session, sink = a pipe. */
export function requestToSpec(request: SpawnRequest): ProcessSpec {
  const fd = request.notificationFd ?? null;
  const stdio: [StdioSpec, StdioSpec, StdioSpec] = [
    toSpec(request.stdio.stdin),
    toSpec(request.stdio.stdout),
    toSpec(request.stdio.stderr),
  ];
  return {
    file: request.file,
    args: request.args,
    argv0: request.argv0,
    cwd: request.cwd,
    env: request.env,
    stdio,
    extraPipeFd: fd,
    passFd: request.passFd ?? null,
    detached: true,
  };
}

/** The real spawner (node:child_process). `track` sees every child (for the PID 1 reaper). */
export function createNodeSpawner(options: { track?: ChildTracker } = {}): Spawner {
  return {
    spawn: (request) => spawnProcess(requestToSpec(request), options.track),
    killGroup: killProcessGroup,
  };
}
