// Readiness probe attempts (rc extensions ready-tcp, ready-http, ready-cmd): one try each, true = ready; the TCP and HTTP tries are shared with the health checks.
import { connect } from 'node:net';
import type { Clock } from '../core/clock.js';
import type { PollingProbe, ReadinessProbe } from '../db/types.js';
import type { Spawner } from './spawner.js';

/** One probe try; must settle by itself, and settle false soon after `signal` aborts. */
export type ProbeAttempt = (signal: AbortSignal) => Promise<boolean>;

export interface ProbeContext {
  spawner: Spawner;
  clock: Clock;
  /** cwd of a ready-cmd: the service's compiled dir. */
  dir: string;
  env: NodeJS.ProcessEnv;
}

/** A single try never takes longer than this (or the interval, if longer). */
export const MIN_ATTEMPT_TIMEOUT_MS = 1000;

/**
 * Settle once with what `body` reports (or `fallback` on abort and after `ms`), running the
 * cleanup `body` returned first. Shared by the readiness probes and the health checks.
 */
export function settleOnce<T>(clock: Clock, ms: number, signal: AbortSignal, fallback: () => T, body: (done: (v: T) => void) => () => void): Promise<T> {
  return new Promise((resolve) => {
    let settled = false;
    let cleanup: () => void = () => undefined;
    const done = (v: T): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      signal.removeEventListener('abort', onAbort);
      cleanup();
      resolve(v);
    };
    const onAbort = (): void => done(fallback());
    const timer = clock.setTimer(ms, () => done(fallback()));
    if (signal.aborted) return done(fallback());
    signal.addEventListener('abort', onAbort, { once: true });
    const release = body(done);
    if (settled) release();
    else cleanup = release;
  });
}

/** What one network try found: `output` says what happened, for health messages. */
export interface NetOutcome {
  ok: boolean;
  output: string;
}

const timedOut = (ms: number) => (): NetOutcome => ({ ok: false, output: `timed out after ${ms} ms` });

/** One TCP connect to host:port; shared by ready-tcp and health-tcp. */
export function tcpTry(host: string, port: number, clock: Clock, ms: number, signal: AbortSignal): Promise<NetOutcome> {
  return settleOnce(clock, ms, signal, timedOut(ms), (done) => {
    const socket = connect({ host, port });
    socket.once('connect', () => done({ ok: true, output: `connected to ${host}:${port}` }));
    socket.once('error', (e) => done({ ok: false, output: e.message }));
    return () => socket.destroy();
  });
}

/** node:http(s) are loaded on first use: they cost the daemon a few MB of RSS otherwise. */
export const loadGet = async (url: string): Promise<typeof import('node:http').get> =>
  url.startsWith('https:') ? (await import('node:https')).get : (await import('node:http')).get;

/** One GET of `url`: 2xx/3xx is ok; shared by ready-http and health-http. */
export async function httpTry(url: string, clock: Clock, ms: number, signal: AbortSignal): Promise<NetOutcome> {
  const getter = await loadGet(url);
  return settleOnce(clock, ms, signal, timedOut(ms), (done) => {
    const req = getter(url, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      done({ ok: code >= 200 && code < 400, output: `HTTP ${code}${res.statusMessage ? ` ${res.statusMessage}` : ''}` });
    });
    req.once('error', (e) => done({ ok: false, output: e.message }));
    return () => req.destroy();
  });
}

const attempt = (clock: Clock, ms: number, signal: AbortSignal, body: (done: (ok: boolean) => void) => () => void): Promise<boolean> =>
  settleOnce(clock, ms, signal, () => false, body);

function cmd(argv: string[], ctx: ProbeContext, ms: number): ProbeAttempt {
  return (signal) =>
    attempt(ctx.clock, ms, signal, (done) => {
      const child = ctx.spawner.spawn({
        file: argv[0] ?? 'true',
        args: argv.slice(1),
        cwd: ctx.dir,
        env: ctx.env,
        stdio: { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' },
      });
      let ended = false;
      child.onEnd((end) => {
        ended = true;
        done(end.kind === 'exit' && end.code === 0);
      });
      return () => {
        if (!ended && child.pid !== undefined) ctx.spawner.killGroup(child.pid, 'SIGKILL');
      };
    });
}

/** Build the attempt function for a probe. */
export function probeAttempt(probe: PollingProbe, ctx: ProbeContext): ProbeAttempt {
  const ms = Math.max(MIN_ATTEMPT_TIMEOUT_MS, probe.intervalMs);
  switch (probe.kind) {
    case 'tcp':
      return async (signal) => (await tcpTry(probe.host, probe.port, ctx.clock, ms, signal)).ok;
    case 'http':
      return async (signal) => (await httpTry(probe.url, ctx.clock, ms, signal)).ok;
    case 'cmd':
      return cmd(probe.argv, ctx, ms);
  }
}

/** A short human description, for messages. */
export function describeProbe(probe: ReadinessProbe): string {
  switch (probe.kind) {
    case 'tcp':
      return `ready-tcp ${probe.host}:${probe.port}`;
    case 'http':
      return `ready-http ${probe.url}`;
    case 'cmd':
      return `ready-cmd ${probe.argv.join(' ')}`;
    case 'log':
      return `ready-log ${probe.pattern}`;
  }
}
