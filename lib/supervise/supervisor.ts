// Supervisor: keeps one longrun alive inside the daemon, as s6-supervise does (states in supervisor-state.ts).
import { unreachable } from '../core/result.js';
import type { Death } from './death-tally.js';
import { escalateKill } from './finish.js';
import { RunHistory, type ExitInfo } from './history.js';
import { LOCK_RETRY_MS, lockBusyMessage } from './lock-fd.js';
import { attachOutput } from './programs.js';
import {
  execFailure,
  hasReadiness,
  healthMonitor,
  runContext,
  spawnRun,
  startFinish,
  watchReadiness,
  type RunContext,
  type SupervisorOptions,
} from './run-steps.js';
import type { ChildEnd, ChildHandle } from './spawner.js';
import { currentRun, newRun, statusSnapshot, type Run, type State } from './supervisor-state.js';
import { EXEC_RETRY_MS, restartDelay, S6_THROTTLE_MS } from './throttle.js';
import type { SupervisorEvent, SupervisorStatus, WaitResult, WaitTarget } from './types.js';
import { waitCheck } from './wait-checks.js';
import { WaitSet } from './waiters.js';

export type { SupervisorOptions } from './run-steps.js';

/** Distributes Omit over the event union (a plain Omit would merge the members). */
type EventBody<E> = E extends unknown ? Omit<E, 'service' | 'time'> : never;

export class Supervisor {
  /** The service's name (an `rc update` rename changes it: see adopt). */
  name: string;
  #o: RunContext;
  readonly #h: RunHistory;
  readonly #waiters: WaitSet;
  #state: State = { kind: 'down' };
  #wantUp = false;
  #exiting: { promise: Promise<void>; resolve: () => void } | null = null;

  constructor(options: SupervisorOptions) {
    this.#o = runContext(options);
    this.name = options.service.name;
    this.#h = new RunHistory(options.service.maxDeathTally, options.clock.wallNow());
    this.#waiters = new WaitSet(options.clock);
  }

  // --- commands (s6-svc letters) ---

