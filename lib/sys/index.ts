// sys: the operating system: libc through koffi, /proc parsing, flock, FIFOs.
export * from './flock.js';
export { createFifoOps, type FifoOps } from './fifo.js';
