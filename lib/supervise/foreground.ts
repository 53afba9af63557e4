// `rc run NAME`: one service in the foreground as a container's command: a oneshot's up, or a longrun's run then finish.
import type { Clock, TimerHandle } from '../core/clock.js';
import { signalNumber } from '../core/signals.js';
import type { AtomicService, LongrunService, OneshotService } from '../db/types.js';
import { describeExecFailure } from './exec-errors.js';
import { escalateKill, runFinish } from './finish.js';
import { OneshotRunner } from './oneshot.js';
import { attachOutput, finishRequest, runRequest, serviceEnv } from './programs.js';
import { watchRunReadiness, type ReadinessCallbacks, type ReadinessWatch } from './readiness.js';
import { removeReadyFile, writeReadyFile } from './ready-file.js';
import type { ChildEnd, Spawner } from './spawner.js';
import type { OutputSink, StdioRouting } from './types.js';

/** Subscribe to the signals the process receives; returns the unsubscribe function. */
export type SignalSource = (handler: (signal: NodeJS.Signals) => void) => () => void;

export interface ForegroundOptions {
  service: AtomicService;
  /** The service's compiled directory: the cwd. */
  dir: string;
  spawner: Spawner;
  clock: Clock;
  /** Base environment; RC_NAME is added. */
  env: NodeJS.ProcessEnv;
  /** Written when the service is ready (a oneshot: when up succeeded), removed when it stops. */
  readyFile: string;
  /** A oneshot's output (its up runs with piped output, as under rc boot). */
  output: OutputSink;
  signals: SignalSource;
  /** One line for the user (stderr). */
  report(line: string): void;
}

/** The conventional code of a death by signal. */
const bySignal = (signal: string): number => 128 + signalNumber(signal as NodeJS.Signals);

/** Signals that ask the service to stop (a container runtime sends TERM; a terminal INT). */
const STOP_SIGNALS: ReadonlySet<string> = new Set(['SIGTERM', 'SIGINT']);

/** Run the service to its end; resolves the exit code the container should end with. */
export function runForeground(o: ForegroundOptions): Promise<number> {
  removeReadyFile(o.readyFile);
  return o.service.type === 'oneshot' ? runOneshot(o, o.service) : runLongrun(o, o.service);
}

/** up's exit code (128 + n when killed by signal n; 2 after timeout-up; 126/127 when it cannot run). */
async function runOneshot(o: ForegroundOptions, s: OneshotService): Promise<number> {
  const abort = new AbortController();
  const unsubscribe = o.signals((sig) => {
    if (STOP_SIGNALS.has(sig)) abort.abort();
  });
  const runner = new OneshotRunner({ spawner: o.spawner, clock: o.clock });
  const r = await runner.run({ name: s.name, dir: o.dir, argv: s.up, timeoutMs: s.timeoutUp, signal: abort.signal, output: o.output, env: o.env, direction: 'up' });
  unsubscribe();
  if (r.ok) {
    writeReadyFile(o.readyFile, { pid: null, since: Date.now() });
    return 0;
  }
  o.report(r.message);
  switch (r.reason) {
    case 'exit-code':
      return r.exitCode ?? 1;
    case 'timeout':
      return 2;
    case 'not-found':
      return 127;
    case 'exec-failed':
      return 126;
    default:
      return r.signal ? bySignal(r.signal) : bySignal('SIGTERM');
  }
}

/** The stdio of `rc run`'s own process: the container's. */
const INHERIT: StdioRouting = { stdin: 0, stdout: 1, stderr: 2 };
/** ready-log: output through pipes, copied to ours by the OutputSink and read for the line. */
const PIPED: StdioRouting = { stdin: 0, stdout: 'sink', stderr: 'sink' };

const readsLog = (s: LongrunService): boolean => s.notificationFd === null && s.readiness?.kind === 'log';

