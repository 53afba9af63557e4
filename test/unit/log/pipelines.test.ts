// log/pipelines: every consumer of a db with its producers.
import { expect } from 'chai';
import type { DbIndex, LongrunService } from '../../../lib/db/types.js';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineSet, pipelinesFromDb } from '../../../lib/log/pipelines.js';
import { ok } from '../../../lib/core/result.js';
import { tempDir } from '../../helpers/paths.js';

function longrun(index: number, name: string, producerFor: number | null, consumerFor: number[]): LongrunService {
  return {
    type: 'longrun', index, name, flags: { essential: false }, deps: [], rdeps: [], timeoutUp: 0, timeoutDown: 0, source: `/src/${name}`,
    hasFinish: false, notificationFd: null, lockFd: null, timeoutKill: 0, timeoutFinish: 5000, maxDeathTally: 100,
    downSignal: 'SIGTERM', restartDelay: null, readiness: null, producerFor, consumerFor, pipelineName: null,
  };
}

describe('log/pipelines (db)', () => {
  it('lists every consumer with its producers by name', () => {
    const db: DbIndex = {
      format: 'rc-compiled-db', version: 1, sources: [], bundles: [],
      services: [longrun(0, 'api', 2, []), longrun(1, 'worker', 2, []), longrun(2, 'api-log', 3, [1, 0]), longrun(3, 'shipper', null, [2]), longrun(4, 'db', null, [])],
    };
    expect(pipelinesFromDb(db)).to.deep.equal([
      { consumer: 'api-log', producers: ['api', 'worker'] },
      { consumer: 'shipper', producers: ['api-log'] },
    ]);
  });

  it('never follows a link planted at pipes/: no FIFO is created elsewhere', () => {
    const t = tempDir();
    try {
      const elsewhere = join(t.path, 'elsewhere');
      mkdirSync(elsewhere);
      symlinkSync(elsewhere, join(t.path, 'pipes'));
      const made: string[] = [];
      const ops = { mkfifo: (path: string) => (made.push(path), ok(undefined)), clearNonBlock: () => undefined };
      const set = new PipelineSet(join(t.path, 'pipes'), [{ consumer: 'log', producers: ['app'] }], ops);
      const r = set.open();
      expect(r.ok).to.equal(false);
      expect(r.ok ? '' : r.error.message).to.include('is a symbolic link');
      expect(made).to.deep.equal([]);
      expect(readdirSync(elsewhere)).to.deep.equal([]);
    } finally {
      t.cleanup();
    }
  });
});
