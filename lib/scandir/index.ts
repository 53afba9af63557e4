// scandir: rc boot --scandir (s6-svscan style): read a scan directory, run one longrun per folder, rescan.
export { readScandir, loggerName, type ScandirService, type ScandirRead, type ScandirError } from './read.js';
export { openScandirDaemon, type OpenScandirOptions, type ScandirDaemon } from './open.js';