/** run, then finish; TERM/INT become the down-signal; other signals are passed on as they are. */
function runLongrun(o: ForegroundOptions, s: LongrunService): Promise<number> {
  return new Promise((resolve) => {
    const child = o.spawner.spawn(runRequest(s, o.dir, o.env, readsLog(s) ? PIPED : INHERIT));
    const pid = child.pid;
    let stopping = false;
    let killer: TimerHandle | null = null;
    let watch: ReadinessWatch | null = null;
    const stop = (): void => {
      if (stopping || pid === undefined) return;
      stopping = true;
      child.kill(s.downSignal);
      child.kill('SIGCONT');
      if (s.timeoutKill > 0) killer = escalateKill(o.clock, o.spawner, pid, s.timeoutKill, () => o.report(`${s.name}: still running ${s.timeoutKill} ms after ${s.downSignal}: SIGKILL`));
    };
    const unsubscribe = o.signals((sig) => (STOP_SIGNALS.has(sig) || sig === s.downSignal ? stop() : child.kill(sig)));
    if (pid !== undefined) watch = watchReady(o, s, child, pid);
    child.onEnd((end) => {
      unsubscribe();
      watch?.stop();
      killer?.cancel();
      removeReadyFile(o.readyFile);
      if (pid !== undefined) o.spawner.killGroup(pid, 'SIGKILL');
      const code = exitCode(o, s, end, stopping);
      if (end.kind === 'exit' && s.hasFinish) finish(o, s, end, () => resolve(code));
      else resolve(code);
    });
  });
}

/** notification-fd, a polling probe or ready-log write the readiness file when ready; without any, at once (as s6). */
function watchReady(o: ForegroundOptions, s: LongrunService, child: Parameters<typeof watchRunReadiness>[1], pid: number): ReadinessWatch | null {
  const ready = (): void => writeReadyFile(o.readyFile, { pid, since: Date.now() });
  const cb: ReadinessCallbacks = {
    ready: () => {
      ready();
      o.report(`${s.name}: ready`);
    },
    notReady: (_reason, message) => o.report(`${s.name}: never ready: ${message}`),
  };
  // ready-log reads the piped output (watchRunReadiness matches its lines); it still reaches rc run's own output.
  if (readsLog(s)) attachOutput(child, s.name, o.output);
  const w = watchRunReadiness(s, child, { spawner: o.spawner, clock: o.clock, dir: o.dir, env: serviceEnv(o.env, s.name) }, undefined, cb);
  if (w === null) ready();
  return w;
}

/** A death asked for (the down-signal, TERM or the SIGKILL after timeout-kill) is a clean stop: 0. */
function exitCode(o: ForegroundOptions, s: LongrunService, end: ChildEnd, stopping: boolean): number {
  if (end.kind === 'spawn-error') {
    const f = describeExecFailure(`${o.dir}/run`, end.errno, o.dir, o.env);
    o.report(`${s.name}: ${f.message}`);
    return f.exitCode;
  }
  if (stopping && (end.signal === null || [s.downSignal, 'SIGTERM', 'SIGKILL'].includes(end.signal))) return end.signal === null ? (end.code ?? 0) : 0;
  if (end.signal) {
    o.report(`${s.name}: killed by ${end.signal}`);
    return bySignal(end.signal);
  }
  return end.code ?? 0;
}

function finish(o: ForegroundOptions, s: LongrunService, end: { code: number | null; signal: string | null }, done: () => void): void {
  runFinish(
    { spawner: o.spawner, clock: o.clock, output: o.output, name: s.name, request: finishRequest(s, o.dir, o.env, INHERIT, end), timeoutMs: s.timeoutFinish },
    {
      started: () => undefined,
      timedOut: () => o.report(`${s.name}: finish still running after ${s.timeoutFinish} ms: SIGKILL`),
      ended: (e) => {
        if (e.kind === 'spawn-error') o.report(`${s.name}: finish could not be run: ${e.message}`);
        done();
      },
    },
  );
}