  /** `u`: want up; start now if down (an explicit up ignores the throttle). */
  up(): void {
    if (this.#exiting) return;
    this.#want(true);
    this.#h.fastDeaths = 0;
    this.#startIfDown();
  }

  /** `d`: want down; send the down-signal (then SIGCONT) if running. */
  down(): void {
    if (this.#exiting) return;
    this.#want(false);
    this.#stopOrCancel();
  }

  /** `o`: run once: start if down, do not restart after the next death. */
  once(): void {
    if (this.#exiting) return;
    this.#want(false);
    this.#startIfDown();
  }

  /** `r`: send the down-signal; the service comes back if it is still wanted up. */
  restart(): void {
    if (this.#exiting) return;
    const s = this.#state;
    if (s.kind === 'up' || s.kind === 'ready') this.#beginStop(s.run);
    else if (s.kind === 'stopping') this.#sendDownSignal(s.run);
  }

  /** `a b q h k t i 1 2 p c y`: signal the main process, only while it runs. */
  signal(sig: NodeJS.Signals): void {
    const run = currentRun(this.#state);
    if (!run || !run.child.kill(sig)) return;
    if (sig === 'SIGSTOP') this.#h.paused = true;
    if (sig === 'SIGCONT') this.#h.paused = false;
    this.#emit({ type: 'signalled', pid: run.pid, signal: sig });
  }

  /** `x` + `d`: stop the service if running, wait until it is down, then stop supervising. */
  exit(): Promise<void> {
    if (this.#exiting) return this.#exiting.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.#exiting = { promise, resolve };
    this.#want(false);
    this.#stopOrCancel();
    const k = this.#state.kind;
    if (k === 'down' || k === 'failed') this.#finalize();
    return promise;
  }

  /**
   * `rc update`: the service is unchanged in a new db, whose definition object (and directory,
   * name and lock path on a rename) differ. The running process, counters and state stay; the
   * next spawn uses the new definition.
   */
  adopt(change: Pick<SupervisorOptions, 'service' | 'dir'> & Partial<Pick<SupervisorOptions, 'lockPath' | 'stdio'>>): void {
    this.#o = { ...this.#o, ...change };
    this.name = change.service.name;
  }

  status(): SupervisorStatus {
    return statusSnapshot(this.name, this.#state, this.#h, this.#wantUp);
  }

  /** The remembered deaths, oldest first. */
  deaths(): readonly Death[] {
    return this.#h.tally.list();
  }

  /** Wait until spawned ('up'), ready (= up without readiness configured), or dead with finish done. 0 = no timeout. */
  waitFor(target: WaitTarget, timeoutMs: number, signal?: AbortSignal): Promise<WaitResult> {
    const ready = hasReadiness(this.#o.service);
    const check = (): WaitResult | null =>
      waitCheck(target, this.#state, { name: this.name, hasReadiness: ready, lastExecError: this.#h.lastExecError, hasHealth: this.#o.service.health !== undefined });
    return this.#waiters.add(check, timeoutMs, `${this.name}: wait for ${target}`, signal);
  }

  // --- transitions ---

  #to(state: State): void {
    this.#state = state;
    this.#waiters.settle();
  }

  #emit(body: EventBody<SupervisorEvent>): void {
    this.#o.onEvent({ ...body, service: this.name, time: this.#o.clock.wallNow() });
  }

  #want(up: boolean): void {
    if (this.#wantUp === up) return;
    this.#wantUp = up;
    this.#emit({ type: 'wanted', wantUp: up });
  }

  #startIfDown(): void {
    const s = this.#state;
    switch (s.kind) {
      case 'waiting':
        s.timer.cancel();
        return this.#spawnRun(false);
      case 'down':
      case 'failed':
        return this.#spawnRun(false);
      case 'spawning':
      case 'up':
      case 'ready':
      case 'stopping':
      case 'finishing':
      case 'exited':
        return;
      default:
        return unreachable(s, 'state');
    }
  }

  #stopOrCancel(): void {
    const s = this.#state;
    switch (s.kind) {
      case 'waiting':
        s.timer.cancel();
        return this.#to({ kind: 'down' });
      case 'up':
      case 'ready':
        return this.#beginStop(s.run);
      case 'stopping':
        return this.#sendDownSignal(s.run);
      case 'down':
      case 'spawning':
      case 'finishing':
      case 'failed':
      case 'exited':
        return;
      default:
        return unreachable(s, 'state');
    }
  }

  #spawnRun(automatic: boolean): void {
    const lock = this.#takeLock(automatic);
    if (lock === 'wait') return;
    const { clock, output } = this.#o;
    const child = spawnRun(this.#o, lock);
    if (child.pid === undefined) {
      this.#to({ kind: 'spawning', child });
      child.onEnd((end) => this.#onSpawnFailed(child, end));
      return;
    }
    this.#h.spawned(clock.wallNow(), automatic);
    attachOutput(child, this.name, output);
    const run = newRun(child, child.pid, clock.now());
    this.#to({ kind: 'up', run });
    child.onEnd((end) => this.#onRunEnd(run, end));
    run.readiness = watchReadiness(this.#o, child, {
      ready: () => this.#onReady(run),
      notReady: (reason, message) => this.#onNotReady(run, reason, message),
    });
    this.#emit({ type: 'spawned', pid: run.pid, restart: automatic });
    // Without readiness, up is ready: checks begin now (unless a 'spawned' listener stopped it meanwhile).
    if (!hasReadiness(this.#o.service) && this.#state.kind === 'up' && this.#state.run === run) this.#startHealth(run);
  }

  /** Health checks begin once the run is up (ready, when it has readiness). */
  #startHealth(run: Run): void {
    run.health = healthMonitor(this.#o, { changed: (health, output, checkedAt) => this.#onHealth(run, health, output, checkedAt) });
    run.health?.start();
  }

  #onHealth(run: Run, health: 'starting' | 'healthy' | 'unhealthy', output: string, checkedAt: number): void {
    const s = this.#state;
    if (health === 'starting' || currentRun(s) !== run || s.kind === 'stopping') return;
    const action = this.#o.service.health?.action ?? 'none';
    this.#emit({ type: 'health-changed', health, output, checkedAt, action });
    this.#waiters.settle();
    // As `rc svc -r`: the down-signal (timeout-kill applies); it comes back, counted in restarts.
    if (health === 'unhealthy' && action === 'restart' && this.#state === s) this.restart();
  }

  /** lock-fd: the locked fd to pass, null = no lock, 'wait' = a previous instance holds it (retrying). */
  #takeLock(automatic: boolean): number | null | 'wait' {
    const { service, lockPath, locker } = this.#o;
    if (service.lockFd === null || lockPath === undefined) return null;
    const taken = locker.tryLock(lockPath);
    if (taken.ok) return taken.value;
    if (taken.error.kind === 'system') {
      this.#emit({ type: 'lock-failed', path: lockPath, message: taken.error.message });
      return null;
    }
    const already = this.#state.kind === 'waiting' && this.#state.reason === 'lock';
    this.#waitThenSpawn('lock', LOCK_RETRY_MS, automatic);
    if (!already) this.#emit({ type: 'lock-busy', path: lockPath, message: lockBusyMessage(this.name, lockPath) });
    return 'wait';
  }

  #onSpawnFailed(child: ChildHandle, end: ChildEnd): void {
    if (this.#state.kind !== 'spawning' || this.#state.child !== child) return;
    const errno = end.kind === 'spawn-error' ? end.errno : 'EUNKNOWN';
    const { path, message } = execFailure(this.#o, 'run', errno);
    this.#h.lastExecError = message;
    if (this.#exiting || !this.#wantUp) {
      // Not wanted up (once, or down meanwhile): reported, not retried.
      this.#to({ kind: 'down' });
      this.#emit({ type: 'exec-failed', path, errno, message, retryInMs: 0 });
      if (this.#exiting) this.#finalize();
      return;
    }
    const timer = this.#o.clock.setTimer(EXEC_RETRY_MS, () => this.#retryAfterExecFailure());
    this.#to({ kind: 'waiting', reason: 'exec-retry', timer });
    this.#emit({ type: 'exec-failed', path, errno, message, retryInMs: EXEC_RETRY_MS });
  }

  #retryAfterExecFailure(): void {
    if (this.#state.kind === 'waiting' && this.#wantUp) this.#spawnRun(false);
  }

  #onReady(run: Run): void {
    if (this.#state.kind !== 'up' || this.#state.run !== run) return;
    run.readySince = this.#o.clock.wallNow();
    run.readyAt = this.#o.clock.now();
    this.#to({ kind: 'ready', run });
    this.#emit({ type: 'ready' });
    // A 'ready' listener may have given a command meanwhile.
    if (currentRun(this.#state) === run) this.#startHealth(run);
  }

  #onNotReady(run: Run, reason: 'eof' | 'timeout', message: string): void {
    if (currentRun(this.#state) !== run) return;
    run.notReady = reason;
    run.notReadyMessage = message;
    this.#emit({ type: 'not-ready', reason, message });
    this.#waiters.settle();
  }

  #beginStop(run: Run): void {
    run.readiness?.stop();
    run.health?.stop();
    const { service, clock, spawner } = this.#o;
    const onKill = (): void => this.#emit({ type: 'kill-escalated', pgid: run.pid });
    // timeout-kill expired: SIGKILL the whole process group, again every 5 s.
    const killTimer = service.timeoutKill > 0 ? escalateKill(clock, spawner, run.pid, service.timeoutKill, onKill) : null;
    this.#to({ kind: 'stopping', run, killTimer });
    this.#sendDownSignal(run);
  }

  #sendDownSignal(run: Run): void {
    const sig = this.#o.service.downSignal;
    run.child.kill(sig);
    run.child.kill('SIGCONT');
    this.#emit({ type: 'stopping', pid: run.pid, signal: sig });
  }

  #onRunEnd(run: Run, end: ChildEnd): void {
    const s = this.#state;
    if (currentRun(s) !== run) return;
    if (s.kind === 'stopping') s.killTimer?.cancel();
    run.readiness?.stop();
    run.health?.stop();
    const { clock, spawner } = this.#o;
    const exit: ExitInfo = end.kind === 'exit' ? { code: end.code, signal: end.signal } : { code: null, signal: null };
    this.#h.died(exit, clock.wallNow(), clock.now() - run.spawnedAt);
    const expected = s.kind === 'stopping' || !this.#wantUp;
    this.#to({ kind: 'finishing', readyAt: run.readyAt });
    this.#emit({ type: 'exited', pid: run.pid, ...exit, expected });
    // Whatever is left in the service's process group goes with it.
    if (spawner.killGroup(run.pid, 'SIGKILL')) this.#emit({ type: 'leftovers-killed', pgid: run.pid });
    if (!this.#o.service.hasFinish) return this.#afterDown(run.readyAt, false);
    startFinish(this.#o, exit, {
      started: (pid) => this.#emit({ type: 'finish-started', pid }),
      timedOut: (pid) => this.#emit({ type: 'finish-timeout', pid }),
      ended: (fin) => this.#onFinishEnd(run.readyAt, fin),
    });
  }

  #onFinishEnd(readyAt: number | null, end: ChildEnd): void {
    if (this.#state.kind !== 'finishing') return;
    if (end.kind === 'spawn-error') {
      const { path, message } = execFailure(this.#o, 'finish', end.errno);
      this.#emit({ type: 'finish-failed', path, errno: end.errno, message });
      return this.#afterDown(readyAt, false);
    }
    this.#emit({ type: 'finish-done', code: end.code, signal: end.signal });
    this.#afterDown(readyAt, end.code === 125);
  }

  /** Dead and finish done: down, failed (finish exited 125), or on the way back up. */
  #afterDown(readyAt: number | null, permanent: boolean): void {
    const reason = 'finish exited 125 (permanent failure)';
    const next: State = permanent ? { kind: 'failed', reason } : { kind: 'down' };
    if (permanent) this.#want(false);
    this.#to(next);
    if (permanent) this.#emit({ type: 'permanent-failure', reason });
    this.#emit({ type: 'down' });
    if (this.#state !== next) return; // an event handler already gave a command
    if (this.#exiting) return this.#finalize();
    if (!permanent && this.#wantUp) this.#scheduleRestart(readyAt);
  }

  #scheduleRestart(readyAt: number | null): void {
    const { service, clock } = this.#o;
    const floorMs = service.restartDelay ?? S6_THROTTLE_MS;
    const delay = restartDelay({ floorMs, readyAt, now: clock.now(), fastDeaths: this.#h.fastDeaths });
    if (delay <= 0) return this.#spawnRun(true);
    this.#waitThenSpawn('throttle', delay, true);
    this.#emit({ type: 'throttled', delayMs: delay });
  }

  /** Wait `ms` in `waiting`, then spawn, unless a command changed the state meanwhile. */
  #waitThenSpawn(reason: 'throttle' | 'lock', ms: number, automatic: boolean): void {
    const timer = this.#o.clock.setTimer(ms, () => {
      if (this.#state.kind === 'waiting' && this.#state.timer === timer) this.#spawnRun(automatic);
    });
    this.#to({ kind: 'waiting', reason, timer });
  }

  #finalize(): void {
    if (this.#state.kind === 'exited') return;
    this.#to({ kind: 'exited' });
    this.#emit({ type: 'supervisor-exited' });
    this.#exiting?.resolve();
  }
}
