// lib/log public surface: the output multiplexer, the ring store, pipelines, the file logger.
export * from './types.js';
export { LinePrefixer, isoTime, tai64n, jsonLine } from './prefix.js';
export { LineSplitter, Pieces } from './line-splitter.js';
export { OutputMultiplexer, type MultiplexerOptions, type MultiplexerStats } from './multiplexer.js';
export { RingStore, formatRingLine, type RingLine, type RingListener, type RingOptions, type RingFormatOptions } from './ring.js';
export { PipelineSet, pipelinesFromDb, type PipelineSpec, type PipelineError } from './pipelines.js';
export { FileLogger, TIMESTAMP_STYLES, type FileLoggerOptions, type FileLoggerStats, type TimestampStyle } from './file-logger.js';
export { pumpToFileLogger, type Pump, type PumpOptions } from './pump.js';
export { sameFile } from './destinations.js';
