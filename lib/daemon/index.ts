// daemon: the request core: the typed DaemonApi, the queue, wanted vs up, the service driver, shutdown, the event vocabulary.
export { Daemon, type DaemonOptions, type DaemonPhase } from './daemon.js';
export { messageEvent } from './daemon.js';
export * from './events.js';
export type * from './types.js';
export type { Rescanner, RescanHost, RescanJob } from './jobs.js';
export { SupervisorDriver, type DriverOptions } from './driver.js';
export type { ServiceSet, LiveView, WaitOutcome } from './service-set.js';
