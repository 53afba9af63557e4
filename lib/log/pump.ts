// Feeds a readable stream into a FileLogger and stops it cleanly: nothing read is ever lost.
import type { Readable } from 'node:stream';
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';
import type { FileLogger, FileLoggerStats } from './file-logger.js';

export interface PumpOptions {
  clock?: Clock;
  /** On stop, how long to wait for an unfinished line to complete (default 200 ms). */
  graceMs?: number;
}

export interface Pump {
  /** Resolves when the input ended or the pump was stopped, after the logger was closed. */
  done: Promise<FileLoggerStats>;
  /** Stop reading (SIGTERM): flush what was read and close. */
  stop: () => void;
}

/**
 * Read `input` into `logger` until EOF or `stop()`. On stop, if a line is half read, reading
 * goes on for up to graceMs so that it can complete (producers write whole lines, so reads
 * normally end on a line boundary); then reading stops, whatever the stream already holds is
 * written, and the handle is closed, so the bytes still in the pipe stay there for the next
 * reader (a restarted logger) and nothing read is dropped.
 */
export function pumpToFileLogger(input: Readable, logger: FileLogger, options: PumpOptions = {}): Pump {
  const clock = options.clock ?? systemClock;
  let stopping = false;
  let finished = false;
  let grace: TimerHandle | null = null;
  let resolveDone!: (stats: FileLoggerStats) => void;
  const done = new Promise<FileLoggerStats>((resolve) => (resolveDone = resolve));

  const finish = (): void => {
    if (finished) return;
    finished = true;
    grace?.cancel();
    input.pause();
    for (let chunk = input.read() as Buffer | null; chunk !== null; chunk = input.read() as Buffer | null) {
      logger.write(toBuffer(chunk));
    }
    input.destroy();
    resolveDone(logger.end());
  };

  input.on('data', (chunk: Buffer | string) => {
    logger.write(toBuffer(chunk));
    if (stopping && logger.pending === 0) finish();
  });
  input.on('end', finish);
  input.on('error', finish);

  const stop = (): void => {
    if (stopping || finished) return;
    stopping = true;
    if (logger.pending === 0) return finish();
    grace = clock.setTimer(options.graceMs ?? 200, finish);
  };
  return { done, stop };
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}
