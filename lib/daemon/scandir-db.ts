// The immutable Db of a scan directory: one longrun per folder, each run from its own folder.
//
// A service with a logger depends on it (as s6-rc's compiler makes a producer depend on its
// consumer): the logger starts first and stops last, so no line is lost at a stop.
import { resolve } from 'node:path';
import { DEFAULT_MAX_DEATH_TALLY, DEFAULT_TIMEOUT_FINISH } from '../compile/build-index.js';
import { Db } from '../db/db.js';
import { FORMAT_VERSION, type DbIndex, type LongrunService } from '../db/types.js';
import type { ScandirService } from '../source/scandir.js';

/** The db record of one scandir service (indices filled in by `scandirDb`). */
function record(s: ScandirService, index: number): LongrunService {
  const l = s.longrun;
  return {
    type: 'longrun',
    index,
    name: s.name,
    flags: { essential: l.essential },
    deps: [],
    rdeps: [],
    timeoutUp: l.timeoutUp,
    timeoutDown: l.timeoutDown,
    source: resolve(s.dir),
    hasFinish: l.finish !== null,
    notificationFd: l.notificationFd,
    lockFd: l.lockFd,
    timeoutKill: l.timeoutKill ?? 0,
    timeoutFinish: l.timeoutFinish ?? DEFAULT_TIMEOUT_FINISH,
    maxDeathTally: l.maxDeathTally ?? DEFAULT_MAX_DEATH_TALLY,
    downSignal: l.downSignal,
    restartDelay: l.restartDelay,
    readiness: l.readiness,
    producerFor: null,
    consumerFor: [],
    pipelineName: null,
  };
}

/** A Db over the services (in the given order); service directories are the scandir's folders. */
export function scandirDb(scandir: string, services: readonly ScandirService[]): Db {
  const records = services.map((s, i) => record(s, i));
  const indexOf = new Map(records.map((r) => [r.name, r.index]));
  services.forEach((s, i) => {
    if (s.logger === null) return;
    const log = indexOf.get(s.logger);
    if (log === undefined) return;
    const producer = records[i]!;
    const consumer = records[log]!;
    producer.producerFor = log;
    producer.deps = [log];
    consumer.consumerFor = [i];
    consumer.rdeps = [i];
  });
  const index: DbIndex = { format: 'rc-compiled-db', version: FORMAT_VERSION, sources: [resolve(scandir)], services: records, bundles: [] };
  return new Db(index, scandir, { servicedirs: scandir });
}

/** A one-service Db for the supervisor of one scandir service (its driver addresses it as index 0). */
export function singleServiceDb(scandir: string, service: LongrunService): Db {
  const alone: LongrunService = { ...service, index: 0, deps: [], rdeps: [], producerFor: null, consumerFor: [] };
  const index: DbIndex = { format: 'rc-compiled-db', version: FORMAT_VERSION, sources: [resolve(scandir)], services: [alone], bundles: [] };
  return new Db(index, scandir, { servicedirs: scandir });
}

/**
 * What identifies a supervisor's settings: equal keys → the running supervisor is kept at a
 * rescan; different → it is replaced (stopped, and started again with the new settings if it was up).
 */
export function settingsKey(db: Db, i: number): string {
  const s = db.service(i) as LongrunService;
  const logger = s.producerFor === null ? null : db.service(s.producerFor).name;
  const { index: _i, deps: _d, rdeps: _r, producerFor: _p, consumerFor: _c, ...rest } = s;
  return JSON.stringify({ ...rest, logger, isLogger: s.consumerFor.length > 0 });
}
