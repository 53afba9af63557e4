// daemon: the long-running root (rc boot): live dir, state, request queue, control server, shutdown.
export { Daemon, type DaemonOptions, type DaemonPhase } from './daemon.js';
export { openDaemon, type OpenDaemonOptions } from './open.js';
export type { BootError, DaemonWiring } from './wiring.js';
export { SupervisorDriver, type DriverOptions } from './driver.js';
export type { ServiceSet, LiveView, WaitOutcome } from './service-set.js';
