// `rc probe NAME`: is NAME ready now? Its ready-* probe run once, else the readiness file `rc run` writes.
import type { Clock } from '../core/clock.js';
import type { AtomicService } from '../db/types.js';
import { describeProbe, probeAttempt } from './probes.js';
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
}

export interface ProbeAnswer {
  ready: boolean;
  /** What was checked and what it said, for the user. */
  why: string;
}

/** A polling probe (ready-tcp / ready-http / ready-cmd) is tried once; anything else reads the readiness file. */
export async function probeOnce(o: ProbeOnceOptions): Promise<ProbeAnswer> {
  const s = o.service;
  const probe = s.type === 'longrun' && s.notificationFd === null ? s.readiness : null;
  if (probe === null) return readReadyFile(o.readyFile);
  const attempt = probeAttempt(probe, { spawner: o.spawner, clock: o.clock, dir: o.dir, env: serviceEnv(o.env, s.name) });
  const ready = await attempt(new AbortController().signal);
  return { ready, why: `${describeProbe(probe)}: ${ready ? 'answered' : 'did not answer'}` };
}
