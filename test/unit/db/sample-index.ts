// A tiny hand-made DbIndex for db tests: init <- db <- app, and a bundle `stack`.
import { FORMAT_VERSION, type DbIndex, type LongrunService, type OneshotService } from '../../../lib/db/index.js';

const flags = { essential: false };
function oneshot(index: number, name: string, deps: number[], rdeps: number[]): OneshotService {
  return { type: 'oneshot', index, name, flags, deps, rdeps, timeoutUp: 0, timeoutDown: 0, source: `/src/${name}`, up: ['true'], down: [] };
}
function longrun(index: number, name: string, deps: number[], rdeps: number[]): LongrunService {
  return {
    type: 'longrun', index, name, flags, deps, rdeps, timeoutUp: 0, timeoutDown: 0, source: `/src/${name}`,
    hasFinish: false, notificationFd: null, lockFd: null, timeoutKill: 0, timeoutFinish: 5000, maxDeathTally: 100,
    downSignal: 'SIGTERM', restartDelay: null, readiness: null, producerFor: null, consumerFor: [], pipelineName: null,
  };
}

/** init <- db <- app, plus a bundle `stack` = {db, app}. */
export function sampleIndex(): DbIndex {
  return {
    format: 'rc-compiled-db',
    version: FORMAT_VERSION,
    sources: ['/src'],
    services: [oneshot(0, 'init', [], [1]), longrun(1, 'db', [0], [2]), longrun(2, 'app', [1], [])],
    bundles: [{ name: 'stack', members: [1, 2], contents: ['db', 'app'], flags, source: '/src/stack', pipeline: false }],
  };
}

