// The immutable Db of a scan directory: one longrun per folder, each run from its own folder.
//
// A service with a logger depends on it (as s6-rc's compiler makes a producer depend on its
// consumer): the logger starts first and stops last, so no line is lost at a stop.
import { resolve } from 'node:path';
import { longrunService } from '../compile/build-index.js';
import { Db } from '../db/db.js';
import { FORMAT_VERSION, type DbIndex, type LongrunService } from '../db/types.js';
import type { ScandirService } from './read.js';

/** The db record of one scandir service (deps and pipeline links filled in by `scandirDb`). */
function record(s: ScandirService, index: number): LongrunService {
  const place = { essential: s.longrun.essential, deps: [], rdeps: [], source: resolve(s.dir) };
  return longrunService(s.longrun, index, place, { producerFor: null, consumerFor: [], pipelineName: null });
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
