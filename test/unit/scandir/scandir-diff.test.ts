// The scandir Db (loggers as dependencies, folders as service dirs) and the rescan diff (kept / replaced / added / removed).
import { expect } from 'chai';
import { join } from 'node:path';
import { scandirDb } from '../../../lib/scandir/scandir-db.js';
import { diffScandir } from '../../../lib/scandir/scanner.js';
import type { LongrunService } from '../../../lib/db/types.js';
import type { ScandirService } from '../../../lib/scandir/read.js';
import type { SourceLongrun } from '../../../lib/source/types.js';

const DIR = '/srv/scan';

function svc(name: string, extra: Partial<SourceLongrun> = {}, logger: string | null = null): ScandirService {
  const loggerOf = name.endsWith('/log') ? name.slice(0, -4) : null;
  const longrun = {
    type: 'longrun', name, dir: join(DIR, name), sourceDir: DIR, essential: false, entries: ['run'], deps: [], timeoutUp: 0, timeoutDown: 0,
    run: { bytes: '' }, finish: null, notificationFd: null, lockFd: null, timeoutKill: null, timeoutFinish: null, maxDeathTally: null,
    downSignalText: null, downSignal: 'SIGTERM', copyDirs: [], producerFor: null, consumerFor: [], pipelineName: null, readiness: null, restartDelay: null,
    ...extra,
  } as SourceLongrun;
  return { name, dir: join(DIR, name), longrun, down: false, logger, loggerOf };
}

describe('daemon/scandir: the Db of a scan directory and the rescan diff', () => {
  it('runs each service from its folder; a service depends on its logger through a pipe', () => {
    const db = scandirDb(DIR, [svc('a', {}, 'a/log'), svc('a/log'), svc('b', { notificationFd: 3, downSignal: 'SIGHUP' })]);
    expect(db.servicedir(0)).to.equal('/srv/scan/a');
    expect(db.servicedir(1)).to.equal('/srv/scan/a/log');
    const [a, log, b] = db.index.services as LongrunService[];
    expect(a).to.include({ producerFor: 1 });
    expect(a!.deps).to.deep.equal([1]);
    expect(log!.consumerFor).to.deep.equal([0]);
    expect(log!.rdeps).to.deep.equal([0]);
    expect(b).to.include({ notificationFd: 3, downSignal: 'SIGHUP', timeoutFinish: 5000, maxDeathTally: 100, timeoutKill: 0 });
    expect(db.index.bundles).to.deep.equal([]);
  });

  it('same name and settings → unchanged (whatever the index); new settings or a new logger → changed', () => {
    const before = scandirDb(DIR, [svc('a'), svc('b'), svc('c', { notificationFd: 3 }), svc('gone')]);
    const after = scandirDb(DIR, [svc('0-new'), svc('a', {}, 'a/log'), svc('a/log'), svc('b'), svc('c', { notificationFd: 4 })]);
    expect(diffScandir(before, after)).to.deep.equal({
      added: ['0-new', 'a/log'],
      removed: ['gone'],
      changed: ['a', 'c'],
      unchanged: ['b'],
    });
  });

  it('nothing changed → everything unchanged', () => {
    const list = [svc('a', {}, 'a/log'), svc('a/log'), svc('b')];
    const d = diffScandir(scandirDb(DIR, list), scandirDb(DIR, list));
    expect(d).to.deep.equal({ added: [], removed: [], changed: [], unchanged: ['a', 'a/log', 'b'] });
  });
});
