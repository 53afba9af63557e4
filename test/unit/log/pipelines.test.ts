// log/pipelines: every consumer of a db with its producers.
import { expect } from 'chai';
import type { DbIndex, LongrunService } from '../../../lib/db/types.js';
import { pipelinesFromDb } from '../../../lib/log/pipelines.js';

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
});
