// Readiness of one run: s6's notification-fd protocol, a polling probe or a log line (rc extensions).
import type { Clock, TimerHandle } from '../core/clock.js';
import type { LongrunService, PollingProbe, ReadinessProbe } from '../db/types.js';
import { watchLogLine } from './log-readiness.js';
import { describeProbe, probeAttempt, type ProbeAttempt, type ProbeContext } from './probes.js';
import type { ChildHandle } from './spawner.js';

export interface ReadinessCallbacks {
  ready(): void;
  /** This run will never be ready: the fd closed without a newline, or the probe gave up. */
  notReady(reason: 'eof' | 'timeout', message: string): void;
}

export interface ReadinessWatch {
  /** Stop watching (on death or stop); no callback fires afterwards. */
  stop(): void;
}

const NL = 0x0a;

/** s6 protocol: a newline on the fd means ready; bytes before it are ignored; EOF first = never. */
export function watchNotificationFd(fd: number, stream: NodeJS.ReadableStream, cb: ReadinessCallbacks): ReadinessWatch {
  let active = true;
  const stop = (): void => {
    if (!active) return;
    active = false;
    stream.removeListener('data', onData);
    stream.removeListener('end', onEnd);
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  };
  const onData = (chunk: Buffer | string): void => {
    const hasNewline = typeof chunk === 'string' ? chunk.includes('\n') : chunk.includes(NL);
    if (!hasNewline) return;
    stop();
    cb.ready();
  };
  const onEnd = (): void => {
    if (!active) return;
    stop();
    cb.notReady('eof', `notification-fd ${fd} was closed without a newline`);
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', () => undefined);
  return { stop };
}

/**
 * Poll `attempt` right away, then every `intervalMs` after the previous try ended. When
 * `timeoutMs` (> 0) passes without success the probe gives up: this run is never ready
 * (like s6-notifyoncheck giving up). Probing stops once ready and on stop().
 */
export function watchProbe(probe: ReadinessProbe, attempt: ProbeAttempt, clock: Clock, cb: ReadinessCallbacks): ReadinessWatch {
  let active = true;
  const abort = new AbortController();
  let next: TimerHandle | null = null;
  const stop = (): void => {
    if (!active) return;
    active = false;
    next?.cancel();
    deadline?.cancel();
    abort.abort();
  };
  const deadline =
    probe.timeoutMs > 0
      ? clock.setTimer(probe.timeoutMs, () => {
          stop();
          cb.notReady('timeout', `${describeProbe(probe)}: not ready after ${probe.timeoutMs} ms`);
        })
      : null;
  const tryOnce = (): void => {
    next = null;
    attempt(abort.signal).then(
      (ok) => {
        if (!active) return;
        if (ok) {
          stop();
          cb.ready();
        } else next = clock.setTimer(probe.intervalMs, tryOnce);
      },
      () => {
        if (active) next = clock.setTimer(probe.intervalMs, tryOnce);
      },
    );
  };
  tryOnce();
  return { stop };
}

/** Build the attempt function of a probe (tests replace the real network/command probes). */
export type ProbeFactory = (probe: PollingProbe, ctx: ProbeContext) => ProbeAttempt;

/** Watch one run: notification-fd if configured (it wins over a probe), else the probe, else nothing. */
export function watchRunReadiness(
  service: LongrunService,
  child: ChildHandle,
  ctx: ProbeContext,
  factory: ProbeFactory | undefined,
  cb: ReadinessCallbacks,
): ReadinessWatch | null {
  const fd = service.notificationFd;
  if (fd !== null && child.notification) return watchNotificationFd(fd, child.notification, cb);
  const probe = service.readiness;
  if (!probe) return null;
  if (probe.kind === 'log') return watchLogLine(probe, [child.stdout, child.stderr], ctx.clock, cb);
  return watchProbe(probe, (factory ?? probeAttempt)(probe, ctx), ctx.clock, cb);
}
