// daemon: the long-running root (rc boot): live dir, state, request queue, control server, shutdown.
export { Daemon, type DaemonOptions, type DaemonPhase } from './daemon.js';
export { openDaemon, type OpenDaemonOptions } from './open.js';
export type { BootError, DaemonWiring } from './wiring.js';
export { DEFAULT_LIVE, livePaths, openLiveDir, type LivePaths, type LiveDir, type LiveDirError } from './live-dir.js';
export { readPreviousState, LiveStateStore, type LiveStateFile, type ServiceRecord } from './live-state.js';
export { SupervisorDriver, type DriverOptions } from './driver.js';
export type { ServiceSet, LiveView, WaitOutcome } from './service-set.js';
export { MainCommand, mainExit, type MainCommandOptions, type MainExit } from './main-command.js';
export { Container, ON_FAIL_MODES, type ContainerDaemon, type ContainerOptions, type OnFail } from './container.js';
export { openScandirDaemon, type OpenScandirOptions, type ScandirDaemon } from './scandir-open.js';
