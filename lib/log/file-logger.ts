// FileLogger: `rc log`'s core — whole lines appended to DIR/current, size rotation, drop on failure.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { makeDirs } from './make-dirs.js';
import { join } from 'node:path';
import { systemClock, type Clock } from '../core/clock.js';
import { CURRENT, archiveCurrent } from './archives.js';
import { LineSplitter, Pieces } from './line-splitter.js';
import { isoTime, tai64n } from './prefix.js';

export type TimestampStyle = 'iso' | 'tai64n' | 'none';
export const TIMESTAMP_STYLES: readonly TimestampStyle[] = ['iso', 'tai64n', 'none'];

export interface FileLoggerOptions {
  dir: string;
  /** Rotate before `current` would grow past this many bytes. */
  maxSize: number;
  /** Archives kept (the newest ones). */
  maxFiles: number;
  timestamp: TimestampStyle;
  /** Receives human-readable problems (the CLI prints them on stderr). */
  warn: (message: string) => void;
  clock?: Clock;
  /** After a failure, try the directory again at most this often (default 1000 ms). */
  retryMs?: number;
  /** While dropping, repeat the dropped count at most this often (default 10000 ms). */
  warnEveryMs?: number;
}

export interface FileLoggerStats {
  lines: number;
  rotations: number;
  droppedLines: number;
  droppedBytes: number;
}

interface Failure {
  reason: string;
  retryAt: number;
  lastWarnAt: number;
  lines: number;
  bytes: number;
}

/**
 * Appends whole lines to DIR/current. Before a line would take `current` past maxSize, the
 * file is fsynced and renamed to @<tai64n>.s and only the newest maxFiles archives are kept.
 * A line is never split across files. When the directory cannot be written (full disk,
 * permissions), lines are dropped and counted and the directory is retried every retryMs:
 * the logger never blocks its producers. Synchronous I/O: it is the only job of its process.
 */
export class FileLogger {
  readonly #o: FileLoggerOptions;
  readonly #clock: Clock;
  readonly #splitter = new LineSplitter();
  readonly #pieces = new Pieces();
  #fd: number | null = null;
  #size = 0;
  #failure: Failure | null = null;
  #stats: FileLoggerStats = { lines: 0, rotations: 0, droppedLines: 0, droppedBytes: 0 };

