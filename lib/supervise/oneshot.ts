// OneshotRunner: run a oneshot's stored argv (no shell), with a timeout and cancellation that kill its process group;
// with records, under the waiter (oneshot-waiter.ts) so its outcome survives the daemon.
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';
import { describeExecFailure } from './exec-errors.js';
import { dropRecord, endThroughWaiter, surelyExecutable, waiterArgs, type OneshotRecords } from './oneshot-waiter.js';
import { attachOutput, serviceEnv } from './programs.js';
import type { ChildEnd, Spawner } from './spawner.js';
import type { OutputSink } from './types.js';

/** After SIGTERM on timeout or abort, the group gets SIGKILL this much later. */
export const ONESHOT_KILL_GRACE_MS = 1000;

export interface OneshotRunOptions {
  name: string;
  /** The oneshot's compiled folder: the cwd. */
  dir: string;
  /** Lexed up or down; [] succeeds at once. argv[0] is looked up in PATH when it has no slash. */
  argv: string[];
  /** 0 = no limit. */
  timeoutMs: number;
  signal?: AbortSignal;
  output: OutputSink;
  /** Base environment (default: the daemon's); RC_NAME is added. */
  env?: NodeJS.ProcessEnv;
  /** Which script this is: passed to the spawner, which journals it and its outcome. */
  direction?: 'up' | 'down';
}

export type OneshotFailureReason = 'exit-code' | 'signal' | 'timeout' | 'not-found' | 'aborted' | 'exec-failed';

export type OneshotResult =
  | { ok: true; durationMs: number }
  | { ok: false; reason: OneshotFailureReason; exitCode: number | null; signal: string | null; message: string };

type Cause = 'timeout' | 'aborted';

export class OneshotRunner {
  readonly #spawner: Spawner;
  readonly #clock: Clock;

  readonly #records: OneshotRecords | null;

  /** `records`: run each up/down under the waiter, which records its exit status there (LIVE/oneshots). */
  constructor(options: { spawner: Spawner; clock?: Clock; records?: OneshotRecords | null }) {
    this.#spawner = options.spawner;
    this.#clock = options.clock ?? systemClock;
    this.#records = options.records ?? null;
  }

  /** What to spawn: the script itself, or the waiter running it (when it surely executes: exec failures stay today's). */
  #target(o: OneshotRunOptions, file: string, args: string[], env: NodeJS.ProcessEnv): { file: string; args: string[]; records: OneshotRecords | null } {
    const path = this.#records && o.direction ? surelyExecutable(file, o.dir, env) : null;
    if (path === null || this.#records === null) return { file, args, records: null };
    return { ...waiterArgs(this.#records, path, args), records: this.#records };
  }

  /** Never rejects: every failure is a result. Any number may run at once. */
  run(o: OneshotRunOptions): Promise<OneshotResult> {
    if (o.argv.length === 0) return Promise.resolve({ ok: true, durationMs: 0 });
    if (o.signal?.aborted) return Promise.resolve(abortedBeforeStart(o.name));
    const started = this.#clock.now();
    const env = serviceEnv(o.env ?? process.env, o.name);
    const [file, ...args] = o.argv as [string, ...string[]];
    const target = this.#target(o, file, args, env);
    const child = this.#spawner.spawn({ file: target.file, args: target.args, cwd: o.dir, env, stdio: { stdin: 'ignore', stdout: 'sink', stderr: 'sink' }, ...(o.direction ? { role: `oneshot-${o.direction}` as const } : {}) });
    if (child.pid !== undefined) attachOutput(child, o.name, o.output);
    return new Promise((resolve) => {
      let cause: Cause | null = null;
      let grace: TimerHandle | null = null;
      const stop = (why: Cause): void => {
        if (cause || child.pid === undefined) return;
        cause = why;
        this.#spawner.killGroup(child.pid, 'SIGTERM');
        this.#spawner.killGroup(child.pid, 'SIGCONT');
        grace = this.#clock.setTimer(ONESHOT_KILL_GRACE_MS, () => this.#spawner.killGroup(child.pid!, 'SIGKILL'));
      };
      const onAbort = (): void => stop('aborted');
      const deadline = o.timeoutMs > 0 ? this.#clock.setTimer(o.timeoutMs, () => stop('timeout')) : null;
      o.signal?.addEventListener('abort', onAbort, { once: true });
      child.onEnd((end) => {
        deadline?.cancel();
        grace?.cancel();
        o.signal?.removeEventListener('abort', onAbort);
        // After a timeout or abort nothing of the oneshot may survive.
        if (cause && child.pid !== undefined) this.#spawner.killGroup(child.pid, 'SIGKILL');
        // Seen by this daemon: the waiter's record is not needed (the journal has the outcome).
        if (target.records && child.pid !== undefined) dropRecord(target.records, child.pid);
        resolve(toResult(o, file, target.records ? endThroughWaiter(end) : end, cause, this.#clock.now() - started, env));
      });
    });
  }
}

function abortedBeforeStart(name: string): OneshotResult {
  return { ok: false, reason: 'aborted', exitCode: null, signal: null, message: `${name}: cancelled before it started` };
}

function toResult(o: OneshotRunOptions, file: string, end: ChildEnd, cause: Cause | null, durationMs: number, env: NodeJS.ProcessEnv): OneshotResult {
  const name = o.name;
  if (end.kind === 'spawn-error') {
    const f = describeExecFailure(file, end.errno, o.dir, env);
    return { ok: false, reason: f.reason, exitCode: f.exitCode, signal: null, message: `${name}: ${f.message}` };
  }
  const { code, signal } = end;
  if (cause === 'timeout') {
    return { ok: false, reason: 'timeout', exitCode: code, signal, message: `${name}: timed out after ${o.timeoutMs} ms; its process group was killed` };
  }
  if (cause === 'aborted') {
    return { ok: false, reason: 'aborted', exitCode: code, signal, message: `${name}: cancelled; its process group was killed` };
  }
  if (signal) return { ok: false, reason: 'signal', exitCode: null, signal, message: `${name}: killed by ${signal}` };
  if (code === 0) return { ok: true, durationMs };
  return { ok: false, reason: 'exit-code', exitCode: code, signal: null, message: `${name}: command exited ${code}` };
}
