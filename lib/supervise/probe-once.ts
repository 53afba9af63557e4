// `rc probe NAME`: is NAME ready now? Its ready-tcp/http/cmd probe run once, else the readiness file `rc run` writes;
// with `health`, its health check (health-tcp/http/cmd) must pass once too.
import type { Clock } from '../core/clock.js';
import type { AtomicService, HealthCheck, PollingProbe } from '../db/types.js';
import { describeProbe, probeAttempt, type ProbeContext } from './probes.js';
import { readReadyFile } from './ready-file.js';
import type { Spawner } from './spawner.js';
import { serviceEnv } from './programs.js';

export interface ProbeOnceOptions {
  service: AtomicService;
  /** The service's compiled directory: a ready-cmd's cwd. */
  dir: string;
  readyFile: string;
  spawner: Spawner;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  /** Also run the service's health check once (when it has one). */
  health?: boolean;
}

export interface ProbeAnswer {
  ready: boolean;
  /** What was checked and what it said, for the user. */
  why: string;
}

/** One try of a probe; a single try is bounded by max(1 s, the probe's interval), as under rc boot. */
async function tryOnce(probe: PollingProbe, ctx: ProbeContext, label: string): Promise<ProbeAnswer> {
  const ready = await probeAttempt(probe, ctx)(new AbortController().signal);
  return { ready, why: `${label}: ${ready ? 'answered' : 'did not answer'}` };
}

/** A health check as a probe tried once: its own timeout bounds the try. */
const healthProbe = (h: HealthCheck): PollingProbe => ({ ...h, intervalMs: h.timeoutMs, timeoutMs: h.timeoutMs });

export async function probeOnce(o: ProbeOnceOptions): Promise<ProbeAnswer> {
  const s = o.service;
  const ctx: ProbeContext = { spawner: o.spawner, clock: o.clock, dir: o.dir, env: serviceEnv(o.env, s.name) };
  const probe = s.type === 'longrun' && s.notificationFd === null ? s.readiness : null;
  // notification-fd, ready-log and no readiness at all: rc run's readiness file says.
  const ready = probe === null || probe.kind === 'log' ? readReadyFile(o.readyFile) : await tryOnce(probe, ctx, describeProbe(probe));
  const health = s.type === 'longrun' ? s.health : undefined;
  if (!ready.ready || !o.health || health === undefined) return ready;
  const h = await tryOnce(healthProbe(health), ctx, `health-${health.kind}`);
  return { ready: h.ready, why: `${ready.why}; ${h.why}` };
}