  constructor(options: FileLoggerOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Open (creating DIR if needed) and append to `current`; on failure, warn and drop until it works. */
  open(): boolean {
    return this.#ready();
  }

  /** Bytes of an unfinished line held back until its newline arrives. */
  get pending(): number {
    return this.#splitter.pending;
  }

  stats(): FileLoggerStats {
    return { ...this.#stats };
  }

  write(chunk: Buffer): void {
    this.#pieces.reset();
    this.#splitter.push(chunk, this.#pieces);
    this.#writeLines(this.#pieces);
  }

  /** Rotate now if `current` is not empty (SIGALRM, as s6-log). */
  rotate(): void {
    if (this.#fd !== null && this.#size > 0) this.#rotate();
  }

  /** Write the unfinished line (a newline is added), fsync and close. */
  end(): FileLoggerStats {
    this.#pieces.reset();
    this.#splitter.end(this.#pieces);
    this.#writeLines(this.#pieces);
    if (this.#fd !== null) {
      try {
        fsyncSync(this.#fd);
      } catch {
        // fsync is best effort at exit; the data is written
      }
      closeQuietly(this.#fd);
      this.#fd = null;
    }
    if (this.#stats.droppedLines > 0) {
      this.#o.warn(`${this.#stats.droppedLines} lines (${this.#stats.droppedBytes} bytes) were dropped in all`);
    }
    return this.stats();
  }

  #writeLines(p: Pieces): void {
    if (p.count === 0) return;
    if (!this.#ready()) return this.#drop(p, 0);
    const stamp = this.#stamp();
    let from = 0;
    let batch = 0;
    for (let i = 0; i < p.count; i++) {
      const len = stamp.length + p.length(i) + 1;
      if (this.#size + batch + len > this.#o.maxSize && this.#size + batch > 0) {
        if (!this.#append(p, stamp, from, i)) return this.#drop(p, from);
        if (!this.#rotate()) return this.#drop(p, i);
        from = i;
        batch = 0;
      }
      batch += len;
    }
    if (!this.#append(p, stamp, from, p.count)) this.#drop(p, from);
  }

  #stamp(): Buffer {
    const wall = this.#clock.wallNow();
    switch (this.#o.timestamp) {
      case 'iso':
        return Buffer.from(`${isoTime(wall)} `);
      case 'tai64n':
        return Buffer.from(`${tai64n(wall)} `);
      case 'none':
        return Buffer.alloc(0);
    }
  }

  /** Write lines [from, to) in one go; false (and failure mode) on an I/O error. */
  #append(p: Pieces, stamp: Buffer, from: number, to: number): boolean {
    if (from === to || this.#fd === null) return this.#fd !== null;
    const buf = p.join(stamp, from, to);
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(this.#fd, buf, off);
    } catch (e) {
      // Never leave half a line behind: cut the file back to where this write started.
      if (off > 0) tryTruncate(this.#fd, this.#size);
      this.#fail(`cannot write ${join(this.#o.dir, CURRENT)}: ${(e as Error).message}`);
      return false;
    }
    this.#size += buf.length;
    this.#stats.lines += to - from;
    const f = this.#failure;
    if (f !== null) {
      this.#failure = null;
      this.#o.warn(`writing to ${join(this.#o.dir, CURRENT)} again; ${f.lines} lines (${f.bytes} bytes) were dropped meanwhile`);
    }
    return true;
  }

  #rotate(): boolean {
    const fd = this.#fd!;
    this.#fd = null;
    try {
      fsyncSync(fd);
      closeSync(fd);
      archiveCurrent(this.#o.dir, this.#clock.wallNow(), this.#o.maxFiles);
      this.#stats.rotations++;
    } catch (e) {
      closeQuietly(fd);
      this.#fail(`cannot rotate ${join(this.#o.dir, CURRENT)}: ${(e as Error).message}`);
      return false;
    }
    return this.#ready();
  }

  /** True when `current` is open, reopening it if it is time to retry. */
  #ready(): boolean {
    if (this.#fd !== null) return true;
    if (this.#failure !== null && this.#clock.now() < this.#failure.retryAt) return false;
    try {
      this.#openCurrent();
    } catch (e) {
      this.#fail(`cannot open ${join(this.#o.dir, CURRENT)}: ${(e as Error).message}`);
      return false;
    }
    return true;
  }

  #openCurrent(): void {
    makeDirs(this.#o.dir);
    const fd = openSync(join(this.#o.dir, CURRENT), 'a+', 0o644);
    try {
      this.#size = fstatSync(fd).size;
      if (this.#size > 0 && !endsWithNewline(fd, this.#size)) {
        // The previous writer died mid-line: terminate that line so ours start clean.
        this.#size += writeSync(fd, '\n');
      }
    } catch (e) {
      closeQuietly(fd);
      throw e;
    }
    this.#fd = fd;
  }

  #fail(reason: string): void {
    if (this.#fd !== null) closeQuietly(this.#fd);
    this.#fd = null;
    const now = this.#clock.now();
    const retryMs = this.#o.retryMs ?? 1000;
    if (this.#failure === null) {
      this.#failure = { reason, retryAt: now + retryMs, lastWarnAt: now, lines: 0, bytes: 0 };
      this.#o.warn(`${reason}; dropping lines until it works again (retrying every ${retryMs} ms)`);
    } else {
      this.#failure.reason = reason;
      this.#failure.retryAt = now + retryMs;
    }
  }

  /** Count lines [from, count) of p as dropped, repeating the warning now and then. */
  #drop(p: Pieces, from: number): void {
    const f = this.#failure;
    const lines = p.count - from;
    const bytes = p.bytesOf(from, p.count) + lines;
    this.#stats.droppedLines += lines;
    this.#stats.droppedBytes += bytes;
    if (f === null) return;
    f.lines += lines;
    f.bytes += bytes;
    const now = this.#clock.now();
    if (now - f.lastWarnAt >= (this.#o.warnEveryMs ?? 10_000)) {
      f.lastWarnAt = now;
      this.#o.warn(`still failing (${f.reason}); ${f.lines} lines (${f.bytes} bytes) dropped so far`);
    }
  }
}

function endsWithNewline(fd: number, size: number): boolean {
  const b = Buffer.alloc(1);
  return readSync(fd, b, 0, 1, size - 1) === 1 && b[0] === 10;
}

function tryTruncate(fd: number, size: number): void {
  try {
    ftruncateSync(fd, size);
  } catch {
    // nothing more can be done; the next open terminates a partial line
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
