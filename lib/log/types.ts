// The log layer's contracts with the supervision core: where a service's output goes.
// Structurally identical to the declarations in lib/supervise/types.ts (kept here so lib/log
// does not depend on supervise).

/** Which output stream of a service a line came from. */
export type LogStream = 'stdout' | 'stderr';

/** Output format of the multiplexer: prefixed text lines, or one JSON object per line. */
export type LogFormat = 'plain' | 'json';

/** Receives a service's output streams (the multiplexer implements it). */
export interface OutputSink {
  attach(service: string, stream: LogStream, source: NodeJS.ReadableStream): void;
}

/** 'sink' = a pipe handed to the OutputSink; 'ignore' = /dev/null; number = an fd the daemon holds. */
export type StdioTarget = 'sink' | 'ignore' | number;

/** How to wire a service's stdio when it is spawned. */
export interface StdioRouting {
  stdin: 'ignore' | number;
  stdout: StdioTarget;
  stderr: StdioTarget;
}

/** Lines longer than this many bytes are split into pieces of at most this size. */
export const MAX_LINE_BYTES = 64 * 1024;
