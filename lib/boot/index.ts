// boot: rc boot as a library: container policy, the main command, signals, PID-1 duties.
export { MainCommand, mainExit, type MainCommandOptions, type MainExit } from './main-command.js';
export { Container, ON_FAIL_MODES, type ContainerDaemon, type ContainerOptions, type OnFail } from './container.js';
export { runBoot } from './boot.js';
export { wantsColour, type BootOptions, type BootPort, type BootStream } from './port.js';
export { openDaemon, type OpenDaemonOptions } from './open-daemon.js';
export type { BootError, DaemonWiring } from './wiring.js';
