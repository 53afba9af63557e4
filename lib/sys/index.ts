// sys: the operating system: libc through koffi (loaded once), /proc parsing, errno text, flock, FIFOs.
export * from './errno.js';
export * from './flock.js';
export { createFifoOps, type FifoOps } from './fifo.js';
export { decodeWaitStatus, loadLibc, sharedLibc, type ExitStatus, type Libc, type ProcessLibc } from './libc.js';
export * from './proc-stat.js';
export * from './proc.js';
export * from './proc-table.js';
export * from './proc-children.js';
export * from './limits.js';
export * from './spawn-calls.js';
export * from './child-waiter.js';
export * from './private-dir.js';
